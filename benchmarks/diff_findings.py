"""Diff the JSON reports of two fastlint executables over fixture and real apps.

    python benchmarks/diff_findings.py OLD_FASTLINT NEW_FASTLINT OUT_DIR DIR...

Each DIR is checked by both with `--no-cache --isolated -f json --exit-zero`;
the reports are compared with the run-dependent fields (timings, start time)
dropped, and the differences printed per folder. With `--named ROOT:FILE...` after
the folders, each FILE (relative to ROOT) is also checked alone (what pre-commit does) by NEW, and
its findings compared with those of NEW's full run of its project restricted
to that file. Exits 1 when anything differs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

VOLATILE = {"timings", "started", "duration", "time", "files_from_cache"}


def report(fastlint: str, target: Path, out: Path, cwd: Path | None = None) -> object:
    command = [fastlint, "check", str(target), "--no-cache", "--isolated", "-f", "json"]
    subprocess.run(
        [*command, "-o", str(out), "--exit-zero"],
        check=False,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return strip(json.loads(out.read_text())) if out.is_file() else None


def strip(value: object) -> object:
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def differences(old: object, new: object, where: str = "") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(old.keys() | new.keys()):
            if key not in old or key not in new:
                found.append(f"{where}.{key}: only in {'new' if key in new else 'old'}")
            else:
                found += differences(old[key], new[key], f"{where}.{key}")
        return found
    if isinstance(old, list) and isinstance(new, list) and old != new:
        gone = [json.dumps(x)[:300] for x in old if x not in new]
        came = [json.dumps(x)[:300] for x in new if x not in old]
        if not gone and not came:
            return [f"{where}: same items, another order or count"]
        return [f"{where}: - {g}" for g in gone] + [f"{where}: + {c}" for c in came]
    return [] if old == new else [f"{where}: {old!r} != {new!r}"]


def main() -> int:
    old, new, out, *rest = sys.argv[1:]
    named: list[str] = []
    if "--named" in rest:
        at = rest.index("--named")
        rest, named = rest[:at], rest[at + 1 :]
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    failed = False
    for target in map(Path, rest):
        name = f"{target.parent.name}_{target.name}"
        stored = folder / f"{name}.old.json"  # the old reports are kept: rerun the new only
        before = strip(json.loads(stored.read_text())) if stored.is_file() else None
        before = before if before is not None else report(old, target, stored)
        after = report(new, target, folder / f"{name}.new.json")
        found = differences(before, after)
        failed |= bool(found)
        print(f"{target}: {len(found)} difference(s)", flush=True)
        for line in found[:40]:
            print("   ", line, flush=True)
    for file in named:
        failed |= not named_matches(new, file, folder)
    return 1 if failed else 0


WHOLE: dict[Path, object] = {}


def named_matches(fastlint: str, named: str, folder: Path) -> bool:
    """NEW's findings for a file checked alone (`ROOT:FILE`, FILE relative to ROOT,
    the folder fastlint takes as its project) are the whole run's about it."""
    root, _, relative = named.partition(":")
    file = Path(root) / relative
    tag = relative.replace("/", "_")
    if Path(root) not in WHOLE:
        WHOLE[Path(root)] = report(fastlint, Path(root), folder / f"{Path(root).name}.whole.json")
    whole = WHOLE[Path(root)]
    alone = report(fastlint, file, folder / f"{tag}.alone.json")
    assert isinstance(whole, dict) and isinstance(alone, dict)
    path = str(file.resolve())
    # The JSON report does not carry a finding's sources: every finding of the run
    # alone is one of the whole run's, and every whole-run finding in the file is
    # reported alone.
    w, a = whole["findings"], alone["findings"]
    found = [f"missing alone: {json.dumps(f)[:400]}" for f in w if f["path"] == path and f not in a]
    found += [f"only alone: {json.dumps(f)[:400]}" for f in a if f not in w]
    print(f"{file} alone: {len(a)} finding(s), {len(found)} difference(s)", flush=True)
    for line in found[:20]:
        print("   ", line, flush=True)
    return not found


if __name__ == "__main__":
    sys.exit(main())
