"""Rules about resource consumption and abuse."""
