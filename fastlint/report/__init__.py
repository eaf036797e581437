"""Output formats: each a pure function of the report. Only `text` uses rich."""
