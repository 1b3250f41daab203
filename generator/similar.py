"""Near-duplicate names: a title, term, other name, id or alias very close to another entry's.

Two names are close when they are equal after folding case, punctuation, small words
and plural s, or (for longer names) one edit apart: a typo, a missing or swapped
letter. Candidates are found through each name's one-deletion variants, so the cost
grows with the number of names, not with its square. These are warnings: a
reviewer decides whether two entries are really about the same idea.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from .errors import Diagnostic, SourceLocation
from .fields import fold_name
from .links import KnowledgeBase
from .validate import ValidEntry

SMALL_WORDS = {"a", "an", "the", "of", "and", "to", "in", "for", "on", "with", "your", "our"}
MIN_FUZZY_LENGTH = 8  # shorter names differ by one letter on purpose ("car", "cat")
# A key has as many one-deletion variants as letters, each as long: longer names are compared whole,
# so memory stays linear.
MAX_FUZZY_LENGTH = 60
MAX_COMPARED = 5
LABELS = {"title": "title", "term": "term", "also_known_as": "other name", "aliases": "alias", "id": "id"}


@dataclass(frozen=True)
class Name:
    """One name of an entry and where it is written."""

    entry: ValidEntry
    field: str
    yaml_path: tuple
    text: str
    key: str

    def location(self) -> SourceLocation:
        """Where the name is written; an id is the file name, so the file's start."""
        if self.field == "id":
            return SourceLocation(self.entry.raw.path)
        return self.entry.raw.locate(self.yaml_path)

    def describe(self) -> str:
        """The name as a message quotes it, with what kind of name it is."""
        return f"{LABELS[self.field]} '{self.text}'"


def near_duplicates(kb: KnowledgeBase) -> list[Diagnostic]:
    """Warn on the newer of two entries whose names are very close, once per pair."""
    buckets: dict[str, list[Name]] = {}  # variant -> the names that have it, oldest first
    matches: dict[tuple[str, str], tuple[Name, Name]] = {}
    for entry in sorted(kb.entries.values(), key=_age):
        for newer in _names(entry):
            for variant in _variants(newer.key):
                names = buckets.get(variant)
                if names is None:  # nearly every variant: nothing to compare with
                    buckets[variant] = [newer]
                    continue
                for older in names[:MAX_COMPARED]:  # only the oldest few: linear even when thousands share a variant
                    pair = (newer.entry.raw.path, older.entry.raw.path)
                    if (
                        pair[0] != pair[1]
                        and _close(newer.key, older.key)
                        and _better((newer, older), matches.get(pair))
                    ):
                        matches[pair] = (newer, older)
                names.append(newer)
    return [_warning(newer, older) for newer, older in matches.values() if not _same_address(newer.entry, older.entry)]


def _same_address(one: ValidEntry, other: ValidEntry) -> bool:
    """An id, alias or glossary name used by both is already an error of the link stage: say it once."""
    return bool(({one.id, *one.model.aliases} & {other.id, *other.model.aliases}) - {None}) or bool(
        _glossary_names(one) & _glossary_names(other)
    )


def _glossary_names(entry: ValidEntry) -> set[str]:
    """A definition's term and other names, folded as the glossary compares them."""
    names = [getattr(entry.model, "term", None), *(getattr(entry.model, "also_known_as", None) or [])]
    return {fold_name(name) for name in names if isinstance(name, str)}


def _better(match: tuple[Name, Name], current: tuple[Name, Name] | None) -> bool:
    """Prefer to point at a title over a term, other name, alias or id: it is what the author wrote."""

    def rank(names: tuple[Name, Name]) -> tuple[int, int]:
        return tuple(list(LABELS).index(name.field) for name in names)

    return current is None or rank(match) < rank(current)


def _age(entry: ValidEntry) -> tuple:
    """Oldest first: by date added, then by path, so the newcomer gets the warning."""
    added = getattr(entry.model, "added", None)  # partial models may lack it
    return (added if isinstance(added, dt.date) else dt.date.max, entry.raw.path)


def _names(entry: ValidEntry) -> list[Name]:
    """Every name an entry is known by."""
    model = entry.model
    found = [Name(entry, "id", (), entry.id, normalise(entry.id))]
    for field in ("title", "term"):
        value = getattr(model, field, None)
        if isinstance(value, str):
            found.append(Name(entry, field, (field,), value, normalise(value)))
    for field in ("also_known_as", "aliases"):
        for index, value in enumerate(getattr(model, field, None) or []):
            if isinstance(value, str):  # a partial model keeps a bad item as None
                found.append(Name(entry, field, (field, index), value, normalise(value)))
    return [name for name in found if name.key]


def normalise(name: str) -> str:
    """Fold a name to letters and digits only, without small words or plural endings."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_name)
    words = [w for w in words if w not in SMALL_WORDS] or words
    return "".join(_singular(w) for w in words)


def _singular(word: str) -> str:
    """A rough singular, good enough to match 'replies' with 'reply' and 'answers' with 'answer'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _variants(key: str) -> list[str]:
    """The key itself and, for longer keys, every string one deletion away, each once.

    In a fixed order, so ties break alike in every run.
    """
    if not MIN_FUZZY_LENGTH <= len(key) <= MAX_FUZZY_LENGTH:
        return [key]
    # Deleting any letter of a run of equal letters gives the same string: keep the first of each run.
    return [key, *(key[:i] + key[i + 1 :] for i in range(len(key)) if i == 0 or key[i] != key[i - 1])]


def _close(a: str, b: str) -> bool:
    """Sharing a variant means at most one edit apart; numbered names (step 1, step 2) differ on purpose."""
    if a == b:
        return True
    return min(len(a), len(b)) >= MIN_FUZZY_LENGTH and re.findall(r"\d+", a) == re.findall(r"\d+", b)


def _warning(newer: Name, oldest: Name) -> Diagnostic:
    """Say which existing entry the name collides with and what to do."""
    if fold_name(newer.text) == fold_name(oldest.text):  # the same words: say so, not "very close"
        collision = f"{newer.describe()} is identical to the {LABELS[oldest.field]} of {oldest.entry.raw.path}"
    else:
        collision = f"{newer.describe()} is very close to the {oldest.describe()} of {oldest.entry.raw.path}"
    message = (
        f"{collision}: if both are about the same idea, improve that entry instead; otherwise make the names distinct"
    )
    return Diagnostic(newer.location(), message, severity="warning")
