"""Rules about validation of request input."""
