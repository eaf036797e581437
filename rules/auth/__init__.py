"""Rules about authentication and access control."""
