"""GitHub's `primaryLocationLineHash`: the rolling hash codeql-action's upload-sarif
computes for each line, so alerts keep their identity when code moves.

Same algorithm as `hash()` in github/codeql-action `src/fingerprints.ts` (MIT):
a polynomial rolling hash (base 37, 64-bit wrap-around) over a window of 100
UTF-16 code units starting at each line, spaces and tabs skipped, CR and CRLF
read as LF; equal hashes are numbered `:1`, `:2`, ... in file order.
"""

from __future__ import annotations

BLOCK_SIZE = 100
MOD = 37
MASK = (1 << 64) - 1
EOF_CODE = 65535
TAB, SPACE, LF, CR = 9, 32, 10, 13
FIRST_MOD = pow(MOD, BLOCK_SIZE, 1 << 64)


def _utf16_units(text: str) -> list[int]:
    data = text.encode("utf-16-le", errors="surrogatepass")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


class _RollingHash:
    def __init__(self) -> None:
        self.window = [0] * BLOCK_SIZE
        self.line_numbers = [-1] * BLOCK_SIZE  # line starting at each window slot, or -1
        self.hash = 0
        self.index = 0
        self.line = 0
        self.line_start = True
        self.prev_cr = False
        self.counts: dict[str, int] = {}
        self.result: dict[int, str] = {}

    def output(self) -> None:
        value = format(self.hash, "x")
        self.counts[value] = self.counts.get(value, 0) + 1
        self.result[self.line_numbers[self.index]] = f"{value}:{self.counts[value]}"
        self.line_numbers[self.index] = -1

    def update(self, current: int) -> None:
        begin = self.window[self.index]
        self.window[self.index] = current
        self.hash = (MOD * self.hash + current - FIRST_MOD * begin) & MASK
        self.index = (self.index + 1) % BLOCK_SIZE

    def process(self, current: int) -> None:
        if current in (SPACE, TAB) or (self.prev_cr and current == LF):
            self.prev_cr = False
            return
        self.prev_cr = current == CR
        if current == CR:
            current = LF
        if self.line_numbers[self.index] != -1:
            self.output()
        if self.line_start:
            self.line_start = False
            self.line += 1
            self.line_numbers[self.index] = self.line
        if current == LF:
            self.line_start = True
        self.update(current)


def line_hashes(text: str) -> dict[int, str]:
    """`{line: "<hex>:<n>"}` for every 1-based line of `text`."""
    state = _RollingHash()
    for unit in _utf16_units(text):
        state.process(unit)
    state.process(EOF_CODE)
    for _ in range(BLOCK_SIZE):  # flush the lines still in the window
        if state.line_numbers[state.index] != -1:
            state.output()
        state.update(0)
    return state.result
