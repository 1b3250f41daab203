"""Source locations, diagnostics and the one user-error exception."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# What must never reach a terminal or CI log raw from untrusted text: C0 and C1 controls (tab and newline
# too: one message is one line), DEL, the bidi controls of yamlread.BIDI_CONTROLS (they reorder what a line
# shows), the line and paragraph separators (some log viewers break lines there) and lone surrogates (an
# undecodable file name; printing one raises UnicodeEncodeError). ESC alone can erase a line and print a
# fake "no errors" in its place.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """text with each UNPRINTABLE character shown as an escape: \\x1b, \\u202e."""
    return UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    """The visible escape of one character: \\xNN below U+0100, else \\uNNNN."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A 1-based line and column in a file, the path relative to the project root."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{printable(self.path)}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the content, with where it is and how to fix it."""

    location: SourceLocation
    message: str
    severity: Severity = field(default="error", compare=False)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {printable(self.message)}"


class KbError(Exception):
    """A user error: bad content or usage. Printed as diagnostics, never with a traceback."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def at(cls, where: SourceLocation | str, message: str) -> KbError:
        """One error at a location (or a file path)."""
        return cls([Diagnostic(where if isinstance(where, SourceLocation) else SourceLocation(where), message)])


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like word, if any is close enough to be a likely typo."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return " Did you mean 'x'?" for the closest candidate, or an empty string."""
    match = closest(word, candidates)
    return f" Did you mean '{match}'?" if match else ""


def raise_if_errors(diagnostics: list[Diagnostic]) -> None:
    """Abort with every collected error at once, so one bad file never hides the next."""
    if any(d.severity == "error" for d in diagnostics):
        raise KbError(diagnostics)
