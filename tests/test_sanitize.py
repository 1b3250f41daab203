"""The HTML allowlist: payloads are removed, and nothing our Markdown extensions make is lost."""

from __future__ import annotations

import markdown
import pytest
import segno
from bs4 import BeautifulSoup

from conftest import GOLDEN, MKDOCS_ENV, assert_golden
from generator.pipeline import build_pages
from generator.sanitize import sanitize_html
from htmlsafety import body_problems
from sitecrawl import parse

BOOLEAN_ATTRIBUTES = {"checked", "open"}  # checked="" and checked="checked" mean the same
IMPLIED = {"tbody"}  # an HTML5 parser adds <tbody> to a bare <table><tr>, as browsers do

PAYLOADS = [
    '<script>alert(1)</script>',
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
    '<math><mtext><table><mglyph><style><img src="https://example.org/x" onerror="alert(1)"></style></mglyph></table></mtext></math>',
    '<p style="background:url(https://evil.example/x.png)">styled</p><style>p{color:red}</style>',
    '<form action="https://evil.example/"><input type="text" name="q"><button formaction="javascript:alert(1)">go</button></form>',
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/"><link rel="stylesheet" href="https://evil.example/x.css">',
    '<details open ontoggle="alert(1)"><summary>s</summary>x</details>',
    '<p id="__config">theme id</p><label for="__search">clobber</label>',
    '<div data-md-component="search" onmouseover="alert(1)">component hijack</div>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitiser_leaves_nothing_that_runs_or_loads(payload):
    before = BeautifulSoup(payload, "html.parser")
    assert body_problems(before) or before.find(attrs={"data-md-component": True}) or "//evil" in payload  # the payload is live
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
            attributes = {k: (True if k in BOOLEAN_ATTRIBUTES else (" ".join(v) if isinstance(v, list) else v)) for k, v in node.attrs.items()}
            nodes.append((node.name, sorted(attributes.items())))
    return nodes


@pytest.fixture(scope="module")
def markdown_config(hostile_build, monkeypatch_module):
    """The Markdown extensions and their settings exactly as mkdocs.yml enables them."""
    from mkdocs.config import load_config

    return load_config(str(hostile_build.project / "mkdocs.yml"))


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        for name, value in MKDOCS_ENV.items():
            patch.setenv(name, value)
        yield patch


def _kitchen_sink_html(hostile_build, config) -> str:
    """The kitchen-sink entry page rendered by Python-Markdown with our extensions, before sanitising."""
    _, pages, _ = build_pages(hostile_build.project)
    page = next(p for p in pages if p.path == "definitions/kitchen-sink.md")
    body = page.markdown.split("---\n", 2)[2]  # drop the front matter
    return markdown.markdown(body, extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def test_kitchen_sink_loses_nothing_to_the_sanitiser(hostile_build, markdown_config):
    raw = _kitchen_sink_html(hostile_build, markdown_config)
    soup = BeautifulSoup(raw, "html.parser")
    features = {
        "toc permalink": "a.headerlink", "tables with alignment": "td[align=center]", "abbr": "abbr[title]",
        "admonition": "div.admonition.note > p.admonition-title", "details": "details.tip > summary",
        "open details": "details[open]", "def_list": "dl > dt + dd", "tabs": ".tabbed-set > input[type=radio][name^=__tabbed_]",
        "tab labels": ".tabbed-labels > label[for^=__tabbed_]", "highlight": ".highlight pre code span.k",
        "line numbers": ".highlighttable td.linenos", "highlighted line": "span.hll", "code title": ".highlight span.filename",
        "inline highlight": "code.highlight span.nb", "tooltip link": "a[title][href^=https]", "mailto": "a[href^=mailto]",
        "anchor link": 'a[href="#tables-and-abbreviations"]', "attr_list class and id": "p.kb-note#custom-id",
        "QR svg": "svg[viewBox] > g > rect + path[d][transform]", "kbd": "kbd", "sub/sup": "sub + sup",
    }
    missing = [name for name, selector in features.items() if soup.select_one(selector) is None]
    assert missing == [], "the kitchen sink no longer exercises these"
    assert _canonical(sanitize_html(raw)) == _canonical(raw)


def test_kitchen_sink_page_matches_golden_html(hostile_build):
    article = parse(hostile_build.site / "definitions" / "kitchen-sink" / "index.html").find("article")
    assert article.select_one(".tabbed-set label") is not None and article.select_one(".highlight .k") is not None
    article.select_one("a.md-content__button").decompose()  # the edit link depends on KB_EDIT_URI
    assert_golden(GOLDEN / "html" / "kitchen-sink.html", article.prettify())


def test_qr_code_svg_from_segno_survives_unchanged():
    svg = segno.make("https://example.org/paths/first-steps/").svg_inline(scale=2)
    assert _canonical(sanitize_html(svg)) == _canonical(svg)


def test_attr_list_tricks_lose_their_handlers_but_keep_their_text(markdown_config):
    text = '[read more](https://example.org/){: onclick="alert(1)" href="javascript:alert(2)" style="color:red" .button }\n\nPara.\n{: onmouseover="alert(3)" id="__search" }'
    raw = markdown.markdown(text, extensions=markdown_config.markdown_extensions, extension_configs=markdown_config.mdx_configs)
    assert body_problems(BeautifulSoup(raw, "html.parser"))  # Python-Markdown itself lets them through
    cleaned = BeautifulSoup(sanitize_html(raw), "html.parser")
    assert body_problems(cleaned) == []
    link = cleaned.find("a")
    assert link.get_text() == "read more" and link["class"] == ["button"] and "href" not in link.attrs
    assert cleaned.find("p", string="Para.") is not None
