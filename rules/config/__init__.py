"""Rules about how an app is configured."""
