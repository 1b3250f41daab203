"""Contributor Markdown: parsed by a CommonMark parser, judged against a defined subset, written back as safe Markdown.

Prose fields accept paragraphs, *emphasis*, **strong**, `code`, code blocks, bullet and numbered
lists, block quotes, horizontal rules, links to http(s) and mailto addresses and [[id]] entry links.
Raw HTML, images, headings, link titles and every other link target are problems that `kb check`
reports, located in the YAML.

The Markdown written back holds only constructs this module writes. Every character of contributor
text that any engine could read as syntax (or as HTML) is a character reference, and code is written
as escaped <code>/<pre> elements, so the output is inert under any engine, one that sanitises
nothing included, and also where it lands inside a raw HTML block. No engine ever parses a
contributor's delimiter runs, so no engine's slow paths are reachable from content.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.tree import SyntaxTreeNode

from .escaping import SPECIAL, escape_text, link_problem, safe_url

# Python-Markdown and markdown-it alike slow down on floods of unclosed '[' or '<' (markdown-it stays
# linear, at ~14 s per MB): no prose needs more than this many in one field.
MAX_BRACKETS = 300
# Blocks inside blocks (a list in a quote in a list...): deeper than this no reader follows, and the
# parser's own limit (20) would drop what lies below it without a word.
MAX_DEPTH = 8
# Python-Markdown rescans a paragraph for each inline construct it finds (a reference like &#58; included):
# its cost grows with their square per paragraph, so a paragraph may hold this many and stays cheap.
MAX_MARKUP = 1000
MAX_PROBLEMS = 5  # per field: the first few say what to fix; the rest repeat them
WIKI_LINK = re.compile(r"\[\[([^\]|\n]{0,100})(?:\|([^\]\n]{0,300}))?\]\]")  # bounded: each '[[' scans a constant
_MARKUP = re.compile(r"&#|\*+|<[a-z]|\[")  # in written Markdown: references, emphasis runs, tags, links
_ATTRIBUTE_LIST = re.compile(r"\{\s*(?::|[.#][\w-]|[\w-]+=)")  # {: .class }, { #id }, { key=value }: Python-Markdown's attr_list syntax


@dataclass(frozen=True)
class Words:
    """Contributor text, written escaped; where glossary terms may be linked, unless inside a link."""

    text: str
    line_start: bool = False
    linkable: bool = True


@dataclass(frozen=True)
class WikiLink:
    """An [[id]] or [[id|text]] entry link."""

    target: str
    label: str | None


@dataclass(frozen=True)
class Problem:
    """Something a prose field may not hold: the text to point at, and what to do."""

    needle: str
    message: str


Piece = str | Words | WikiLink  # str: Markdown this module wrote


class Prose(str):
    """A Markdown field's text, with its safe form as pieces, its entry links and its problems."""

    pieces: tuple[Piece, ...]
    links: tuple[WikiLink, ...]
    problems: tuple[Problem, ...]


def parse_prose(text: str) -> Prose:
    """Parse and judge a Markdown field; the result is the text itself, carrying what was found."""
    prose = Prose(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as the parser does: a shortcut must not keep a CR that an engine breaks at
    writer = _Writer()
    for bracket in "[<":
        count = text.count(bracket)
        if count > MAX_BRACKETS:
            writer.problem(bracket, f"has {count} '{bracket}' characters, more than the {MAX_BRACKETS} a field may have (they slow the build down): remove some or split the text")
    if writer.problems:
        prose.pieces, prose.links, prose.problems = (), (), tuple(writer.problems)
        return prose
    plain = _plain_paragraphs(text)
    lines = plain if plain is not None else _parsed_lines(text, writer)
    for line in lines:
        if _markup_count(line) > MAX_MARKUP:
            writer.problem(_line_text(line)[:60], f"this paragraph holds more than {MAX_MARKUP} special characters and markup (each is work for the engine, which slows down with their square): split it into shorter paragraphs")
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
            writer.problem(token.content.split("\n", 1)[0][:60], f"emphasis and links are nested more than {MAX_DEPTH} deep: remove some of the '*' or '_'")
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
_LISTS = ("bullet_list", "ordered_list")
Line = list  # of pieces


class _Writer:
    """Walks the syntax tree once, writing the safe Markdown and recording problems."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.too_deep = False
        self.tag_reported = False  # a closing tag is reported only when no opening tag was

    def problem(self, needle: str, message: str) -> None:
        """Record a problem (the caller locates the needle in the YAML)."""
        if len(self.problems) <= MAX_PROBLEMS:
            self.problems.append(Problem(needle, message))

    def blocks(self, nodes: list[SyntaxTreeNode], depth: int) -> list[Line]:
        """Block nodes as lines, a blank line between blocks."""
        lines: list[Line] = []
        previous = None
        for node in nodes:
            written = self.block(node, depth)
            if written:
                if lines:
                    lines.append([])
                if previous in _LISTS and node.type in _LISTS:
                    lines += [["<!-- -->"], []]  # Python-Markdown would join two neighbouring lists into one
                lines.extend(written)
                previous = node.type
        return lines

    def block(self, node: SyntaxTreeNode, depth: int) -> list[Line]:
        """One block node as lines."""
        if depth > MAX_DEPTH:
            if not self.too_deep:
                self.too_deep = True  # one problem per field: every deeper block is the same mistake
                self.problem(_block_needle(node), f"lists and quotes are nested more than {MAX_DEPTH} deep: flatten them")
            return []
        kind = node.type
        if kind == "paragraph":
            return [self.inline(node.children[0].children if node.children else [], line_start=True)]
        if kind in ("bullet_list", "ordered_list"):
            return self.list(node, depth)
        if kind == "blockquote":
            return [["> ", *line] if line else [">"] for line in self.blocks(node.children, depth + 1)]
        if kind in ("code_block", "fence"):
            return [[_pre(node.content)]]
        if kind == "hr":
            return [["* * *"]]
        if kind == "heading":
            self.problem(_block_needle(node), "headings are not allowed in prose: the page's sections come from its template; start a paragraph with **bold text** instead")
        elif kind == "html_block":
            self.problem(_block_needle(node), "raw HTML is not allowed: write Markdown (**bold**, *italic*, [text](https://…)); put code in `backticks`")
        else:
            self.problem(_block_needle(node), f"'{kind}' is not part of the Markdown prose accepts: write paragraphs, lists or quotes")
        return []

    def list(self, node: SyntaxTreeNode, depth: int) -> list[Line]:
        """A bullet or numbered list; items with several blocks make a loose list, as Python-Markdown needs."""
        start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else None
        items = [self.blocks(item.children, depth + 1) for item in node.children]
        loose = any(sum(1 for line in item if not line) for item in items)
        lines: list[Line] = []
        for number, item in enumerate(items):
            if lines and loose:
                lines.append([])
            marker = "-   " if start is None else f"{start + number}. ".ljust(4)
            item = item or [[]]
            lines.append([marker, *item[0]])
            lines.extend(["    ", *line] if line else [] for line in item[1:])
        return lines

    def inline(self, nodes: list[SyntaxTreeNode], *, line_start: bool = False, in_link: bool = False) -> Line:
        """Inline nodes as one line of pieces (soft breaks are spaces, so no text ever starts a line)."""
        line: Line = []
        for node in nodes:
            start = line_start and not line
            kind = node.type
            if kind in ("text", "softbreak"):
                text = node.content if kind == "text" else " "
                if attribute_list := _ATTRIBUTE_LIST.search(text):
                    self.problem(attribute_list.group(), "attribute lists ({: …}) are not supported: remove it (the page's styles come from its template)")
                if line and type(line[-1]) is Words:  # one piece per run of text, so a term may span a line break
                    line[-1] = Words(line[-1].text + text, line[-1].line_start, line[-1].linkable)
                else:
                    line.append(Words(text, start, not in_link))
            elif kind == "hardbreak":
                line.append("<br>")
            elif kind in ("em", "strong"):
                mark = "*" if kind == "em" else "**"
                line += [mark, *self.inline(node.children, in_link=in_link), mark]
            elif kind == "code_inline":
                line.append(f"<code>{escape_text(node.content, line_start=False)}</code>")
            elif kind == "wikilink" and in_link:
                self.problem(node.content, "an [[id]] link inside another link: keep one of them")
            elif kind == "wikilink":
                line.append(WikiLink(node.meta["target"], node.meta["label"]))
            elif kind == "link":
                line += self.link(node, in_link)
            elif kind == "image":
                self.problem("![", "images are not allowed (the site loads nothing from elsewhere, and content holds no files): link to the picture instead")
            elif kind == "html_inline" and node.content.startswith("</") and self.tag_reported:
                continue  # its opening tag is reported
            elif kind == "html_inline":
                self.tag_reported = True
                self.problem(node.content, f"raw HTML ({_short(node.content)}) is not allowed: write Markdown (**bold**, *italic*, [text](https://…)); to show a tag as text, put it in `backticks`")
            else:
                self.problem(node.content or "", f"'{kind}' is not part of the Markdown prose accepts")
        return line

    def link(self, node: SyntaxTreeNode, in_link: bool) -> Line:
        """A link to an http(s) or mailto address: written with the address checked and re-encoded."""
        href = str(node.attrs.get("href", ""))
        text = self.inline(node.children, in_link=True)
        problem = link_problem(href)
        if problem:
            self.problem(_decoded(href), problem)
        elif node.attrs.get("title"):
            self.problem(str(node.attrs["title"]), "link titles are not allowed (themes show them as HTML tooltips): remove the quoted text after the address")
        elif in_link:
            self.problem(_decoded(href), "a link inside another link: keep one of them")
        else:
            return ["[", *text, "](", safe_url(href), ")"]
        return text


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


def _markup_count(line: Line) -> int:
    """How many inline constructs an engine finds in one written line: references, emphasis, code, links."""
    return sum(len(_MARKUP.findall(piece)) if type(piece) is str else len(SPECIAL.findall(piece.text)) if type(piece) is Words else 1 for piece in line)


def _line_text(line: Line) -> str:
    """The contributor text of a written line, to point at it."""
    return "".join(piece.text for piece in line if type(piece) is Words).strip()


def _join(lines: list[Line]) -> list[Piece]:
    """Lines of pieces as one list of pieces, neighbouring strings merged.

    Each run of neighbours is joined once when it ends: adding them one by one copies the growing
    text again for every piece (quadratic: a paragraph of 100,000 one-word lines took minutes).
    """
    pieces: list[Piece] = []
    run: list[str] = []  # the texts making up pieces[-1], while it can still grow
    for index, line in enumerate(lines):
        for piece in (["\n"] if index else []) + line:
            last = pieces[-1] if pieces else None
            if type(piece) is str and type(last) is str:
                run.append(piece)
            elif type(piece) is Words and type(last) is Words and last.linkable == piece.linkable:
                run.append(piece.text)
            elif piece != "" and not (type(piece) is Words and not piece.text):
                _end_run(pieces, run)
                pieces.append(piece)
                run = [piece] if type(piece) is str else [piece.text] if type(piece) is Words else []
    _end_run(pieces, run)
    return pieces


def _end_run(pieces: list[Piece], run: list[str]) -> None:
    """Make the last piece the text of its run of neighbours, joined."""
    if len(run) > 1:
        last = pieces[-1]
        pieces[-1] = "".join(run) if type(last) is str else Words("".join(run), last.line_start, last.linkable)


def _pre(code: str) -> str:
    """A code block as an escaped <pre> element: inert as HTML and as Markdown, in any engine.

    Leading spaces are references too, so no line reads as indented code, and empty lines hold
    one, so no engine ends the block early. Line breaks are references (&#10;), so the element is
    one line of Markdown: inside a list item or a quote, where no engine reads it as an HTML block,
    no line of code starts a line ('- b' a list, '---' a heading underline).
    """
    lines = [escape_text(line, line_start=False) for line in code.rstrip("\n").split("\n")]
    lines = [re.sub(r"^ +", lambda m: "&#32;" * len(m.group()), line) or "&#32;" for line in lines]
    return "<pre><code>" + "&#10;".join(lines) + "</code></pre>"


def _block_needle(node: SyntaxTreeNode) -> str:
    """Text to locate a block by: its first line as written."""
    first = node.children[0] if node.children else node
    content = first.content or (first.children[0].content if first.children else "")
    return content.split("\n", 1)[0].strip()[:60]


def _short(html: str) -> str:
    """Raw HTML quoted in a message: its first 40 characters."""
    return html if len(html) <= 40 else html[:39] + "…"


def _decoded(href: str) -> str:
    """A link address as the contributor probably wrote it (the parser percent-encodes)."""
    return unquote(href)
