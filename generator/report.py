"""Diagnostics as text for people, GitHub workflow annotations, or JSON for other tools."""

from __future__ import annotations

import json

from .errors import Diagnostic

FORMATS = ("text", "github", "json")


def format_report(diagnostics: list[Diagnostic], fmt: str) -> str:
    """Render diagnostics in one of FORMATS, one line each (JSON: one list)."""
    if fmt == "json":
        return json.dumps([as_dict(d) for d in diagnostics], ensure_ascii=False, indent=2) + "\n"
    line = github_annotation if fmt == "github" else str
    return "".join(f"{line(d)}\n" for d in diagnostics)


def as_dict(diagnostic: Diagnostic) -> dict:
    """A diagnostic as plain JSON data."""
    where = diagnostic.location
    return {"path": where.path, "line": where.line, "column": where.column, "severity": diagnostic.severity, "message": diagnostic.message}


def github_annotation(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command that shows the problem on its line of the pull request."""
    where = diagnostic.location
    properties = f"file={_property(where.path)},line={where.line},col={where.column},title=kb check"
    return f"::{diagnostic.severity} {properties}::{_data(diagnostic.message)}"


def _data(text: str) -> str:
    """Escape a workflow command's message, so a newline or '%' cannot end or forge a command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a workflow command property value (also ':' and ',', which separate properties)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
