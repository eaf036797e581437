"""The stages of a run, in order; `fastlint.engine.lint` composes them.

- `plan`: which files are reported (discovery) and which are read with them
  (the project around files named alone);
- `read`: facts of each file, from the cache or parsed in worker processes;
- `relevant`: the prefilter and import graph, which keep reading to the files
  that can matter;
- `check`: link the project, run the rules, then severity overrides,
  per-file ignores, suppression comments and the baseline.
"""
