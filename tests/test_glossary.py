"""Golden cases for the glossary linker: which mentions of a defined term become tooltip links."""

from __future__ import annotations

import html

import pytest
from conftest import FIXTURES, make_project

from generator.glossary import Glossary, GlossaryTerm, link_title, link_words
from generator.pipeline import build_pages
from generator.prose import parse_prose, write_prose

TERMS = Glossary(
    [
        GlossaryTerm(
            "customer-focus",
            ("customer focus", "customer orientation"),
            "Customers first.",
            "definitions/customer-focus.md",
        ),
        GlossaryTerm(
            "deep-customer-focus",
            ("deep customer focus",),
            "Focus that reaches attitudes.",
            "definitions/deep-customer-focus.md",
        ),
        GlossaryTerm("touch-point", ("touch point",), 'A "moment" | where <we> meet.', "definitions/touch-point.md"),
    ]
)
FOCUS = '[{}](def/customer-focus.md "Customers first.")'
TOUCH = '[{}](def/touch-point.md "A &#38;quot;moment&#38;quot; &#124; where &#38;lt;we&#38;gt; meet.")'


def link(markdown: str, seen: set[str] | None = None) -> str:
    """Parse prose, link its first mentions, write it back; [[id]] links count as mentions, as on pages."""
    seen = set() if seen is None else seen
    url_for = lambda definition_id: f"def/{definition_id}.md"  # noqa: E731

    def wiki(target) -> str:
        seen.add(target.target)
        return f"[{target.label or target.target}](def/{target.target}.md)"

    return write_prose(parse_prose(markdown), wiki, lambda piece: link_words(piece, TERMS, seen, url_for))


@pytest.mark.parametrize(
    "markdown,expected",
    [
        # whole-word, case-insensitive, first mention only, keeping the reader's spelling
        (
            "Customer Focus matters; customer focus again.",
            FOCUS.format("Customer Focus") + " matters; customer focus again.",
        ),
        # an also-known-as name links to the same definition, once for the definition
        ("customer orientation, then customer focus.", FOCUS.format("customer orientation") + ", then customer focus."),
        # a plural counts as the same word; part of a longer word does not
        ("customer focused teams at two touch points", "customer focused teams at two " + TOUCH.format("touch points")),
        ("customer-focus-ish and customer focus", "customer-focus-ish and " + FOCUS.format("customer focus")),
        # the longest name wins where names overlap
        (
            "Deep customer focus first.",
            '[Deep customer focus](def/deep-customer-focus.md "Focus that reaches attitudes.") first.',
        ),
        # a mention may run over a line break in the YAML
        ("a customer\nfocus here", "a " + FOCUS.format("customer focus") + " here"),
        # never inside code spans or blocks, link text or link targets
        ("`customer focus` then customer focus", "<code>customer focus</code> then " + FOCUS.format("customer focus")),
        (
            "[customer focus](https://example.org/customer-focus) and customer focus",
            "[customer focus](https://example.org/customer-focus) and " + FOCUS.format("customer focus"),
        ),
        (
            "<https://example.org/customer-focus> and customer focus",
            "[https&#58;//example.org/customer-focus](https://example.org/customer-focus) and "
            + FOCUS.format("customer focus"),
        ),
        (
            "```\ncustomer focus\n```\n\ncustomer focus",
            "<pre><code>customer focus</code></pre>\n\n" + FOCUS.format("customer focus"),
        ),
        (
            "Text.\n\n    customer focus\n\ncustomer focus",
            "Text.\n\n<pre><code>customer focus</code></pre>\n\n" + FOCUS.format("customer focus"),
        ),
        # an explicit [[id]] link before the first plain mention counts as the mention
        ("[[customer-focus]] then customer focus", "[customer-focus](def/customer-focus.md) then customer focus"),
        (
            "[[customer-focus|customer focus]] then customer focus",
            "[customer focus](def/customer-focus.md) then customer focus",
        ),
        # a mention at the start of a paragraph is linked; text around it stays escaped
        ("Touch point *first* | then", TOUCH.format("Touch point") + " *first* &#124; then"),
        # words that merely contain a name are left alone
        ("CXO and customers focus", "CXO and customers focus"),
        # a dotless or dotted i matches as i (the pattern ignores case as Unicode does), never a crash
        ("Customer focus ı. customer orıentation", FOCUS.format("Customer focus") + " ı. customer orıentation"),
        ("CUSTOMER ORİENTATION first", FOCUS.format("CUSTOMER ORİENTATION") + " first"),
    ],
)
def test_golden_cases(markdown, expected):
    assert link(markdown) == expected


def test_terms_already_linked_on_the_page_are_not_linked_again():
    seen: set[str] = set()
    assert link("customer focus", seen) == FOCUS.format("customer focus")
    assert link("customer focus, once per page", seen) == "customer focus, once per page"
    assert seen == {"customer-focus"}


def test_the_definitions_own_page_never_links_its_names():
    assert link("Customer focus and customer orientation, and a touch point.", {"customer-focus"}) == (
        "Customer focus and customer orientation, and a " + TOUCH.format("touch point") + "."
    )


def test_no_definitions_leaves_text_alone():
    piece = parse_prose("customer focus").pieces[0]
    assert link_words(piece, Glossary([]), set(), str) == "customer focus"


def test_a_tooltip_title_is_escaped_text_for_the_themes_innerhtml():
    """Material inserts a title's DOM value with innerHTML: that value must be the summary HTML-escaped."""
    import markdown
    from bs4 import BeautifulSoup

    summary = "<img src=x onerror=alert(1)> \"quoted\" ('x') & [[id]] `tick` | pipe"
    rendered = markdown.markdown(f'[term](def/x.md "{link_title(summary)}")', extensions=["tables", "attr_list"])
    title = BeautifulSoup(rendered, "html.parser").a["title"]
    assert title == html.escape(summary, quote=True) and "<" not in title


def test_a_summary_with_brackets_or_backticks_stays_inside_its_tooltips(tmp_path):
    """A tooltip is a summary inside other prose: it must not make an [[id]] link or pair with a backtick there."""
    project = make_project(tmp_path / "p", FIXTURES / "training" / "content")
    definition = project / "content" / "definitions" / "touch-point.yaml"
    text = definition.read_text(encoding="utf-8")
    definition.write_text(
        text.replace(
            "summary: Any moment where a customer meets the company.", "summary: See [[no-such-entry]] and `quoted."
        ),
        encoding="utf-8",
    )
    _, pages = build_pages(project)  # the link stage never sees a tooltip, so its [[...]] must stay text
    tooltips = [page.markdown for page in pages if '/touch-point.md "' in page.markdown]
    assert len(tooltips) >= 2
    assert all(
        '/touch-point.md "See &#91;&#91;no-such-entry&#93;&#93; and &#96;quoted.")' in markdown for markdown in tooltips
    )
