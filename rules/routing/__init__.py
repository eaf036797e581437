"""Rules about how routes are matched."""
