"""The attack surface, printed: the route inventory and its diff in each format."""
