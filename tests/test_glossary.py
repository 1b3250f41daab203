"""Golden cases for the glossary linker: which mentions of a defined term become tooltip links."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, make_project
from generator.glossary import Glossary, GlossaryTerm, link_first_mentions
from generator.pipeline import build_pages

TERMS = Glossary([
    GlossaryTerm("customer-focus", ("customer focus", "customer orientation"), "Customers first."),
    GlossaryTerm("deep-customer-focus", ("deep customer focus",), "Focus that reaches attitudes."),
    GlossaryTerm("touch-point", ("touch point", "CX"), 'A "moment" | where we meet.'),
])
FOCUS = '[{}](def/customer-focus.md "Customers first.")'


def link(markdown: str, seen: set[str] | None = None) -> str:
    return link_first_mentions(markdown, TERMS, set() if seen is None else seen, lambda definition_id: f"def/{definition_id}.md")


@pytest.mark.parametrize(
    "markdown,expected",
    [
        # whole-word, case-insensitive, first mention only, keeping the reader's spelling
        ("Customer Focus matters; customer focus again.", FOCUS.format("Customer Focus") + " matters; customer focus again."),
        # an also-known-as name links to the same definition, once for the definition
        ("customer orientation, then customer focus.", FOCUS.format("customer orientation") + ", then customer focus."),
        # a plural counts as the same word; part of a longer word does not
        ("customer focused teams at two touch points", 'customer focused teams at two [touch points](def/touch-point.md "A &quot;moment&quot; &#124; where we meet.")'),
        ("customer-focus-ish and customer focus", "customer-focus-ish and " + FOCUS.format("customer focus")),
        # the longest name wins where names overlap
        ("Deep customer focus first.", '[Deep customer focus](def/deep-customer-focus.md "Focus that reaches attitudes.") first.'),
        # a mention may run over a line break in the YAML
        ("a customer\nfocus here", "a " + FOCUS.format("customer\nfocus") + " here"),
        # never inside inline code, existing links, link targets, autolinks or HTML
        ("`customer focus` then customer focus", "`customer focus` then " + FOCUS.format("customer focus")),
        ("[customer focus](https://example.org/customer-focus) and customer focus", "[customer focus](https://example.org/customer-focus) and " + FOCUS.format("customer focus")),
        ("<https://example.org/customer focus> <b title='customer focus'>x</b>", "<https://example.org/customer focus> <b title='customer focus'>x</b>"),
        # an explicit [[id]] link before the first plain mention counts as the mention
        ("[[customer-focus]] then customer focus", "[[customer-focus]] then customer focus"),
        ("[[customer-focus|customer focus]] then customer focus", "[[customer-focus|customer focus]] then customer focus"),
        # never in headings (ATX or setext) or fenced or indented code
        ("## Customer focus\n\ncustomer focus", "## Customer focus\n\n" + FOCUS.format("customer focus")),
        ("Customer focus\n--------------\n\ncustomer focus", "Customer focus\n--------------\n\n" + FOCUS.format("customer focus")),
        ("```\ncustomer focus\n```\ncustomer focus", "```\ncustomer focus\n```\n" + FOCUS.format("customer focus")),
        ("~~~~\ncustomer focus\n~~~\nstill code\n~~~~\ncustomer focus", "~~~~\ncustomer focus\n~~~\nstill code\n~~~~\n" + FOCUS.format("customer focus")),
        ("Text.\n\n    customer focus\n\ncustomer focus", "Text.\n\n    customer focus\n\n" + FOCUS.format("customer focus")),
        # a summary with quotes, a pipe, a backslash or angle brackets stays inside the title, also in a table
        ("| CX |", '| [CX](def/touch-point.md "A &quot;moment&quot; &#124; where we meet.") |'),
        # words that merely contain a name are left alone
        ("CXO and customers focus", "CXO and customers focus"),
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
        'Customer focus and customer orientation, and a [touch point](def/touch-point.md "A &quot;moment&quot; &#124; where we meet.").'
    )


def test_no_definitions_leaves_markdown_alone():
    assert link_first_mentions("customer focus", Glossary([]), set(), str) == "customer focus"


def test_a_summary_with_brackets_or_backticks_stays_inside_its_tooltips(tmp_path):
    """A tooltip is a summary inside other prose: it must not make an [[id]] link or pair with a backtick there."""
    project = make_project(tmp_path / "p", FIXTURES / "training" / "content")
    definition = project / "content" / "definitions" / "touch-point.yaml"
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("summary: Any moment where a customer meets the company.", "summary: See [[no-such-entry]] and `quoted."), encoding="utf-8")
    _, pages, _ = build_pages(project)  # the link stage never sees a tooltip, so its [[...]] must stay text
    tooltips = [page.markdown for page in pages if '/touch-point.md "' in page.markdown]
    assert len(tooltips) >= 2
    assert all('/touch-point.md "See &#91;&#91;no-such-entry&#93;&#93; and &#96;quoted.")' in markdown for markdown in tooltips)
