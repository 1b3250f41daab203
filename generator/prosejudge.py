"""The judge of parsed prose: one walk of its syntax tree writes the accepted subset as pieces, the rest as problems.

Accepted are paragraphs, *emphasis*, **strong**, `code`, code blocks, bullet and numbered lists,
block quotes, horizontal rules, links to http(s) and mailto addresses and [[id]] entry links; each
is written as pieces (prosepieces.py) of Markdown this module writes, code as an escaped <code>/<pre>.
Raw HTML, images, headings, link titles, attribute lists, other link targets and nesting deeper
than MAX_DEPTH become a `Problem` naming the text to point at, which `kb check` locates in the YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it.tree import SyntaxTreeNode

from .escaping import escape_text, link_problem, safe_url
from .prosepieces import Line, WikiLink, Words

# Blocks inside blocks (a list in a quote in a list...): deeper than this no reader follows, and the
# parser's own limit (20) would drop what lies below it without a word.
MAX_DEPTH = 8
MAX_PROBLEMS = 5  # per field: the first few say what to fix; the rest repeat them
_ATTRIBUTE_LIST = re.compile(
    r"\{\s*(?::|[.#][\w-]|[\w-]+=)"
)  # {: .class }, { #id }, { key=value }: Python-Markdown's attr_list syntax


@dataclass(frozen=True)
class Problem:
    """Something a prose field may not hold: the text to point at, and what to do."""

    needle: str
    message: str


_LISTS = ("bullet_list", "ordered_list")


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
                self.problem(
                    _block_needle(node), f"lists and quotes are nested more than {MAX_DEPTH} deep: flatten them"
                )
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
            self.problem(
                _block_needle(node),
                "headings are not allowed in prose: the page's sections come from its template; "
                "start a paragraph with **bold text** instead",
            )
        elif kind == "html_block":
            self.problem(
                _block_needle(node),
                "raw HTML is not allowed: write Markdown (**bold**, *italic*, [text](https://…)); "
                "put code in `backticks`",
            )
        else:
            self.problem(
                _block_needle(node),
                f"'{kind}' is not part of the Markdown prose accepts: write paragraphs, lists or quotes",
            )
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
                    self.problem(
                        attribute_list.group(),
                        "attribute lists ({: …}) are not supported: "
                        "remove it (the page's styles come from its template)",
                    )
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
                self.problem(
                    "![",
                    "images are not allowed (the site loads nothing from elsewhere, and content holds no files): "
                    "link to the picture instead",
                )
            elif kind == "html_inline" and node.content.startswith("</") and self.tag_reported:
                continue  # its opening tag is reported
            elif kind == "html_inline":
                self.tag_reported = True
                self.problem(
                    node.content,
                    f"raw HTML ({_short(node.content)}) is not allowed: "
                    "write Markdown (**bold**, *italic*, [text](https://…)); "
                    "to show a tag as text, put it in `backticks`",
                )
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
            self.problem(
                str(node.attrs["title"]),
                "link titles are not allowed (themes show them as HTML tooltips): "
                "remove the quoted text after the address",
            )
        elif in_link:
            self.problem(_decoded(href), "a link inside another link: keep one of them")
        else:
            return ["[", *text, "](", safe_url(href), ")"]
        return text


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
