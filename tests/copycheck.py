"""The no-copying rule's reading of text: folded words, runs of them, and the fingerprints kept of the seeds.

The content rules (test_content_rules.py) hold every entry against the seed articles it was written
from: no run of RUN words outside a short quotation may match a seed, and US and UK spellings of a
word count as one. The repository keeps fingerprints of the seeds' runs, not their text.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pydantic import BaseModel

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
RUN = 7  # words in a row that may not be shared with a seed article
MAX_QUOTE_WORDS = 12  # a quotation this short, in quotation marks, is allowed (attribute it in the text)

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc]")
_WORD = re.compile(r"[a-z0-9]+")
_QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]*)[\"\u201d]")
# US and UK spellings of one word fold to one form, so "behaviour" cannot hide a copied "behavior".
_SPELLING = (
    (re.compile(r"our"), "or"),
    (re.compile(r"is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"tre$"), "ter"),
    (re.compile(r"([ls])\1"), r"\1"),
)


def fold(word: str) -> str:
    """One spelling for US and UK variants ("organisation", "organization" -> "organization")."""
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return word


def words(text: str) -> list[str]:
    """Lower-case, spelling-folded words with punctuation stripped ("It's" -> "its")."""
    return [fold(word) for word in _WORD.findall(_APOSTROPHES.sub("", text.lower()))]


def unquoted(text: str) -> list[str]:
    """The stretches of text outside short quotations: a quotation breaks a run instead of joining it."""
    short = _QUOTE.sub(lambda m: "\0" if len(m.group(1).split()) <= MAX_QUOTE_WORDS else m.group(0), text)
    return short.split("\0")


def runs(tokens: list[str], size: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def text_runs(text: str) -> set[tuple[str, ...]]:
    """Every run of an entry's text that could be copied: a short quotation ends one run and starts the next."""
    return {run for stretch in unquoted(text) for run in runs(words(stretch))}


def strings_of(value, path: str = ""):
    """Yield (field path, text) for every string held in a model, however nested."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from strings_of(getattr(value, name, None), f"{path}.{name}" if path else name)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from strings_of(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def fingerprint(run: tuple[str, ...]) -> str:
    """A short hash of a word run: the repository keeps these, not the articles' text."""
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:16]


def fingerprints_from_seeds() -> dict[str, str]:
    found: dict[str, str] = {}
    for file in sorted(SEEDS.glob("*.txt")):
        for run in sorted(runs(words(file.read_text(encoding="utf-8")))):
            found.setdefault(fingerprint(run), file.name)
    return found


def fingerprint_file_text(found: dict[str, str]) -> str:
    return "".join(f"{digest} {name}\n" for digest, name in sorted(found.items()))
