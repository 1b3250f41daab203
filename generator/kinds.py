"""The kinds of entry, in one table: content folders, names, page titles, search weight and the words `kb new` takes.

Everything else derives from it: the loader's folders, the A-Z pages and their nav entries, the
home page's table, relation messages, `kb new`, the JSON Schemas. A kind's model is the class in
schema.py whose `kind` is the folder, and its page template is `site_templates/<folder>.md.j2`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of entry."""

    folder: str  # content/<folder>/<id>.yaml, published at /<folder>/<id>/
    singular: str  # "case note": in messages, labels and `kb new case-note`
    title: str  # "Case notes": the A-Z page's title and nav entry
    search_boost: float | None = None  # how much search favours these pages
    other_names: tuple[str, ...] = ()  # more words `kb new` accepts (US spellings)


REGISTRY: dict[str, Kind] = {
    kind.folder: kind
    for kind in (
        Kind("definitions", "definition", "Definitions", search_boost=2),
        Kind("behaviours", "behaviour", "Behaviours", search_boost=1.5, other_names=("behavior", "behaviors")),
        Kind("examples", "example", "Examples"),
        Kind("case-notes", "case note", "Case notes"),
        Kind("sources", "source", "Sources"),
        Kind("paths", "learning path", "Learning paths"),
    )
}


def kind_names() -> tuple[str, ...]:
    """Every kind's folder, in the table's order."""
    return tuple(REGISTRY)


def singular(kind: str) -> str:
    """A kind's name for one entry: 'case note'."""
    return REGISTRY[kind].singular


def titles() -> dict[str, str]:
    """Each kind's page title, in the table's order."""
    return {folder: kind.title for folder, kind in REGISTRY.items()}
