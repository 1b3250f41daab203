"""Glossary tooltips: link the first mention of each defined term in an entry's Markdown to its definition.

Works on the plain-text pieces of parsed prose (prose.py), so code, link text and link
targets are never touched. A mention becomes `[mention](url "summary")`; Material shows
the link's title as a tooltip. Matching is whole-word and case-insensitive (a plural 's'
counts as the same word).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from .addresses import entry_page
from .escaping import escape_text
from .fields import MIN_TERM_LETTERS, fold_name
from .links import KnowledgeBase
from .memo import Memo
from .prose import escape_words
from .prosepieces import Words

MAX_LINKS_PER_TEXT = 20  # terms linked in one run of text: a paragraph naming thousands of terms stays linear to render
_TITLE_ESCAPES = str.maketrans({ch: f"&#{ord(ch)};" for ch in "&\"'()[]`|\\*_<>{}:"})


@dataclass(frozen=True)
class GlossaryTerm:
    """A definition as the linker needs it: its id, every name it goes by, its summary and its page."""

    definition_id: str
    names: tuple[str, ...]
    summary: str
    page: str  # the definition's Markdown path (addresses.entry_page)


class Glossary:
    """Every defined term and its other names, compiled into one whole-word pattern."""

    def __init__(self, terms: list[GlossaryTerm]) -> None:
        self.by_name = {fold_name(name): term for term in terms for name in term.names}
        self.pages = {term.definition_id: term.page for term in terms}
        names = [name.lower() for term in terms for name in term.names]
        self.pattern = (
            re.compile(rf"(?<![\w-])(?:{_trie_regex(_trie(names))})s?(?![\w-])", re.IGNORECASE) if names else None
        )

    def term_for(self, mention: str) -> GlossaryTerm | None:
        """The term a match names (plural 's' allowed); None where case-insensitive matching and folding disagree."""
        folded = fold_name(mention)
        return self.by_name.get(folded) or self.by_name.get(folded[:-1])


def _trie(names: list[str]) -> dict:
    """A character trie of names, a space standing for any run of whitespace; None marks a name's end."""
    root: dict = {}
    for name in names:
        node = root
        for char in " ".join(name.split()):
            node = node.setdefault(char, {})
        node[None] = {}
    return root


def _trie_regex(node: dict) -> str:
    """One pattern for every name in a trie; sharing prefixes keeps matching linear in the text.

    A plain alternation of a thousand names is tried name by name at every position of the
    prose; the trie pattern reads each character once. Optional tails are greedy, so the
    longest name wins, as "deep customer focus" must over "customer focus".
    """
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_regex(child)
        for char, child in sorted(node.items(), key=lambda item: item[0] or "")
        if char is not None
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if None in node else body


def glossary_from(key: tuple, memo: Memo[Glossary] | None = None) -> Glossary:
    """The glossary of a glossary_key; with a memo, compiled once per set of definitions."""
    return _compiled(key) if memo is None else memo.get("glossary", key, _compiled, key)


def _compiled(key: tuple) -> Glossary:
    """The glossary of a glossary_key, its pattern compiled."""
    return Glossary([GlossaryTerm(*term) for term in key])


def glossary_key(kb: KnowledgeBase) -> tuple:
    """What the glossary is made of: each definition's id, names, summary and page."""
    return tuple(
        (
            entry.id,
            tuple(_linkable(entry.model.term, *entry.model.also_known_as)),
            entry.model.summary,
            entry_page(entry),
        )
        for entry in kb.by_kind("definitions")
    )


def _linkable(*names: str) -> list[str]:
    """The names whose mentions are linked: a two-letter abbreviation (CX) is too easily part of something else."""
    return [name for name in names if sum(ch.isalpha() for ch in name) >= MIN_TERM_LETTERS]


def link_words(piece: Words, glossary: Glossary, seen: set[str], url_for: Callable[[str], str]) -> str:
    """Contributor text, escaped, with the first mention of each term not yet in `seen` (definition ids) linked."""
    if glossary.pattern is None or not piece.linkable:
        return escape_words(piece)
    out: list[str] = []
    position = 0
    linked = 0
    for match in glossary.pattern.finditer(piece.text):
        term = glossary.term_for(match.group(0))
        if term is None or term.definition_id in seen:
            continue
        if linked == MAX_LINKS_PER_TEXT:  # each link is markup the engine re-scans the paragraph for
            break
        linked += 1
        seen.add(term.definition_id)
        out.append(escape_text(piece.text[position : match.start()], line_start=piece.line_start and position == 0))
        out.append(
            f"[{escape_text(match.group(0), line_start=False)}]"
            f'({url_for(term.definition_id)} "{link_title(term.summary)}")'
        )
        position = match.end()
    out.append(escape_text(piece.text[position:], line_start=piece.line_start and position == 0))
    return "".join(out)


def link_title(text: str) -> str:
    """A link title that stays text everywhere: in a double-quoted Markdown title, a table cell and the theme's tooltip.

    Material's tooltips insert the title with innerHTML, so the title's value must be HTML-escaped
    text; each '&' of that escaping, and every character Markdown could read, is then a reference.
    """
    return html.escape(text, quote=True).translate(_TITLE_ESCAPES)
