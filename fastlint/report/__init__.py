"""Output formats: each a pure function of (report, rules, options) returning text,
listed in `registry`. Only `text` uses rich."""
