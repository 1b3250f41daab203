"""The HTML allowlist: payloads are removed, and nothing prose, the templates and our Markdown extensions make is lost.

Prose no longer reaches the sanitiser with raw HTML or attribute lists (they are refused by `kb check`, see the
golden diagnostic cases): the allowlist is defence in depth, and the kitchen sink holds every construct prose accepts.
"""

from __future__ import annotations

import markdown
import pytest
import segno
from bs4 import BeautifulSoup
from htmlsafety import body_problems
from kbtest import FIXTURES, GOLDEN, MKDOCS_ENV, assert_golden, make_project
from sitecrawl import parse

from generator.pipeline import build_pages
from generator.prose import parse_prose, write_prose
from generator.sanitize import sanitize_html

BOOLEAN_ATTRIBUTES = {"checked", "open"}  # checked="" and checked="checked" mean the same
IMPLIED = {"tbody"}  # an HTML5 parser adds <tbody> to a bare <table><tr>, as browsers do

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src="https://example.org/x.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<a href="//evil.example/">protocol-relative</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">',
    '<svg onload="alert(1)"><script>alert(1)</script><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<svg><foreignObject><img src="https://example.org/x" onerror="alert(1)"></foreignObject></svg>',
    '<math><mtext><table><mglyph><style><img src="https://example.org/x" onerror="alert(1)">'
    "</style></mglyph></table></mtext></math>",
    '<p style="background:url(https://evil.example/x.png)">styled</p><style>p{color:red}</style>',
    '<form action="https://evil.example/"><input type="text" name="q">'
    '<button formaction="javascript:alert(1)">go</button></form>',
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">'
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<details open ontoggle="alert(1)"><summary>s</summary>x</details>',
    '<p id="__config">theme id</p><label for="__search">clobber</label>',
    '<div data-md-component="search" onmouseover="alert(1)">component hijack</div>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitiser_leaves_nothing_that_runs_or_loads(payload):
    before = BeautifulSoup(payload, "html.parser")
    assert (
        body_problems(before) or before.find(attrs={"data-md-component": True}) or "//evil" in payload
    )  # the payload is live
    cleaned = BeautifulSoup(sanitize_html(payload), "html.parser")
    assert body_problems(cleaned) == []
    assert cleaned.find(attrs={"data-md-component": True}) is None
    assert "evil.example" not in str(cleaned.find_all("a"))


def _canonical(html: str) -> list:
    """A comparable form of an HTML tree: tags, attributes (booleans as presence) and text, in order."""
    nodes = []
    for node in BeautifulSoup(html, "html.parser").descendants:
        if node.name in IMPLIED:
            continue
        if node.name is None:
            nodes.append(str(node))
        else:
            attributes = {
                k: (True if k in BOOLEAN_ATTRIBUTES else (" ".join(v) if isinstance(v, list) else v))
                for k, v in node.attrs.items()
            }
            nodes.append((node.name, sorted(attributes.items())))
    return nodes


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory):
    """The hostile corpus laid out as a project (not built: these tests render its pages themselves)."""
    return make_project(tmp_path_factory.mktemp("kitchen-sink") / "project", FIXTURES / "hostile" / "content")


@pytest.fixture(scope="module")
def markdown_config(hostile_project, monkeypatch_module):
    """The Markdown extensions and their settings exactly as mkdocs.yml enables them."""
    from mkdocs.config import load_config

    return load_config(str(hostile_project / "mkdocs.yml"))


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        for name, value in MKDOCS_ENV.items():
            patch.setenv(name, value)
        yield patch


def _kitchen_sink_html(project, config) -> str:
    """The kitchen-sink entry page rendered by Python-Markdown with our extensions, before sanitising."""
    _, pages = build_pages(project)
    page = next(p for p in pages if p.path == "definitions/kitchen-sink.md")
    body = page.markdown.split("---\n", 2)[2]  # drop the front matter
    return markdown.markdown(body, extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


KITCHEN_SINK = {  # what prose accepts (the entry's body), then what its template adds
    "paragraph": "p",
    "emphasis": "p > em",
    "strong": "p > strong",
    "strong emphasis": "strong > em",
    "code span": "p > code",
    "code block": "pre > code",
    "hard break": "p > br",
    "bullet list": "ul > li",
    "nested bullet list": "ul > li > ul > li",
    "numbered list": "ol > li",
    "nested numbered list": "ol > li > ol > li",
    "loose list item": "li > p + p",
    "block quote": "blockquote > p",
    "nested block quote": "blockquote > blockquote > p",
    "rule": "blockquote + hr",
    "web link": "a[href^='https://example.org/page']",
    "mail link": "a[href^=mailto]",
    "autolink": "a[href='https://example.org/auto']",
    "entry link": "a[href='yaml-traps.md']:not([title])",
    "entry link with text": "a[href='../behaviours/cycle-a.md']",
    "glossary tooltip": "a[href='yaml-traps.md'][title]",
    "toc permalink": "h1 > a.headerlink",
    "kind badge": "span.kb-kind",
    "highlighted block": "div.highlight pre code",
}


def test_kitchen_sink_loses_nothing_to_the_sanitiser(hostile_project, markdown_config):
    raw = _kitchen_sink_html(hostile_project, markdown_config)
    soup = BeautifulSoup(raw, "html.parser")
    missing = [name for name, selector in KITCHEN_SINK.items() if soup.select_one(selector) is None]
    assert missing == [], "the kitchen sink no longer exercises these"
    assert body_problems(soup) == []
    assert _canonical(sanitize_html(raw)) == _canonical(raw)


def test_kitchen_sink_page_matches_golden_html(hostile_build):
    article = parse(hostile_build.site / "definitions" / "kitchen-sink" / "index.html").find("article")
    assert article.select_one("blockquote blockquote") is not None and article.select_one("ol ol") is not None
    assert article.select_one("a.md-content__button") is None  # built without KB_EDIT_URI: no edit link
    assert_golden(GOLDEN / "html" / "kitchen-sink.html", article.prettify())


def test_adjacent_lists_of_different_kinds_stay_apart():
    """KNOWN BUG (generator/prosejudge.py, _Writer.blocks): two lists that CommonMark reads as two (a bullet list,
    then a numbered one) are written with only a blank line between them, and Python-Markdown joins them into
    one list."""
    written = write_prose(parse_prose("- a bullet\n\n1. a number"), lambda link: "")
    soup = BeautifulSoup(markdown.markdown(written), "html.parser")
    assert [(element.name, element.get_text(strip=True)) for element in soup.find_all(["ul", "ol"])] == [
        ("ul", "a bullet"),
        ("ol", "a number"),
    ], written


def test_qr_code_svg_from_segno_survives_unchanged():
    svg = segno.make("https://example.org/paths/first-steps/").svg_inline(scale=2)
    assert _canonical(sanitize_html(svg)) == _canonical(svg)
