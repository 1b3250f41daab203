"""The check of a published HTML page (verify.py), on the DOM a browser builds from it.

lexbor (through selectolax) parses a page by the HTML standard, exactly as a browser does: the
elements and attributes checked here are the ones a browser creates, wherever html.parser and a
browser would have disagreed (comments like <!-->, CDATA sections, `</script foo>`, markup in a
<style> inside <svg>). The rules are verifyrules.py's. A page is read once, by one CSS query answered
in C for the few elements the rules concern, and one more in its body (Material's .md-content).

Raw-text scans of the page, lower-cased with every separator of attributes made a space, decide
what else to read: `on…=` attributes have no CSS selector, so only a page whose text holds one has
every attribute read; rare URL attributes (srcset, poster, action…) and `style` are queried only
where the text holds one; an embedding element's tag that the parser drops or reads as text
(<frameset> in a body) is reported too. A page with <noscript> is also read as a browser with
scripts on reads it (its content as text), and each <template>'s content is checked as well.
lexbor keeps no line numbers: a page's problems name the element, not the line.
"""

from __future__ import annotations

import functools
import posixpath
import re
import threading
from typing import TYPE_CHECKING

from selectolax.lexbor import LexborCSSSelector, LexborHTMLParser, LexborNode

from . import csp
from .verifyrules import (
    ACTIVE_ELEMENTS,
    BODY_FORBIDDEN,
    MARKUP_START,
    SCRIPT_END_OR_ESCAPE,
    SCRIPT_URL_ATTRIBUTES,
    WATCHED_ATTRIBUTES,
    css_problems,
    link_problem,
    refresh_problem,
    show,
    url_problems,
)

if TYPE_CHECKING:  # verify.py builds on this module
    from .verify import Site

# Lower-case; the characters an attribute name follows (whitespace, '/', a quote) become a space.
_NORMAL = bytes.maketrans(bytes(range(65, 91)) + b"\t\n\f\r/\"'", bytes(range(97, 123)) + b" " * 7)
# Attributes queried only when the page's text holds one with a value; on… is every handler.
_RARE = sorted((SCRIPT_URL_ATTRIBUTES - {"href", "src"}) | {"style"}, key=len, reverse=True)
# Read backwards from each '=' (a fast scan): an attribute name that is rare or starts with "on", then a space.
_RARE_OR_HANDLER = re.compile(rb"= *(?:[^ >=]*no|%s) " % b"|".join(re.escape(name.encode()[::-1]) for name in _RARE))
_ATTRIBUTE_NAME = re.compile(rb"= *([^ >=]+) ")  # backwards, as above
# The elements whose tags alone decide which queries a page needs.
_SCANNED_TAGS = ACTIVE_ELEMENTS | {"noscript", "style", "template"}
_TAG = re.compile(rb"<(%s)[ >]" % b"|".join(sorted((tag.encode() for tag in _SCANNED_TAGS), key=len, reverse=True)))
# What every page is queried for: a script URL holds ':' once decoded, and a link (<a>, <area>) loads nothing.
_ALWAYS = [
    "script",
    "meta[http-equiv]",
    ".md-ellipsis",
    "div.md-content",
    '[title*="<"]',
    '[href*=":"]',
    "[href]:not(a):not(area)",
    "[src]",
]
_IN_BODY = ", ".join(sorted(BODY_FORBIDDEN - {"style"}) + ["script"])
_ENGINE = threading.local()
# lexbor's numbers of the elements the query dispatches on (a number is cheaper to read from a node than its name).
_IDS = {
    node.tag: node.tag_id
    for node in LexborHTMLParser(
        "<script></script><meta><link><style></style><template></template><div>"
    ).root.traverse()
}
_SCRIPT, _META, _LINK, _STYLE, _TEMPLATE, _DIV = (
    _IDS[tag] for tag in ("script", "meta", "link", "style", "template", "div")
)


def page_problems(site: Site, rel: str, data: bytes) -> list[str]:
    """Every problem of an HTML page published at rel, one line each."""
    page = _Page(site, rel, data.translate(_NORMAL))
    for scripting in (
        (False, True) if "noscript" in page.tags else (False,)
    ):  # without and with scripts, as browsers read <noscript>
        page.check(LexborHTMLParser(data, scripting=scripting), policy=not scripting)
    return [f"{rel}: {problem}" for problem in dict.fromkeys(page.problems)]


def _css(query: str, root: LexborNode) -> list[LexborNode]:
    """The elements of root's tree (root too) that a selector list matches, in document order, each once per selector.

    One selector engine per thread: selectolax would make one for every document.
    """
    engine = getattr(_ENGINE, "selector", None)
    if engine is None:
        engine = _ENGINE.selector = LexborCSSSelector()
    return engine.find(query, root)


@functools.lru_cache(maxsize=16_384)  # pages repeat their theme's elements
def _attribute_problems(tag: str, attributes: tuple[tuple[str, str | None], ...]) -> tuple[str, ...]:
    """The problems of an element's URL attributes, style and title (a style in the body aside)."""
    problems: list[str] = []
    for name, value in attributes:
        if name in SCRIPT_URL_ATTRIBUTES:
            problems += url_problems(tag, name, value or "")
        elif name == "style":
            problems += (f"<{tag} style=…>: {problem}" for problem in css_problems(value or ""))
        elif name == "title" and value and MARKUP_START.search(value):
            problems.append(f"<{tag} title={show(value)}>: Material's tooltips render a title as HTML")
    return tuple(problems)


@functools.lru_cache(maxsize=1024)  # pages at one depth share their theme's scripts
def _policy(hashes: tuple[str, ...] | None, preview: bool) -> str:
    return csp.policy(None if hashes is None else csp.unique(hashes), preview=preview)


class _Page:
    """The problems of a page, from what its text holds and its DOM."""

    def __init__(self, site: Site, rel: str, text: bytes):
        self.site, self.folder = site, posixpath.dirname(rel)
        self.problems: list[str] = []
        backwards = text[::-1]
        names = (
            {name[::-1].decode("utf-8", "replace") for name in _ATTRIBUTE_NAME.findall(backwards)}
            if _RARE_OR_HANDLER.search(backwards)
            else set()
        )
        self.handlers = any(name.startswith("on") for name in names)
        styled = "style" in names
        extra = [
            r"[xlink\:href]" if name == "xlink:href" else f"[{name}]" for name in sorted(names & SCRIPT_URL_ATTRIBUTES)
        ]
        self.tags = {match.decode() for match in _TAG.findall(text)}
        self.active_tags = self.tags & ACTIVE_ELEMENTS
        watched = sorted(self.tags & {"style", "template"}) + ["[style]"] * styled
        self.query = ", ".join(_ALWAYS + extra + watched + sorted(ACTIVE_ELEMENTS) * bool(self.active_tags))
        self.body_query = ", ".join([_IN_BODY] + watched)

    def report(self, what: str | None) -> None:
        if what:
            self.problems.append(what)

    def check(self, tree: LexborHTMLParser, *, policy: bool) -> None:
        """Check the document and its templates' content; then the tags the parser dropped, and the policy."""
        self.inline_hashes: list[str] = []
        self.loads_scripts = False
        self.active_found: set[str] = set()
        root = tree.root
        if root is not None:
            self._check_scope(root, body=False)
        for tag in sorted(self.active_tags - self.active_found):
            self.report(f"<{tag}> element written where browsers drop it or read it as text")
        if policy:
            self._check_policy(tree)

    def _check_scope(self, root: LexborNode, body: bool) -> None:
        """Every rule on a document (root: its <html>) or a template's content; body: all of it is from contributors."""
        seen, contents, scripts, styled, templates = set(), [], [], [], []
        for node in _css(self.query, root):
            number = node.mem_id
            if number in seen:  # a selector list matches an element once per selector
                continue
            seen.add(number)
            tag_id, attributes = node.tag_id, node.attributes
            if tag_id == _SCRIPT:
                scripts.append((node, attributes))
            elif tag_id == _META:
                self.report(refresh_problem(attributes.get("http-equiv") or "", attributes.get("content") or ""))
            elif tag_id == _LINK:
                self.report(link_problem(attributes.get("href") or "", attributes.get("rel") or ""))
            elif tag_id == _STYLE:
                self._check_style(node.text())
            elif tag_id == _TEMPLATE:
                templates.append(node)
            elif tag_id != _DIV and node.tag.lower() in ACTIVE_ELEMENTS:
                self.active_found.add(node.tag.lower())
                self.report(f"<{node.tag.lower()}> element")
            classes = (attributes.get("class") or "").lower()  # class names match case-insensitively in quirks mode
            if "md-" in classes:
                classes = classes.split()
                if "md-content" in classes and tag_id == _DIV:
                    contents.append(node)
                if "md-ellipsis" in classes:
                    text = node.text()
                    if MARKUP_START.search(text):
                        self.report(
                            f"text {show(text.strip())} in .md-ellipsis: Material copies it into a tooltip as HTML"
                        )
            if attributes.keys() & WATCHED_ATTRIBUTES:
                tag = node.tag.lower()
                self.problems += _attribute_problems(tag, tuple(attributes.items()))
                if "style" in attributes:
                    styled.append((node, tag))
        in_body = self._check_body([root] if body else contents)
        for node, tag in styled:
            if body or node.mem_id in in_body:
                self.report(f"<{tag} style=…> in the page body")
        for node, attributes in scripts:
            self._check_script(node.text(), attributes, body or node.mem_id in in_body)
        if self.handlers:
            for node in root.traverse():
                for name in node.attributes if node.is_element_node else ():
                    if name.lower().startswith("on"):
                        self.report(f"<{node.tag.lower()} {name.lower()}=…> event handler")
        if templates:
            fragments = {fragment.parent.mem_id: fragment for fragment in root.template_fragments()}
            for template in templates:
                if template.mem_id in fragments:  # templates nested in a template's content are that content's
                    self._check_scope(fragments[template.mem_id], body or template.mem_id in in_body)

    def _check_body(self, bodies: list[LexborNode]) -> set[int]:
        """Report forbidden elements inside each body (a scope, or a .md-content); the ids of its watched elements."""
        found = set()
        for body in bodies:
            for node in _css(self.body_query, body):
                if node.mem_id != body.mem_id and node.mem_id not in found:  # a query matches its root too
                    found.add(node.mem_id)
                    if node.tag.lower() in BODY_FORBIDDEN:
                        self.report(f"<{node.tag.lower()}> in the page body")
        return found

    def _check_style(self, text: str) -> None:
        """A <style> element's stylesheet: no loads from other hosts, and no markup."""
        if MARKUP_START.search(text):
            self.report("markup inside <style>: a browser may parse it as elements (as inside <svg>)")
        for problem in css_problems(text):
            self.report(f"<style>: {problem}")

    def _check_script(self, text: str, attributes: dict[str, str | None], body: bool) -> None:
        """No script in the body; elsewhere a file of the site, or an inline script of the theme's."""
        if SCRIPT_END_OR_ESCAPE.search(text):
            self.report("<script> whose text holds '</script' or '<!--': browsers end it elsewhere")
        if body:
            self.report("<script> in the page body")
            return
        if (attributes.get("type") or "").strip().lower() in csp.DATA_SCRIPT_TYPES:
            return
        self.loads_scripts = True
        if "src" in attributes:
            self.report(self.site.script_file_problem(self.folder, attributes["src"] or ""))
            return
        theirs, digest = self.site.inline_script(text)
        if not theirs:
            self.report(f"inline <script> {show(text.strip())} that the theme's templates do not emit")
        self.inline_hashes.append(digest)

    def _check_policy(self, tree: LexborHTMLParser) -> None:
        """The page opens its <head> with the policy allowing exactly its own inline scripts (or none)."""
        head = tree.head
        first = next((node for node in head.iter() if node.is_element_node), None) if head is not None else None
        attributes = first.attributes if first is not None and first.tag == "meta" else {}
        policy = (
            attributes.get("content") or ""
            if (attributes.get("http-equiv") or "").strip().lower() == "content-security-policy"
            else None
        )
        expected = {_policy(tuple(self.inline_hashes), self.site.preview)}
        if not self.inline_hashes:  # a redirect page: its own file's script, or none; the same in the preview
            expected.add(_policy(() if self.loads_scripts else None, False))
        if policy is None:
            self.report("no Content-Security-Policy <meta> as the first element of <head>")
        elif policy not in expected:
            self.report(f"Content-Security-Policy {show(policy)} does not fit the page's scripts")
