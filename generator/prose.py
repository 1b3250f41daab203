"""Contributor Markdown: parsed by a CommonMark parser, judged against a defined subset, written back as safe Markdown.

`parse_prose` is the entry: it caps what makes a whole field slow, reads the field (proseparser.py),
has the parse judged (prosejudge.py) and keeps the result as pieces (prosepieces.py), which
`write_prose` writes out. Prose fields accept paragraphs, *emphasis*, **strong**, `code`, code
blocks, bullet and numbered lists, block quotes, horizontal rules, links to http(s) and mailto
addresses and [[id]] entry links; everything else is a problem that `kb check` reports, located in the YAML.

The Markdown written back holds only constructs prosejudge.py writes. Every character of contributor
text that any engine could read as syntax (or as HTML) is a character reference, and code is written
as escaped <code>/<pre> elements, so the output is inert under any engine, one that sanitises
nothing included, and also where it lands inside a raw HTML block. No engine ever parses a
contributor's delimiter runs, so no engine's slow paths are reachable from content.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.tree import SyntaxTreeNode

from .escaping import SPECIAL, escape_text
from .prosejudge import MAX_DEPTH, MAX_PROBLEMS, Problem, _Writer
from .proseparser import _PARSER, _plain_paragraphs
from .prosepieces import Line, Piece, WikiLink, Words, _join

# Python-Markdown and markdown-it alike slow down on floods of unclosed '[' or '<' (markdown-it stays
# linear, at ~14 s per MB): no prose needs more than this many in one field.
MAX_BRACKETS = 300
# Python-Markdown rescans a paragraph for each inline construct it finds (a reference like &#58; included):
# its cost grows with their square per paragraph, so a paragraph may hold this many and stays cheap.
MAX_MARKUP = 1000
_MARKUP = re.compile(r"&#|\*+|<[a-z]|\[")  # in written Markdown: references, emphasis runs, tags, links


class Prose(str):
    """A Markdown field's text, with its safe form as pieces, its entry links and its problems."""

    pieces: tuple[Piece, ...]
    links: tuple[WikiLink, ...]
    problems: tuple[Problem, ...]


def parse_prose(text: str) -> Prose:
    """Parse and judge a Markdown field; the result is the text itself, carrying what was found."""
    prose = Prose(text)
    text = text.replace("\r\n", "\n").replace(
        "\r", "\n"
    )  # as the parser does: a shortcut must not keep a CR that an engine breaks at
    writer = _Writer()
    for bracket in "[<":
        count = text.count(bracket)
        if count > MAX_BRACKETS:
            writer.problem(
                bracket,
                f"has {count} '{bracket}' characters, more than the {MAX_BRACKETS} a field may have "
                "(they slow the build down): remove some or split the text",
            )
    if writer.problems:
        prose.pieces, prose.links, prose.problems = (), (), tuple(writer.problems)
        return prose
    plain = _plain_paragraphs(text)
    lines = plain if plain is not None else _parsed_lines(text, writer)
    for line in lines:
        if _markup_count(line) > MAX_MARKUP:
            writer.problem(
                _line_text(line)[:60],
                f"this paragraph holds more than {MAX_MARKUP} special characters and markup "
                "(each is work for the engine, which slows down with their square): "
                "split it into shorter paragraphs",
            )
    prose.pieces = tuple(_join(lines))
    prose.links = tuple(piece for piece in prose.pieces if isinstance(piece, WikiLink))
    prose.problems = tuple(writer.problems[:MAX_PROBLEMS])
    return prose


def _parsed_lines(text: str, writer: _Writer) -> list[Line]:
    """Parse, then walk the syntax tree.

    Emphasis has no nesting limit in the parser, and the tree is built recursively: '*' x 500
    around a word raised RecursionError, so nesting deeper than MAX_DEPTH is a problem found on the
    tokens, before any tree. The tree's parent links are dropped after the walk: the pipeline pauses
    the cycle collector while it validates, and every field's tree stayed in memory until the end
    (some 800 bytes per character of nested lists).
    """
    tokens = _PARSER.parse(text)
    for token in tokens:
        if token.children and max(child.level for child in token.children) > MAX_DEPTH:
            writer.problem(
                token.content.split("\n", 1)[0][:60],
                f"emphasis and links are nested more than {MAX_DEPTH} deep: remove some of the '*' or '_'",
            )
            return []
    tree = SyntaxTreeNode(tokens)
    try:
        return writer.blocks(tree.children, depth=0)
    finally:
        nodes = [tree]
        while nodes:
            node = nodes.pop()
            node.parent = None
            nodes.extend(node.children)


def write_prose(prose: Prose, link: Callable[[WikiLink], str], words: Callable[[Words], str] | None = None) -> str:
    """The safe Markdown of a parsed field: entry links made by `link`, text by `words` (default: escaped)."""
    words = words or escape_words
    out = []
    for piece in prose.pieces:
        out.append(piece if type(piece) is str else link(piece) if type(piece) is WikiLink else words(piece))
    return "".join(out)


def starts_with_block(markdown: str) -> bool:
    """Whether written prose starts with a list, quote, code block or rule: after a label it needs a line of its own."""
    return bool(_BLOCK_START.match(markdown))


_BLOCK_START = re.compile(r"-   |\d+\. |>|<pre>|\* \* \*|<!-- -->")


def escape_words(piece: Words) -> str:
    """Contributor text as literal Markdown, safe at the start of a line too."""
    return escape_text(piece.text, line_start=piece.line_start)


def _markup_count(line: Line) -> int:
    """How many inline constructs an engine finds in one written line: references, emphasis, code, links."""
    return sum(
        len(_MARKUP.findall(piece))
        if type(piece) is str
        else len(SPECIAL.findall(piece.text))
        if type(piece) is Words
        else 1
        for piece in line
    )


def _line_text(line: Line) -> str:
    """The contributor text of a written line, to point at it."""
    return "".join(piece.text for piece in line if type(piece) is Words).strip()
