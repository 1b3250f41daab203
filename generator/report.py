"""Diagnostics as text for people, GitHub workflow annotations, or JSON for other tools.

Every format is safe to print raw to a terminal or CI log: text and GitHub show control, bidi and
line-separator characters as visible escapes (errors.printable); JSON keeps the exact strings for
machines, written as JSON \\u escapes, so it never carries those characters raw either.
"""

from __future__ import annotations

import json

from .errors import UNPRINTABLE, Diagnostic, printable

FORMATS = ("text", "github", "json")


def format_report(diagnostics: list[Diagnostic], fmt: str) -> str:
    """Render diagnostics in one of FORMATS, one line each (JSON: one list)."""
    if fmt == "json":
        return _json_escaped(json.dumps([as_dict(d) for d in diagnostics], ensure_ascii=False, indent=2)) + "\n"
    line = github_annotation if fmt == "github" else str
    return "".join(f"{line(d)}\n" for d in diagnostics)


def as_dict(diagnostic: Diagnostic) -> dict:
    """A diagnostic as plain JSON data."""
    where = diagnostic.location
    return {
        "path": where.path,
        "line": where.line,
        "column": where.column,
        "severity": diagnostic.severity,
        "message": diagnostic.message,
    }


def github_annotation(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command that shows the problem on its line of the pull request."""
    where = diagnostic.location
    # GitHub's own escapes first (a newline becomes %0A, a line break inside the annotation),
    # then printable for the rest.
    properties = f"file={printable(_property(where.path))},line={where.line},col={where.column},title=kb check"
    return f"::{diagnostic.severity} {properties}::{printable(_data(diagnostic.message))}"


def _json_escaped(text: str) -> str:
    """JSON with the UNPRINTABLE characters json.dumps leaves raw (DEL, C1, bidi, U+2028/9) \\u-escaped: same data."""
    # json.dumps escapes C0 inside strings, so a raw newline is indent=2's layout and stays; the rest occur
    # only inside strings, where \\uNNNN stands for the same character.
    return UNPRINTABLE.sub(
        lambda match: match.group() if match.group() == "\n" else f"\\u{ord(match.group()):04x}", text
    )


def _data(text: str) -> str:
    """Escape a workflow command's message, so a newline or '%' cannot end or forge a command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a workflow command property value (also ':' and ',', which separate properties)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
