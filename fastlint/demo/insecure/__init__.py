"""The classic insecure FastAPI /users example."""
