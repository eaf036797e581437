"""Rules about data a response may expose."""
