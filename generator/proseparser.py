"""Reading contributor Markdown: markdown-it-py set up for prose, with the [[id]] rule, and a shortcut for plain text.

The parser is CommonMark (linear on pathological input) with one inline rule added, so that an
[[id]] link is one token whose brackets never pair with others. Most fields are only paragraphs of
words and [[id]] links; `_plain_paragraphs` reads those without the parser, giving the same lines.
What the parse holds is judged and written by prosejudge.py.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from .prosepieces import Line, WikiLink, Words, _join

WIKI_LINK = re.compile(r"\[\[([^\]|\n]{0,100})(?:\|([^\]\n]{0,300}))?\]\]")  # bounded: each '[[' scans a constant


def _wiki_link_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule: [[id]] and [[id|text]] become one token, so brackets never pair with others."""
    if not state.src.startswith("[[", state.pos):
        return False
    match = WIKI_LINK.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {"target": match.group(1).strip(), "label": (match.group(2) or "").strip() or None}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _parser() -> MarkdownIt:
    """CommonMark with [[id]] links; every link address reaches the judge (none dropped as invalid)."""
    parser = MarkdownIt("commonmark", {"maxNesting": 20})
    parser.validateLink = lambda url: True
    parser.inline.ruler.before("link", "wikilink", _wiki_link_rule)
    return parser


_PARSER = _parser()


def _plain_paragraphs(text: str) -> list[Line] | None:
    """The lines of prose that is only paragraphs of words and [[id]] links, as the parser would give; else None.

    Most fields are such prose, and this costs a tenth of a parse. Anything that could be syntax
    (tests/test_performance.py checks the result against the parser's on generated text) takes the parser.
    """
    if _NOT_PLAIN.search(text):
        return None
    lines: list[Line] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        pieces: Line = []
        for number, line in enumerate(paragraph.rstrip().split("\n")):
            if number:
                pieces.append(Words(" ", False))  # a soft line break
            if not _plain_line(line.rstrip(" "), pieces):
                return None
        pieces = _join([pieces])  # neighbouring texts and spaces into one piece, as the parser's text runs
        if pieces:
            lines += [[], pieces] if lines else [pieces]
    return lines


def _plain_line(line: str, pieces: Line) -> bool:
    """Add one line's words and [[id]] links to pieces; False when a bracket is left over (the parser's case)."""
    position, first = 0, len(pieces)
    for match in WIKI_LINK.finditer(line):
        pieces.append(Words(line[position : match.start()], not pieces))
        pieces.append(WikiLink(match.group(1).strip(), (match.group(2) or "").strip() or None))
        position = match.end()
    pieces.append(Words(line[position:], not pieces))
    # This line's pieces only: the paragraph's earlier lines were checked already (all of them: quadratic).
    return not any("[" in piece.text or "]" in piece.text for piece in pieces[first:] if type(piece) is Words)


# Anything but words, punctuation of sentences and [[id]] links: syntax characters, a line starting with
# a block marker or whitespace (code, lists, quotes, headings, setext underlines), hard breaks, entities.
_NOT_PLAIN = re.compile(r"[\\`*_<>&{}]|^(?![A-Za-z\"'(]|\[\[|\d+(?![\d.)])|$)|  $|\n[ \t]*\n[ \t]*\n|^[ \t]+$", re.M)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
