"""Rules about secrets and credentials: signing keys, authentication cookies."""
