"""The check of XML and SVG documents, feeds and the search index (verify.py), with Python's streaming html.parser.

html.parser is linear in the bytes read and keeps line numbers, so these problems name the line.
Where it and a browser disagree (comments like <!-->, CDATA sections, `</script foo>`, markup in a
<style> inside <svg>), the disagreement itself is reported, so nothing a browser would see hides in
text the parser skipped. HTML that a script inserts into a page (search results, a feed's entries)
is checked as a fragment: all of it is page body. HTML pages are pagecheck.py's.
"""

from __future__ import annotations

import functools
import json
import re
from html.parser import HTMLParser

from . import csp
from .verifyrules import (
    ACTIVE_ELEMENTS,
    BODY_FORBIDDEN,
    MARKUP_START,
    SCRIPT_END_OR_ESCAPE,
    SCRIPT_URL_ATTRIBUTES,
    WATCHED_ATTRIBUTES,
    css_problems,
    is_script_url,
    leaves_site,
    link_problem,
    refresh_problem,
    show,
    url_problems,
)

# Elements checked outside a page body too (in a body, every element is).
WATCHED_ELEMENTS = ACTIVE_ELEMENTS | {"meta", "link"}
# Material's search renders these fields of search_index.json as HTML (titles, text and tags of the results; our
# names field is highlighted like them, see searchindex.py).
SEARCH_HTML_FIELDS = ("title", "text", "tags", "names")
# Feed elements whose text a reader renders as HTML (RSS description, Atom type="html").
FEED_HTML_ELEMENTS = {"description", "content:encoded"}
_RAW_TEXT_END = re.compile(r"</(script|style)[\t\n\f\r />]", re.I)  # what ends a script or style in a browser
# Tags without attributes of elements no rule concerns: text of which only these are markup is harmless.
_PLAIN_TAG = re.compile(
    r"</?(?:p|li|ul|ol|code|pre|em|strong|b|i|s|u|br|hr|h[1-6]|table|thead|tbody|tr|th|td|blockquote|dl|dt|dd|kbd|mark|sub|sup|del|ins|small|span|div)>"
)


def xml_problems(rel: str, text: str) -> list[str]:
    """Parse an XML or SVG document and report its problems (HTML pages: pagecheck.py)."""
    checker = _MarkupChecker()
    checker.feed(text)
    checker.close()
    return [f"{rel}: {problem}" for problem in checker.finish()]


@functools.lru_cache(maxsize=100_000)  # a preview rebuild rewrites the whole search index, of which one entry changed
def fragment_problems(markup: str) -> tuple[str, ...]:
    """Problems of HTML that a script inserts into a page (search results, feed entries): all of it is body."""
    if len(_PLAIN_TAG.findall(markup)) == markup.count("<"):
        return ()  # every '<' opens or closes a bare text element (nearly every search entry): nothing to report
    checker = _MarkupChecker(body=True)
    checker.feed(markup)
    checker.close()
    return tuple(checker.finish())


def json_problems(rel: str, text: str) -> list[str]:
    """JSON must parse; the search index's titles, text and tags must be harmless HTML (Material renders them)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return [f"{rel}: not valid JSON ({exc})"]
    docs = data.get("docs") if isinstance(data, dict) else None
    if not isinstance(docs, list):
        return []
    problems = []
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        for field in SEARCH_HTML_FIELDS:
            values = doc.get(field)
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, str) and "<" in value:  # without a tag, HTML is text
                    problems += [
                        f"{rel}: search result {doc.get('location', '?')!s:.60} {field}: {p}"
                        for p in fragment_problems(value)
                    ]
    return problems


class _MarkupChecker(HTMLParser):
    """Walks one document's tags as they stream past and collects its problems.

    A document runs no scripts; a fragment (body=True) is contributor content, inserted into a page as HTML.
    """

    def __init__(self, *, body: bool = False):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.body = body
        self.ellipsis: str | None = None  # tag of the open .md-ellipsis element, whose text Material turns into a title
        self.ellipsis_depth = 0
        self.raw: tuple[str, dict[str, str]] | None = None  # the open <script> or <style> and its attributes
        self.raw_text: list[str] = []
        self.feed_html: str | None = None  # the open feed element whose text is HTML
        self.position = 0  # offset of the token being handled, in rawdata

    # problems

    def updatepos(self, i: int, j: int) -> int:
        """Remember where the parser is; count the line only for a problem (html.parser counts every token's lines)."""
        self.position = j
        return j

    def report(self, what: str) -> None:
        """Record a problem at the line of the token being handled."""
        line = self.rawdata.count("\n", 0, self.position) + 1
        self.problems.append(f"{what} (line {line})")

    # tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Check an element and its attributes, then follow the regions it opens."""
        attributes: dict[str, str] = {}
        for name, value in attrs:
            attributes.setdefault(name, value or "")  # a browser keeps the first of two same-named attributes
        if tag in WATCHED_ELEMENTS or self.body:
            self._check_element(tag, attributes)
        if attrs:
            self._check_attributes(tag, attrs)
        if tag in ("script", "style"):
            self.raw, self.raw_text = (tag, attributes), []
        self._track_regions(tag, attributes)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A tag written <x/>: in HTML the slash is ignored, so the element opens as usual."""
        # In HTML the slash of <div/> or <script/> is ignored: the element opens, and a script's text follows.
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.set_cdata_mode(tag)

    def handle_endtag(self, tag: str) -> None:
        """Check a finished script or style; close the regions the tag ends."""
        if self.raw is not None and tag == self.raw[0]:
            if not _RAW_TEXT_END.match(self.rawdata, self.position):  # html.parser also ends a script at `</ script>`
                self.report(f"<{tag}> ended by a tag that browsers read as its text")
            self._check_raw_element(*self.raw, "".join(self.raw_text))
            self.raw = None
        if self.ellipsis == tag:
            self.ellipsis_depth -= 1
            if self.ellipsis_depth == 0:
                self.ellipsis = None
        if tag == self.feed_html:
            self.feed_html = None

    def handle_data(self, data: str) -> None:
        """Collect a script's or style's text; check text that Material or a feed reader turns into HTML."""
        if self.raw is not None:
            self.raw_text.append(data)
            return
        if self.ellipsis is not None and MARKUP_START.search(data):
            self.report(f"text {show(data.strip())} in .md-ellipsis: Material copies it into a tooltip as HTML")
        if self.feed_html is not None and "<" in data:
            for problem in fragment_problems(data):
                self.report(f"<{self.feed_html}> holds HTML with {problem}")

    def handle_comment(self, data: str) -> None:
        """Report a comment a browser would end before html.parser does."""
        # Browsers end <!--> and <!---> at once, and a comment at --!>: what follows is markup to them,
        # not to html.parser.
        if data.startswith((">", "->")) or "--!>" in data:
            self.report(f"comment {show(data)} that browsers end earlier than html.parser does")

    def unknown_decl(self, data: str) -> None:
        """Report a CDATA section, which an HTML browser reads differently."""
        # <![CDATA[ is a comment to an HTML browser, ending at the first '>': html.parser reads on to ]]>.
        self.report(f"<![{show(data)}]]> section that browsers parse differently")

    def handle_pi(self, data: str) -> None:
        """Report an XML stylesheet instruction that loads from another host."""
        href = re.search(r"""href\s*=\s*(['"])(.*?)\1""", data, re.S)
        if (
            data.lower().startswith("xml-stylesheet")
            and href
            and (leaves_site(href.group(2)) or is_script_url(href.group(2)))
        ):
            self.report(f"<?{show(data)}?> loads a stylesheet from another host")

    # the checks

    def _check_element(self, tag: str, attributes: dict[str, str]) -> None:
        """Elements that embed, run or redirect; forms and styles in a body; meta refresh off the site."""
        if tag in ACTIVE_ELEMENTS:
            self.report(f"<{tag}> element")
        if self.body and tag in BODY_FORBIDDEN:
            self.report(f"<{tag}> in the page body")
        if tag == "meta":
            problem = refresh_problem(attributes.get("http-equiv", ""), attributes.get("content", ""))
        else:  # an Atom <link> loads nothing
            problem = (
                link_problem(attributes.get("href", ""), attributes.get("rel", ""))
                if tag == "link" and self.body
                else None
            )
        if problem:
            self.report(problem)

    def _check_attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Event handlers, script URLs, loads from other hosts, body styles, markup in titles (every copy of each)."""
        for name, value in attrs:
            if name not in WATCHED_ATTRIBUTES and not name.startswith("on"):
                continue  # most attributes (class, id, aria-*) need no check: keep the common case cheap
            value = value or ""
            if name.startswith("on"):
                self.report(f"<{tag} {name}=…> event handler")
            elif name in SCRIPT_URL_ATTRIBUTES:
                for problem in url_problems(tag, name, value):
                    self.report(problem)
            if name == "style":
                if self.body:
                    self.report(f"<{tag} style=…> in the page body")
                for problem in css_problems(value):
                    self.report(f"<{tag} style=…>: {problem}")
            if name == "title" and MARKUP_START.search(value):
                self.report(f"<{tag} title={show(value)}>: Material's tooltips render a title as HTML")

    def _check_raw_element(self, tag: str, attributes: dict[str, str], text: str) -> None:
        """A whole <script> or <style> element, once its text is known."""
        if tag == "style":
            if MARKUP_START.search(text):  # a browser may read it as elements where html.parser reads text
                self.report("markup inside <style>: a browser may parse it as elements (as inside <svg>)")
            for problem in css_problems(text):
                self.report(f"<style>: {problem}")
            return
        if SCRIPT_END_OR_ESCAPE.search(text):
            self.report("<script> whose text holds '</script' or '<!--': browsers end it elsewhere")
        if self.body:
            self.report("<script> in the page body")
        elif attributes.get("type", "").strip().lower() not in csp.DATA_SCRIPT_TYPES:
            shown = f"<script src={show(attributes['src'])}>" if "src" in attributes else "inline <script>"
            self.report(f"{shown} in a document that runs no scripts")

    def _track_regions(self, tag: str, attributes: dict[str, str]) -> None:
        """Follow .md-ellipsis texts and feed elements that hold HTML."""
        if self.ellipsis == tag:
            self.ellipsis_depth += 1
        elif self.ellipsis is None and "md-ellipsis" in attributes.get("class", "").split():
            self.ellipsis, self.ellipsis_depth = tag, 1
        if (tag in FEED_HTML_ELEMENTS or attributes.get("type", "").lower() in ("html", "text/html")) and tag not in (
            "link",
            "a",
        ):
            self.feed_html = tag

    def finish(self) -> list[str]:
        """The problems, with an unfinished script or style."""
        if self.raw is not None:
            self._check_raw_element(*self.raw, "".join(self.raw_text))
        return self.problems
