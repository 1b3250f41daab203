"""Source locations, diagnostics and the one user-error exception."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A 1-based line and column in a file, the path relative to the project root."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the content, with where it is and how to fix it."""

    location: SourceLocation
    message: str
    severity: Severity = field(default="error", compare=False)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


class KbError(Exception):
    """A user error: bad content or usage. Printed as diagnostics, never with a traceback."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


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
