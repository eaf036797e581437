"""Which web origins a CORS configuration lets in, decided on values, never on syntax.

`allow_origins` lets anyone in when it holds `"*"` or `"null"` (Starlette tests `"*" in
allow_origins`, so a plain string holding `*` counts too). An `allow_origin_regex` is
tested, with Python's `re` as Starlette uses it (`fullmatch`), against probe origins
an attacker can own: arbitrary domains, and look-alikes of each domain the pattern
names (`evil-example.com` for `.example.com`, `example.com.evil.test`). The first
probe it accepts is the answer.
"""

from __future__ import annotations

import re

from fastlint.knowledge.servers_cors import ANY_ORIGIN

# Origins on domains nobody legitimate uses: a pattern accepting one accepts anything.
ANY_ORIGIN_PROBES = (
    "https://attacker.invalid",
    "http://attacker.invalid",
    "https://evil.test:8443",
)
_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\\?\.[A-Za-z0-9-]+)+")


def any_origin_entry(origins: object) -> str | None:
    """The entry of an `allow_origins` value that lets any origin in, if any."""
    if isinstance(origins, str):
        return "*" if "*" in origins else None
    if isinstance(origins, (list, tuple, set, frozenset)):
        for item in origins:
            if isinstance(item, str) and item.strip() in ANY_ORIGIN:
                return item.strip()
    return None


def regex_escape(pattern: str) -> str | None:
    """An origin outside the domains `pattern` names that it accepts (None: none
    found, or the pattern does not compile)."""
    try:
        compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    for probe in (*ANY_ORIGIN_PROBES, *_look_alikes(pattern)):
        if compiled.fullmatch(probe):
            return probe
    return None


def _look_alikes(pattern: str) -> list[str]:
    """Origins an attacker can register that look like the domains in `pattern`."""
    probes: list[str] = []
    for written in _DOMAIN.findall(pattern):
        labels = written.replace("\\.", ".").split(".")
        if labels[-1].isdigit() or len(labels) < 2:
            continue  # an IP address, or not a domain
        registered = ".".join(labels[-2:])
        hosts = [f"evil-{registered}", f"evil{registered}", f"{'.'.join(labels)}.evil.test"]
        if len(labels) > 2:
            hosts.append(f"{'.'.join(labels[:-2])}-{registered}")
        for scheme in ("https", "http"):
            for host in hosts:  # bare, and under a subdomain the attacker picks
                probes.extend((f"{scheme}://{host}", f"{scheme}://evil.{host}"))
    return probes


__all__ = [
    "ANY_ORIGIN_PROBES",
    "any_origin_entry",
    "regex_escape",
]
