"""The published site checked after every build (generator/verify.py) and its Content-Security-Policy (csp.py).

The verifier passes on a real build; every class of payload injected into copies of a clean
built page is reported, in generated variants (case, whitespace, entities, parser tricks); every
page carries the policy that allows exactly its own inline scripts; and in Chromium the policy
lets search and the colour toggle work while an injected script, event handler or tooltip
payload does not run.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import material
import pytest
from conftest import MKDOCS_ENV, ROOT, free_port, launched_chromium, make_project, run_kb
from mkdocs.exceptions import PluginError
from sitecrawl import parse
from siteserver import serve

from generator import csp
from generator.markupcheck import fragment_problems
from generator.mkdocs_plugin import _refuse_unsafe_site
from generator.verify import MAX_REPORTED, Site, verify_site

THEME_DIRS = [Path(material.__file__).parent / "templates", ROOT / "site_templates" / "overrides"]
PAGE = "definitions/service-focus/index.html"  # a clean entry page of the fixture site, two folders deep
EVIL = "evil.example"


@pytest.fixture(scope="module")
def site(fixture_site) -> Site:
    """The verifier bound to the built fixture site and the theme's templates."""
    return Site(fixture_site, THEME_DIRS)


@pytest.fixture(scope="module")
def clean_page(fixture_site) -> str:
    """A built entry page, untouched."""
    return (fixture_site / PAGE).read_text(encoding="utf-8")


def in_body(page: str, snippet: str) -> str:
    """The page with a snippet at the end of its contributor content (Material's article)."""
    at = page.rindex("</article>")
    return page[:at] + snippet + page[at:]


def in_head(page: str, snippet: str) -> str:
    """The page with a snippet at the end of its <head>."""
    return page.replace("</head>", snippet + "</head>", 1)


def at_end(page: str, snippet: str) -> str:
    """The page with a snippet after the content, where the theme's own last scripts are."""
    return page.replace("</body>", snippet + "</body>", 1)


def in_header(page: str, snippet: str) -> str:
    """The page with a snippet in the theme's header, before the content."""
    return page.replace('<div class="md-header__title"', snippet + '<div class="md-header__title"', 1)


# --- (a) a real build passes, and a build with an unsafe file fails without publishing


def test_the_fixture_build_passes_the_verifier(fixture_site):
    assert verify_site(fixture_site, THEME_DIRS) == []
    kinds = {path.suffix for path in fixture_site.rglob("*") if path.is_file()}
    assert {".html", ".xml", ".json", ".js", ".css", ".gz", ".inv"} <= kinds  # every kind of file was there to be read


def test_the_theme_emits_no_event_handler_data_url_or_inline_style(fixture_site):
    for html in fixture_site.rglob("*.html"):
        for element in parse(html).find_all(True):
            assert not [a for a in element.attrs if a.lower().startswith("on")], html
            assert not any(str(v).strip().lower().startswith("data:") for v in element.attrs.values()), html
            assert "style" not in element.attrs or element.find_parent(class_="md-content") is None, html


def test_a_clean_page_is_not_reported(site, clean_page):
    assert site.verify_bytes(PAGE, clean_page.encode()) == []


def test_a_build_that_publishes_an_unsafe_file_fails_and_publishes_nothing(tmp_path):
    project = make_project(tmp_path / "p")
    (project / "site_templates" / "assets" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    )
    (project / "site_templates" / "assets" / "stylesheets" / "kb.css").write_text(
        "body { background: url(https://evil.example/p.png) }\n"
    )
    result = run_kb("build", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "the built site has 2 unsafe part(s)" in output
    assert "logo.svg: <svg onload=…> event handler" in output
    assert "stylesheets/kb.css: stylesheet loads https://evil.example/p.png from another host" in output
    assert not (project / "site").exists()


def test_the_build_error_lists_twenty_problems_then_counts_the_rest(tmp_path):
    for n in range(MAX_REPORTED + 5):
        (tmp_path / f"p{n:02d}.svg").write_text('<svg onload="alert(1)"></svg>')
    with pytest.raises(PluginError) as error:
        _refuse_unsafe_site(tmp_path, [], "/", None)
    lines = str(error.value).splitlines()
    assert lines[0] == f"the built site has {MAX_REPORTED + 5} unsafe part(s):"
    assert lines[1:] == [f"p{n:02d}.svg: <svg onload=…> event handler (line 1)" for n in range(MAX_REPORTED)] + [
        "and 5 more"
    ]


def test_a_preview_rebuild_reads_only_the_files_it_wrote(tmp_path):
    (tmp_path / "old.svg").write_text('<svg onload="alert(1)"></svg>')
    since = (tmp_path / "old.svg").stat().st_mtime + 10
    assert verify_site(tmp_path, changed_since=since) == []
    assert verify_site(tmp_path) == ["old.svg: <svg onload=…> event handler (line 1)"]


# --- (b) generated payloads, each injected into a copy of the clean page

HANDLERS = ["onerror", "onload", "onmouseover", "onfocus", "onclick", "onanimationstart", "onpointerenter", "onbegin"]
CASES = [
    str.lower,
    str.upper,
    lambda s: s[:3].upper() + s[3:],
    lambda s: "".join(c.upper() if i % 2 else c for i, c in enumerate(s)),
]
BEFORE_HANDLER = [" ", "\n", "\t", "\f", "/", " / ", ""]  # "" right after a quoted value, which browsers accept
HANDLER_ELEMENTS = [
    '<img src="x.png"{sep}{name}=alert(1)>',
    '<a href="#"{sep}{name}="alert(1)">x</a>',
    "<svg{sep}{name}=alert(1)></svg>",
    "<div{sep}{name}='alert(1)'>x</div>",
    "<details open{sep}{name}=alert(1)>x</details>",
]


def _handler_variants():
    for n, (name, case, sep) in enumerate(itertools.product(HANDLERS, CASES, BEFORE_HANDLER)):
        if sep == "" and n % len(HANDLER_ELEMENTS) not in (0, 1):
            sep = " "  # "" needs a quoted value before it: only the first two forms end in one
        yield HANDLER_ELEMENTS[n % len(HANDLER_ELEMENTS)].format(sep=sep, name=case(name))


SCRIPT_URLS = [
    "javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
]
URL_DISGUISES = [
    lambda u: u,
    str.upper,
    lambda u: " \n " + u,
    lambda u: "&#1;" + u,  # a leading control character, which browsers strip
    lambda u: u[:3] + "\t" + u[3:],
    lambda u: u[:3] + "&#x09;" + u[3:],
    lambda u: u[:4] + "&#10;" + u[4:],
    lambda u: u[:4] + "&Tab;" + u[4:],
    lambda u: u[:4] + "\n" + u[4:],
    lambda u: f"&#{ord(u[0])};" + u[1:],
    lambda u: f"&#x0000{ord(u[0]):x};" + u[1:],
    lambda u: u.replace(":", "&colon;", 1),
    lambda u: u.replace(":", "&#58", 1),  # no semicolon: still decoded
]
URL_PLACES = [
    '<a href="{url}">x</a>',
    '<img src="{url}">',
    '<img srcset="x.png 1x, {url} 2x">',
    '<video poster="{url}"></video>',
    '<svg><a xlink:href="{url}"><text>x</text></a></svg>',
    '<blockquote cite="{url}">x</blockquote>',
    '<map name="m"><area href="{url}"></map>',
    '<svg><animate attributeName="href" values="{url}"/></svg>',
]


def _url_variants():
    for n, (url, disguise) in enumerate(itertools.product(SCRIPT_URLS, URL_DISGUISES)):
        for place in (URL_PLACES[n % len(URL_PLACES)], URL_PLACES[(n + 3) % len(URL_PLACES)]):
            yield place.format(url=disguise(url))


@pytest.mark.parametrize("snippet", list(_handler_variants()))
def test_an_event_handler_is_reported(site, clean_page, snippet):
    for where in (in_body, at_end):
        problems = site.verify_bytes(PAGE, where(clean_page, snippet).encode())
        assert any("event handler" in p for p in problems), (where.__name__, snippet, problems)


@pytest.mark.parametrize("snippet", list(_url_variants()))
def test_a_script_url_is_reported(site, clean_page, snippet):
    for where in (in_body, in_header):
        problems = site.verify_bytes(PAGE, where(clean_page, snippet).encode())
        assert any("script URL" in p for p in problems), (where.__name__, snippet, problems)


REMOTE_LOADS = [
    (in_body, f'<img src="//{EVIL}/p.png">'),
    (in_body, f'<img src=" /\n/{EVIL}/p.png">'),
    (in_body, f'<img src="\\\\{EVIL}\\p.png">'),
    (in_body, f'<img src="/\\{EVIL}/p.png">'),
    (in_body, f'<img src="\\/{EVIL}/p.png">'),
    (in_body, f'<img src="HTTPS://{EVIL}/p.png">'),
    (in_body, f'<img src="ht&#x09;tps://{EVIL}/p.png">'),
    (in_body, f'<img srcset="a.png 1x, //{EVIL}/b.png 2x">'),
    (in_body, f'<video poster="https://{EVIL}/p.png"></video>'),
    (in_body, f'<audio src="//{EVIL}/a.mp3"></audio>'),
    (in_body, f'<video><source src="https://{EVIL}/v.mp4"><track src="//{EVIL}/t.vtt"></video>'),
    (in_body, f'<input type="image" src="//{EVIL}/p.png">'),
    (in_body, f'<svg><image href="//{EVIL}/p.png"/></svg>'),
    (in_body, f'<svg><use xlink:href="https://{EVIL}/s.svg#a"/></svg>'),
    (in_body, f'<a href="#" ping="https://{EVIL}/p">x</a>'),
    (at_end, f'<img src="//{EVIL}/p.png">'),
    (in_head, f'<link rel="stylesheet" href="//{EVIL}/s.css">'),
    (in_head, f"<link href=//{EVIL}/x.js rel=preload as=script>"),
    (in_head, f'<link rel="alternate stylesheet" href="https://{EVIL}/s.css">'),
    (in_head, f'<link rel="icon" href="https://{EVIL}/i.png">'),
    (in_head, f"<style>body{{background:url(//{EVIL}/p.png)}}</style>"),
    (in_head, f'<style>body{{background:url( "https://{EVIL}/p.png" )}}</style>'),
    (in_head, f'<style>@import "//{EVIL}/s.css";</style>'),
    (in_head, f"<style>@import url(https://{EVIL}/s.css);</style>"),
    (in_head, f"<style>b{{background:u\\72l(\\2f\\2f {EVIL}/p.png)}}</style>"),  # CSS escapes
    (in_head, f'<style>b{{background-image:image-set("//{EVIL}/a.png" 1x)}}</style>'),
    (in_head, f"<style>@font-face{{font-family:x;src:url(//{EVIL}/f.woff)}}</style>"),
    (in_header, f'<span style="background:url(//{EVIL}/p.png)">x</span>'),
    (in_head, f'<meta http-equiv="refresh" content="0; url=https://{EVIL}/">'),
    (in_head, f"<meta http-equiv=Refresh content=\"0;URL='//{EVIL}/'\">"),
    (in_head, f'<meta http-equiv="refresh" content="0,https://{EVIL}/">'),
    (in_head, '<meta http-equiv="refresh" content="5; url=javascript:alert(1)">'),
    (at_end, f'<form action="https://{EVIL}/collect"></form>'),
]


@pytest.mark.parametrize(("where", "snippet"), REMOTE_LOADS, ids=[f"{w.__name__}:{s[:50]}" for w, s in REMOTE_LOADS])
def test_a_load_from_another_host_is_reported(site, clean_page, where, snippet):
    problems = site.verify_bytes(PAGE, where(clean_page, snippet).encode())
    assert any("another host" in p or "off the site" in p or "script URL" in p for p in problems), problems


def test_plain_links_canonical_addresses_and_site_paths_are_not_loads(site, clean_page):
    snippets = [
        in_body(
            clean_page,
            f'<a href="https://{EVIL}/page">a link</a>'
            '<img src="/assets/images/favicon.png"><img src="../../assets/images/favicon.png">',
        ),
        in_head(
            clean_page,
            f'<link rel="canonical" href="https://{EVIL}/handbook/"><link rel="alternate" type="application/atom+xml" href="https://{EVIL}/feed.xml">',
        ),
        in_head(clean_page, '<meta http-equiv="refresh" content="0; url=../../definitions/">'),
    ]
    for page in snippets:
        assert site.verify_bytes(PAGE, page.encode()) == []


ELEMENTS = [
    (in_body, '<iframe src="../../"></iframe>', "<iframe> element"),
    (at_end, '<iframe srcdoc="x"></iframe>', "<iframe> element"),
    (in_body, '<frameset><frame src="x"></frameset>', "<frame> element"),
    (in_body, '<object data="x.swf"></object>', "<object> element"),
    (in_body, '<embed src="x.swf">', "<embed> element"),
    (in_body, '<applet code="X"></applet>', "<applet> element"),
    (in_head, '<base href="../../">', "<base> element"),
    (in_body, '<base href="../../">', "<base> element"),
    (in_body, '<portal src="x"></portal>', "<portal> element"),
    (in_body, '<form><input name="q"></form>', "<form> in the page body"),
    (in_body, "<button>x</button>", "<button> in the page body"),
    (in_body, "<textarea>x</textarea>", "<textarea> in the page body"),
    (in_body, "<select><option>x</option></select>", "<select> in the page body"),
    (in_body, "<style>p{color:red}</style>", "<style> in the page body"),
    (in_body, '<link rel="stylesheet" href="x.css">', "<link> in the page body"),
    (in_body, '<meta name="x" content="y">', "<meta> in the page body"),
    (in_body, '<p style="position:fixed;top:0">x</p>', "<p style=…> in the page body"),
    (in_body, '<div><div><span STYLE="color:red">x</span></div></div>', "<span style=…> in the page body"),
    (
        in_body,
        '<table><tr><td></div><p style="x">y</p></td></tr></table>',
        "<p style=…> in the page body",
    ),  # </div> inside a cell closes nothing
]


@pytest.mark.parametrize(("where", "snippet", "expected"), ELEMENTS, ids=[s[:40] for _, s, _ in ELEMENTS])
def test_an_embedding_element_or_a_body_style_or_form_is_reported(site, clean_page, where, snippet, expected):
    problems = site.verify_bytes(PAGE, where(clean_page, snippet).encode())
    assert any(expected in p for p in problems), problems


MARKUP_FOR_TOOLTIPS = [
    (in_body, '<a href="#" title="<img src=x onerror=alert(1)>">x</a>'),
    (in_body, '<a href="#" title="&lt;img src=x onerror=alert(1)&gt;">x</a>'),
    (in_body, "<abbr title='&#60;svg onload=alert(1)&#62;'>HTML</abbr>"),
    (in_body, '<abbr title="&LT;img src=x onerror=alert(1)&GT;">HTML</abbr>'),
    (in_header, '<label title="&lt;img src=x onerror=alert(1)&gt;">x</label>'),
    (in_header, '<span class="md-ellipsis">A title &lt;img src=x onerror=alert(1)&gt; that is long</span>'),
    (in_header, '<div class="x md-ellipsis"><span>&lt;img src=x onerror=alert(1)&gt;</span></div>'),
]


@pytest.mark.parametrize(("where", "snippet"), MARKUP_FOR_TOOLTIPS, ids=[s[:50] for _, s in MARKUP_FOR_TOOLTIPS])
def test_markup_in_a_title_or_a_truncated_label_is_reported(site, clean_page, where, snippet):
    problems = site.verify_bytes(PAGE, where(clean_page, snippet).encode())
    assert any("tooltip" in p for p in problems), problems


def test_a_title_whose_brackets_cannot_start_a_tag_is_fine(site, clean_page):
    # Escaped once more, or a '<' before a space, digit or '=': inserted as HTML, each is still text.
    snippet = (
        '<a href="#" title="&amp;lt;b&amp;gt; &amp; 1 &gt; 0, a &lt; b, &lt;3, x&lt;=y">x</a>'
        '<abbr title="a &amp; b">AB</abbr>'
    )
    page = in_header(in_body(clean_page, snippet), '<span class="md-ellipsis">Reply in &lt; 1 hour</span>')
    assert site.verify_bytes(PAGE, page.encode()) == []


def _bundle(fixture_site) -> str:
    return next((fixture_site / "assets" / "javascripts").glob("bundle.*.min.js")).name


SCRIPTS = [
    (in_body, "<script>alert(1)</script>", "<script> in the page body"),
    (in_body, "<SCRIPT>alert(1)</SCRIPT>", "<script> in the page body"),
    (in_body, '<script type="module">alert(1)</script>', "<script> in the page body"),
    (in_body, '<script type="application/json">{}</script>', "<script> in the page body"),
    (in_body, "<svg><script>alert(1)</script></svg>", "<script> in the page body"),
    (
        in_body,
        '<script src="../../assets/javascripts/{bundle}"></script>',
        "<script> in the page body",
    ),  # even the theme's own file
    (at_end, f'<script src="//{EVIL}/x.js"></script>', "not a URL inside the site"),
    (at_end, f'<script src="https://{EVIL}/x.js"></script>', "not a URL inside the site"),
    (in_head, f'<script src=" \n//{EVIL}/x.js"></script>', "not a URL inside the site"),
    (at_end, '<script src="../../missing.js"></script>', "not a file of the site"),
    (at_end, '<script src="../../../../../etc/hostname"></script>', "not a file of the site"),
    (at_end, '<script src="/etc/hostname"></script>', "not a file of the site"),
    (at_end, '<script src="data:text/javascript,alert(1)"></script>', "not a URL inside the site"),
    (at_end, "<script>alert(1)</script>", "that the theme's templates do not emit"),
    (in_head, '<script type="text/javascript">alert(1)</script>', "that the theme's templates do not emit"),
    (at_end, '<script type="importmap">{"imports": {}}</script>', "that the theme's templates do not emit"),
    (at_end, '<script>__md_scope=new URL("x",location),alert(1)</script>', "that the theme's templates do not emit"),
    (
        at_end,
        "<script>var target=document.getElementById(location.hash.slice(1));"
        'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"));alert(1)</script>',
        "that the theme's templates do not emit",
    ),
]


@pytest.mark.parametrize(("where", "snippet", "expected"), SCRIPTS, ids=[s[:50] for _, s, _ in SCRIPTS])
def test_a_script_the_theme_did_not_ship_is_reported(site, clean_page, fixture_site, where, snippet, expected):
    page = where(clean_page, snippet.replace("{bundle}", _bundle(fixture_site)))
    problems = site.verify_bytes(PAGE, page.encode())
    assert any(expected in p for p in problems), problems


def test_the_theme_scripts_of_another_page_pass_where_they_are(site, clean_page):
    theme_script = re.search(r"<script>var target=.*?</script>", clean_page).group(0)
    assert site.verify_bytes(PAGE, at_end(clean_page, "").encode()) == []
    problems = site.verify_bytes(
        PAGE, in_body(clean_page, theme_script).encode()
    )  # the same script moved into the body
    assert any("<script> in the page body" in p for p in problems), problems


# Markup that Python's html.parser and a browser read differently: the disagreement itself is reported.
PARSER_TRICKS = [
    (in_body, "<!--><img src=x onerror=alert(1)>-->"),
    (in_body, "<!---><img src=x onerror=alert(1)>-->"),
    (in_body, "<!-- x --!><img src=x onerror=alert(1)>-->"),
    (in_body, "<![CDATA[ > <img src=x onerror=alert(1)> ]]>"),
    (in_body, "<svg><style><img src=x onerror=alert(1)></style></svg>"),
    (at_end, '<script type="application/json">"</script x><img src=x onerror=alert(1)>"</script>'),
    (at_end, "<script/>alert(1)</script>"),
    (at_end, "<script>1</ script><p>alert(1)//</script>"),
    (at_end, "<script><!--<script>alert(1)</script>--></script>"),
    (in_head, "<style>x{}</style foo><img src=x onerror=alert(1)></style>"),
]


@pytest.mark.parametrize(("where", "snippet"), PARSER_TRICKS, ids=[s[:50] for _, s in PARSER_TRICKS])
def test_markup_that_parsers_read_differently_is_reported(site, clean_page, where, snippet):
    assert site.verify_bytes(PAGE, where(clean_page, snippet).encode()) != []


def test_a_page_without_its_policy_or_with_a_wrong_one_is_reported(site, clean_page):
    meta = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', clean_page).group(0)
    missing = clean_page.replace(meta, "")
    moved = missing.replace('<meta charset="utf-8">', '<meta charset="utf-8">' + meta)
    tampered = clean_page.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    extra_hash = clean_page.replace("script-src 'self'", f"script-src 'self' 'sha256-{csp.script_hash('alert(1)')}'")
    for page in (missing, moved):
        assert any("no Content-Security-Policy" in p for p in site.verify_bytes(PAGE, page.encode()))
    for page in (tampered, extra_hash):
        assert any("does not fit the page's scripts" in p for p in site.verify_bytes(PAGE, page.encode()))


OTHER_FILES = [
    (
        "logo.svg",
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "document that runs no scripts",
    ),
    ("logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" ONLOAD="alert(1)"></svg>', "event handler"),
    ("logo.svg", f'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://{EVIL}/p.png"/></svg>', "another host"),
    (
        "logo.svg",
        '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>',
        "script URL",
    ),
    ("stylesheets/extra.css", f"@import url('//{EVIL}/x.css');", "another host"),
    ("stylesheets/extra.css", f'b {{ background: url("https:\\2f\\2f {EVIL}/p.png") }}', "another host"),
    ("javascripts/extra.js", f"void 0;\n//# sourceMappingURL=https://{EVIL}/x.map\n", "source map from another host"),
    (
        "feed.xml",
        '<rss version="2.0"><channel><item>'
        "<description>&lt;img src=x onerror=alert(1)&gt;</description></item></channel></rss>",
        "event handler",
    ),
    (
        "feed.xml",
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        '<content type="html">&lt;script&gt;alert(1)&lt;/script&gt;</content></entry></feed>',
        "<script> in the page body",
    ),
    ("feed.xml", f'<?xml-stylesheet type="text/xsl" href="https://{EVIL}/x.xsl"?><rss/>', "another host"),
    (
        "search/search_index.json",
        json.dumps({"docs": [{"location": "x/", "title": "X", "text": "<p>x<img src=x onerror=alert(1)></p>"}]}),
        "event handler",
    ),
    (
        "search/search_index.json",
        json.dumps({"docs": [{"location": "x/", "title": "<a href='javascript:alert(1)'>X</a>", "text": ""}]}),
        "script URL",
    ),
    (
        "search/search_index.json",
        json.dumps(
            {
                "docs": [
                    {
                        "location": "x/",
                        "title": "X",
                        "text": "",
                        "tags": ["<b title='<img src=x onerror=alert(1)>'>t</b>"],
                    }
                ]
            }
        ),
        "tooltip",
    ),
    ("search/search_index.json", '{"docs": [', "not valid JSON"),
    (
        "sitemap.xml.gz",
        gzip.compress(b'<urlset><url><loc>x</loc></url><svg onload="alert(1)"/></urlset>'),
        "event handler",
    ),
    (
        "other/page.html",
        "<!doctype html><html><head><title>x</title></head><body><p>hi</p></body></html>",
        "no Content-Security-Policy",
    ),
]


@pytest.mark.parametrize(
    ("rel", "content", "expected"), OTHER_FILES, ids=[f"{r}:{str(c)[:40]}" for r, c, _ in OTHER_FILES]
)
def test_every_kind_of_published_file_is_read(site, rel, content, expected):
    data = content if isinstance(content, bytes) else content.encode()
    problems = site.verify_bytes(rel, data)
    assert any(expected in p for p in problems), problems


def test_the_real_search_index_feed_and_sitemap_pass(site, fixture_site):
    for rel in (
        "search/search_index.json",
        "feed.xml",
        "sitemap.xml",
        "sitemap.xml.gz",
        "inventory.json",
        "objects.inv",
    ):
        assert site.verify_bytes(rel, (fixture_site / rel).read_bytes()) == [], rel


def test_a_fragment_of_harmless_html_passes():
    assert (
        fragment_problems(
            '<p>A <a href="../x/" title="a &amp;lt; b">link</a>, <code>&lt;kind&gt;</code> and <mark>text</mark>.</p>'
        )
        == ()
    )


# --- (c) every page heads with the policy that allows exactly its own inline scripts


def _policy_of(html: Path) -> tuple[str | None, list[str]]:
    """The policy of the first element of a page's <head>, and its script-src sources."""
    first = parse(html).head.find(True)
    if first is None or first.name != "meta" or first.get("http-equiv", "").lower() != "content-security-policy":
        return None, []
    directives = dict(d.strip().split(" ", 1) for d in first["content"].split(";"))
    return first["content"], directives["script-src"].split()


def _inline_script_hashes(html: Path) -> list[str]:
    """The SHA-256 of each runnable inline script of a page, hashed here independently of csp.py."""
    texts = [
        s.string or ""
        for s in parse(html).find_all("script")
        if not s.get("src") and s.get("type", "") not in csp.DATA_SCRIPT_TYPES
    ]
    return list(dict.fromkeys(base64.b64encode(hashlib.sha256(t.encode()).digest()).decode() for t in texts))


def test_every_page_heads_with_a_policy_allowing_exactly_its_inline_scripts(fixture_site):
    pages = sorted(fixture_site.rglob("*.html"))
    assert (fixture_site / "404.html") in pages and any(
        p.parts[-3] == "go" for p in pages
    )  # 404 and redirect stubs too
    for html in pages:
        content, scripts = _policy_of(html)
        assert content is not None, html
        hashes = _inline_script_hashes(html)
        if hashes:
            assert scripts == ["'self'", *(f"'sha256-{h}'" for h in hashes)], html
        else:  # a redirect page runs only the site's own file, which keeps the #anchor
            sources = [script.get("src") for script in parse(html).find_all("script")]
            assert scripts == ["'self'"] and sources == ["../../javascripts/redirect.js"], html
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
        assert "object-src 'none'" in content and "base-uri 'self'" in content and "default-src 'self'" in content
        assert html.read_bytes().find(b"<meta charset") < 1024, (
            html
        )  # the encoding is still found in the first 1024 bytes


def test_the_policy_hashes_inline_scripts_outside_the_body_only():
    page = (
        '<html><head><script>a()</script></head><body><div class="md-content">'
        "<article><script>evil()</script></article></div><script>b()</script></body></html>"
    )
    expected = csp.policy([csp.script_hash("a()"), csp.script_hash("b()")])
    assert csp.with_policy(page).startswith(f"<html><head>{csp.meta_tag(expected)}<script>")


# --- (d) in Chromium: the policy breaks nothing of the theme, and stops what got through

VIOLATIONS = (
    "window.__violations = []; document.addEventListener('securitypolicyviolation', "
    "e => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));"
)


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for this module (skipped when missing, a failure under KB_REQUIRE_BROWSER=1)."""
    with launched_chromium() as browser:
        yield browser


def _open(browser, url: str, console: list[str], **options):
    """A fresh context that records policy violations and console errors, with the page at url loaded."""
    context = browser.new_context(**options)
    context.set_default_timeout(20_000)
    context.add_init_script(VIOLATIONS)
    page = context.new_page()
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.dismiss())
    page.goto(url)
    return context, page


@pytest.mark.browser
def test_in_a_browser_the_policy_blocks_nothing_the_theme_needs(chromium, fixture_site):
    console: list[str] = []
    with serve(fixture_site) as base_url:
        context, page = _open(chromium, base_url, console, color_scheme="light")
        try:
            for path in [
                "",
                PAGE.removesuffix("index.html"),
                "matrix/",
                "glossary/",
                "handouts/first-steps/",
                "404.html",
            ]:
                page.goto(base_url + path)
                page.wait_for_load_state("load")
                assert page.evaluate("window.__violations") == [], path
            page.goto(base_url + "go/service-focus/")  # a redirect stub: its meta refresh still works
            page.wait_for_url(base_url + PAGE.removesuffix("index.html"))
            page.goto(base_url)
            page.keyboard.press("/")
            page.locator(".md-search__input").fill("service")
            page.locator(".md-search__input").press("End")
            page.locator(".md-search-result__item").first.wait_for()  # the search worker ran and fetched its index
            page.keyboard.press("Escape")
            body = page.locator("body")
            assert body.get_attribute("data-md-color-scheme") == "default"
            page.locator("form[data-md-component='palette'] label:visible").click()
            page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
            assert page.evaluate("window.__violations") == []
        finally:
            context.close()
    assert [m for m in console if "Content Security Policy" in m or "Refused" in m] == []


INJECTED = (
    '<script>window.__pwned = "script"</script>'
    '<img src="x.png" onerror="window.__pwned = \'handler\'">'
    '<a id="js-link" href="javascript:window.__pwned=\'link\'">a link</a>'
    '<a id="tip" href="#" title="&lt;img src=x onerror=&quot;window.__pwned=\'tooltip\'&quot;&gt;">hover me</a>'
)


@pytest.mark.browser
def test_in_a_browser_a_script_handler_or_tooltip_payload_that_got_through_does_not_run(
    chromium, fixture_site, tmp_path
):
    copy = tmp_path / "site"
    shutil.copytree(fixture_site, copy)
    page_file = copy / PAGE
    page_file.write_text(
        in_body(page_file.read_text(encoding="utf-8"), INJECTED), encoding="utf-8"
    )  # its policy as built
    console: list[str] = []
    with serve(copy) as base_url:
        context, page = _open(chromium, base_url + PAGE.removesuffix("index.html"), console)
        try:
            page.wait_for_load_state("load")
            page.locator("#js-link").click()
            page.locator("#tip").hover()
            page.locator(".md-tooltip2 img").wait_for(
                state="attached"
            )  # Material did put the title's markup in the page
            page.wait_for_timeout(500)
            assert page.evaluate("window.__pwned") is None
            violations = page.evaluate("window.__violations")
        finally:
            context.close()
    assert any(v.startswith("script-src-elem inline") for v in violations), violations
    assert any(v.startswith("script-src-attr inline") for v in violations), violations


DOM_DANGERS = """snippets => snippets.map(snippet => {
  const doc = new DOMParser().parseFromString("<!doctype html><body>" + snippet, "text/html");
  const found = [];
  for (const element of doc.querySelectorAll("*")) {
    if (element.localName === "script") found.push("script");
    for (const attribute of element.attributes) {
      const value = attribute.value.replace(/[\\x00-\\x20]/g, "").toLowerCase();
      if (attribute.name.toLowerCase().startsWith("on")) found.push(attribute.name);
      else if (value.split(/[,;]/).some(url => /^(javascript|vbscript|data):/.test(url))) \
found.push(attribute.name);  // srcset: a list
    }
  }
  return found;
})"""


@pytest.mark.browser
def test_what_chromium_parses_as_a_handler_script_or_script_url_the_verifier_reports(chromium, site, clean_page):
    snippets = [*_handler_variants(), *_url_variants(), *(s for w, s in PARSER_TRICKS)]
    context = chromium.new_context()
    try:
        dangers = context.new_page().evaluate(DOM_DANGERS, snippets)  # parsed by the browser, never run
    finally:
        context.close()
    assert all(dangers), [s for s, d in zip(snippets, dangers) if not d]  # every payload is a real one to a browser
    missed = [s for s in snippets if site.verify_bytes(PAGE, in_body(clean_page, s).encode()) == []]
    assert missed == []


@pytest.mark.browser
def test_in_the_preview_the_live_reload_runs_under_its_policy(chromium, tmp_path):
    # MkDocs injects a live-reload script that differs per request: no hash could allow it.
    project = make_project(tmp_path / "p")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **MKDOCS_ENV},
    )
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        deadline = time.monotonic() + 60
        while True:  # until the first build is served
            try:
                page.goto(f"http://127.0.0.1:{port}/behaviours/answer-quickly/")
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        page.get_by_text("Reply to a customer the same day.").wait_for()
        assert "'unsafe-inline'" in page.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content")
        path = project / "content" / "behaviours" / "answer-quickly.yaml"
        path.write_text(path.read_text().replace("Reply to a customer the same day.", "Reply within the hour."))
        page.get_by_text("Reply within the hour.").wait_for()  # the page reloaded itself
    finally:
        context.close()
        server.terminate()
        server.wait(timeout=10)
