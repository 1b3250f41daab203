"""Glossary tooltips: link the first mention of each defined term in an entry's Markdown to its definition.

Works on contributor Markdown before it reaches MkDocs. A mention becomes
`[mention](url "summary")`; Material shows the link's title as a tooltip. Matching is
whole-word and case-insensitive (a plural 's' counts as the same word), and never
touches code, headings, HTML, link text or link targets.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from .links import WIKI_LINK, KnowledgeBase

# Lines that are never prose: fences, headings, HTML blocks, link reference definitions.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")
_HTML_BLOCK = re.compile(r"^ {0,3}<")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:")
_INDENTED_CODE = re.compile(r"^( {4}|\t)")
# Inline spans whose text must stay as it is.
_INLINE_PROTECTED = re.compile(
    r"(`+)[\s\S]*?(?<!`)\1(?!`)"  # code span
    r"|\[\[[^\]\n]*\]\]"  # [[id]] entry link
    r"|!?\[(?:[^\[\]]|\[[^\[\]]*\])*\](?:\([^)]*\)|\[[^\]]*\])?"  # link, image, reference link
    r"|<[^>\n]*>"  # autolink or inline HTML
    r"|https?://\S+"  # bare address
    r"|\{:?[^}\n]*\}"  # attribute list
    r"|&#?\w+;"  # entity
    r"|\\."  # backslash escape
)
# Brackets and backticks too: a tooltip must not form an [[id]] link or pair with a code span in the prose around it.
_TITLE_ESCAPES = {"&": "&amp;", '"': "&quot;", "|": "&#124;", "\\": "&#92;", "<": "&lt;", ">": "&gt;", "[": "&#91;", "]": "&#93;", "`": "&#96;"}


@dataclass(frozen=True)
class GlossaryTerm:
    """A definition as the linker needs it: its id, every name it goes by, and its summary."""

    definition_id: str
    names: tuple[str, ...]
    summary: str


class Glossary:
    """Every defined term and its other names, compiled into one whole-word pattern."""

    def __init__(self, terms: list[GlossaryTerm]) -> None:
        self.by_name = {_fold(name): term for term in terms for name in term.names}
        names = [name.lower() for term in terms for name in term.names]
        self.pattern = re.compile(rf"(?<![\w-])(?:{_trie_regex(_trie(names))})s?(?![\w-])", re.IGNORECASE) if names else None

    def term_for(self, mention: str) -> GlossaryTerm:
        """The term a matched mention names (plural 's' allowed)."""
        folded = _fold(mention)
        return self.by_name.get(folded) or self.by_name[folded[:-1]]


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
    branches = [(r"\s+" if char == " " else re.escape(char)) + _trie_regex(child) for char, child in sorted(node.items(), key=lambda item: item[0] or "") if char is not None]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if None in node else body


def glossary_from(kb: KnowledgeBase) -> Glossary:
    """The glossary of every definition's term and also-known-as names."""
    return _compiled_glossary(glossary_key(kb))


def glossary_key(kb: KnowledgeBase) -> tuple:
    """What the glossary is made of: each definition's id, names and summary."""
    return tuple((entry.id, (entry.model.term, *entry.model.also_known_as), entry.model.summary) for entry in kb.by_kind("definitions"))


@functools.lru_cache(maxsize=1)
def _compiled_glossary(key: tuple) -> Glossary:
    """Compile the pattern once per set of definitions: preview rebuilds after other edits reuse it."""
    return Glossary([GlossaryTerm(*term) for term in key])


def link_first_mentions(markdown: str, glossary: Glossary, seen: set[str], url_for: Callable[[str], str]) -> str:
    """Link the first mention of each term not yet in `seen` (definition ids), adding the ids it links."""
    if glossary.pattern is None:
        return markdown
    out: list[str] = []
    for text, is_prose in _blocks(markdown):
        out.append(_link_inline(text, glossary, seen, url_for) if is_prose else text)
    return "".join(out)


def _blocks(markdown: str) -> list[tuple[str, bool]]:
    """Split Markdown into runs of lines, each marked prose or not (code, headings, HTML, definitions)."""
    lines = markdown.splitlines(keepends=True)
    kinds: list[bool] = []
    fence: str | None = None
    previous_blank = True
    for index, line in enumerate(lines):
        stripped = line.rstrip("\r\n")
        following = lines[index + 1].rstrip("\r\n") if index + 1 < len(lines) else ""
        if fence is not None:
            is_prose = False
            if re.match(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$", stripped):
                fence = None
        elif opening := _FENCE.match(stripped):
            fence, is_prose = opening.group(1), False
        else:
            is_prose = not (
                _ATX_HEADING.match(stripped)
                or _SETEXT_UNDERLINE.match(stripped) and not previous_blank
                or stripped.strip() and _SETEXT_UNDERLINE.match(following)
                or _HTML_BLOCK.match(stripped)
                or _REFERENCE_DEFINITION.match(stripped)
                or previous_blank and _INDENTED_CODE.match(stripped)
                or kinds and not kinds[-1] and _INDENTED_CODE.match(stripped) and lines[index - 1].strip()  # code continues
            )
        kinds.append(is_prose)
        previous_blank = not stripped.strip()
    runs: list[tuple[str, bool]] = []
    for line, is_prose in zip(lines, kinds):
        if runs and runs[-1][1] == is_prose:
            runs[-1] = (runs[-1][0] + line, is_prose)
        else:
            runs.append((line, is_prose))
    return runs


def _link_inline(text: str, glossary: Glossary, seen: set[str], url_for: Callable[[str], str]) -> str:
    """Link first mentions in prose text, stepping over protected inline spans."""
    out: list[str] = []
    position = 0
    for span in _INLINE_PROTECTED.finditer(text):
        out.append(_link_plain(text[position : span.start()], glossary, seen, url_for))
        out.append(span.group(0))
        wiki = WIKI_LINK.fullmatch(span.group(0))
        if wiki:  # an explicit [[id]] link to a definition counts as its first mention
            seen.add(wiki.group(1).strip())
        position = span.end()
    out.append(_link_plain(text[position:], glossary, seen, url_for))
    return "".join(out)


def _link_plain(text: str, glossary: Glossary, seen: set[str], url_for: Callable[[str], str]) -> str:
    """Link first mentions in text that holds no Markdown constructs."""

    def replace(match: re.Match) -> str:
        term = glossary.term_for(match.group(0))
        if term.definition_id in seen:
            return match.group(0)
        seen.add(term.definition_id)
        return f'[{match.group(0)}]({url_for(term.definition_id)} "{link_title(term.summary)}")'

    return glossary.pattern.sub(replace, text)


def link_title(text: str) -> str:
    """Make a summary safe inside a double-quoted Markdown link title, also in a table cell."""
    return "".join(_TITLE_ESCAPES.get(char, char) for char in text)


def _fold(name: str) -> str:
    """Compare names case-insensitively with runs of whitespace as one space."""
    return " ".join(name.casefold().split())
