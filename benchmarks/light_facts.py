"""Check that context files read from CPython's tree give libcst's facts, on real code.

    python benchmarks/light_facts.py FOLDER [FOLDER ...]

For every .py file below the folders: the facts libcst gives (`analyse_source`)
and those `fastlint.facts.light` gives must be equal, or the light reader must
decline (the file is then promoted to the libcst parse). Prints the counts, the
reasons for promotion, the first differences, and the CPU seconds of each reader.
Exits 1 when any file differs.
"""

from __future__ import annotations

import collections
import os
import sys
import time
from dataclasses import fields, is_dataclass
from typing import Any

from fastlint.facts.types import ModuleFacts
from fastlint.files import MAX_FILE_BYTES, read_regular
from fastlint.source import _light_facts, _on_big_stack, analyse_source


def difference(a: Any, b: Any, where: str = "") -> str | None:
    """Where `a` and `b` first differ (None: equal)."""
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} != {type(b).__name__}"
    if is_dataclass(a):
        for f in fields(a):
            found = difference(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
            if found:
                return found
        return None
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return f"{where}: keys {sorted(a)[:10]} != {sorted(b)[:10]}"
        return next((d for k in a if (d := difference(a[k], b[k], f"{where}[{k!r}]"))), None)
    if isinstance(a, (tuple, list)):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)}"
        pairs = enumerate(zip(a, b, strict=True))
        return next((d for i, (x, y) in pairs if (d := difference(x, y, f"{where}[{i}]"))), None)
    return None if a == b else f"{where}: {a!r:.200} != {b!r:.200}"


def main(folders: list[str]) -> int:
    files = sorted(
        os.path.join(root, name)
        for folder in folders
        for root, _, names in os.walk(folder)
        for name in names
        if name.endswith(".py")
    )
    reasons: collections.Counter[str] = collections.Counter()
    different: list[tuple[str, str]] = []
    same = full_cpu = light_cpu = 0.0
    for path in files:
        try:
            data = read_regular(path, MAX_FILE_BYTES)
        except OSError:
            continue
        started = time.process_time()
        full = analyse_source(path, data)
        full_cpu += time.process_time() - started
        started = time.process_time()
        light = _on_big_stack(lambda: _light_facts(path, data))  # noqa: B023
        light_cpu += time.process_time() - started
        if not isinstance(full, ModuleFacts):
            continue
        if isinstance(light, str):
            reasons[light] += 1
        elif (found := difference(full, light)) is None:
            same += 1
        else:
            different.append((path, found))
    print(
        f"{int(same)} files identical, {sum(reasons.values())} promoted, {len(different)} "
        f"different; CPU: libcst {full_cpu:.1f} s, light {light_cpu:.1f} s"
    )
    for reason, count in reasons.most_common():
        print(f"  promoted ({count}): {reason}")
    for path, found in different[:40]:
        print(f"  DIFFERENT {path}: {found}")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
