"""The prose judge and writer (generator/prose.py), tested by class with generated variants.

- Inertness: whatever a contributor writes, the Markdown written back renders, under plain
  Python-Markdown and under every extension the site enables, to a small set of elements with
  no attribute but a link's checked address, also inside the raw HTML blocks, list items and
  admonitions the templates put it in.
- Fidelity: text without syntax survives as it was; code keeps every character.
- The judge: each refused construct (unsafe or relative links, raw HTML, images, link titles,
  attribute lists, headings, nesting) is a problem in every spelling generated; the accepted
  subset never is; problems per field are capped.
- One-line fields, escaped for the headings, table cells and list items of the templates, keep
  the template's structure and add no element.
- [[id]] links: pieces of their own, text inside code, floods of '[[' stay cheap.
"""

from __future__ import annotations

import functools
import re
import string
import time

import markdown
import pytest
from bs4 import BeautifulSoup, Comment
from conftest import make_project
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jinja2.filters import do_indent

from generator import escaping
from generator.pipeline import check
from generator.prose import MAX_BRACKETS, parse_prose, write_prose
from generator.prosejudge import MAX_DEPTH, MAX_PROBLEMS
from generator.prosepieces import WikiLink

PROPERTY = settings(
    deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
CLASSES = settings(
    deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
EXTENSIONS = [
    "attr_list",
    "md_in_html",
    "abbr",
    "def_list",
    "admonition",
    "tables",
    "toc",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.details",
]
ENGINES = {
    "plain": lambda text: markdown.markdown(text),
    "extensions": lambda text: markdown.markdown(text, extensions=EXTENSIONS),
}
ENTRY_LINK = "../x.md"

# What written prose may render to. Nothing an extension adds (tables, definition lists, admonitions,
# tabs, abbreviations, headings with toc ids) is here: escaped text must never make one fire.
ALLOWED = {"p", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "hr", "br", "a"}
SAFE_HREF = re.compile(r"^(?:https?://|mailto:)", re.I)


def written(text: str) -> str:
    return write_prose(parse_prose(text), link=lambda link: f"[x]({ENTRY_LINK})")


# Where templates put prose: the wrapper's own elements are allowed, and must stay the only ones.
CONTEXTS = {
    "top": (lambda out: out, {}),
    "div-markdown": (lambda out: f'<div class="x" markdown>\n\n{out}\n\n</div>', {"div": 1}),
    "div-raw": (lambda out: f'<div class="x">\n\n{out}\n\n</div>', {"div": 1}),
    "list-item": (
        lambda out: "- " + do_indent(out, 4),
        {},
    ),  # m.bullet_list and the card deck: `- {{ item | prose | indent(4) }}`
    "after-label": (lambda out: "**Why it matters:** " + out, {}),
    "admonition": (
        lambda out: '!!! tip "Trainer notes"\n    ' + do_indent(out, 4),
        {"div": 1, "plain": {}},
    ),  # trainer notes on paths
}
WRAPPER_CLASSES = {"x", "admonition", "tip", "admonition-title"}


def inert_problems(html: str, wrappers: dict[str, int]) -> list[str]:
    """Everything in rendered HTML that the written prose must never produce."""
    found = []
    allowed = ALLOWED | set(wrappers)
    # Every '<' the engine wrote starts an allowed tag (or the empty comment that separates lists): no
    # browser-parser quirk can find an element that html.parser does not.
    for match in re.finditer(r"<", html):
        rest = html[match.start() : match.start() + 40]
        tag = re.match(r"</?([A-Za-z][A-Za-z0-9]*)[\s/>]", rest)
        if not (tag and tag.group(1).lower() in allowed) and not rest.startswith("<!-- -->"):
            found.append(f"markup {rest!r}")
    soup = BeautifulSoup(html, "html.parser")
    counts: dict[str, int] = {}
    for element in soup.find_all(True):
        counts[element.name] = counts.get(element.name, 0) + 1
        attributes = dict(element.attrs)
        if element.name not in allowed:
            found.append(f"<{element.name}>")
        if element.name == "a":
            href = attributes.pop("href", None)
            if href is None or not (href == ENTRY_LINK or SAFE_HREF.match(href)):
                found.append(f"<a href={href!r}>")
        elif element.name == "ol":
            if not re.fullmatch(r"\d{1,9}", attributes.pop("start", "1")):
                found.append(f"<ol start={element['start']!r}>")
        elif element.name in ("div", "p") and wrappers and set(attributes.get("class", [])) <= WRAPPER_CLASSES:
            attributes.pop("class", None)
            attributes.pop("markdown", None)  # an engine without md_in_html passes the wrapper through as written
        if attributes:
            found.append(f"<{element.name} {sorted(attributes)}>")
    for name, expected in wrappers.items():
        if counts.get(name, 0) != expected:
            found.append(f"{counts.get(name, 0)} <{name}> elements, not the wrapper's {expected}")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        if comment.strip():
            found.append(f"comment {comment!r}")
    return found


def assert_inert(text: str) -> None:
    out = written(text)
    for context, (wrap, wrappers) in CONTEXTS.items():
        for engine, render in ENGINES.items():
            html = render(wrap(out))
            problems = inert_problems(html, wrappers.get(engine, {k: v for k, v in wrappers.items() if k != "plain"}))
            assert not problems, f"{context} / {engine}: {problems}\ntext: {text!r}\nwritten: {out!r}\nhtml: {html!r}"


# ---------------------------------------------------------------------------------------------
# Inertness

SYNTAX_CHARACTERS = list("<>&\"'`*_[]{}()!#|:=~^$@-+.?%;/\\\n") + [" ", "\t", "\u2028"]
FRAGMENTS = [
    "a",
    "b",
    "X",
    "1",
    "0",
    "é",
    "javascript:",
    "JaVaScRiPt:",
    "vbscript:",
    "data:",
    "on",
    "onerror=",
    "script",
    "img",
    "style",
    "&#10;",
    "&lt;",
    "&#x6a;",
    "&#",
    "&amp;",
    "%6A",
    "http://",
    "https://e.example/",
    "mailto:",
    "//",
    "[[",
    "]]",
    "[[a|",
    "|",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=javascript:x>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<?",
    "<!X",
    "    ",
    "\n\n",
    "```",
    "~~~",
    "1. ",
    "1) ",
    "- ",
    "* ",
    "+ ",
    "> ",
    "# ",
    "===",
    "---",
    "***",
    "!!! note",
    "??? note",
    '=== "t"',
    ": ",
    "*[X]: ",
    "{: .x }",
    "{#i}",
    "{ onclick=x }",
    "[a]: ",
    "](",
    "![",
    "\\\n",
    "  \n",
    "|-|",
    "~~",
    "^^",
    "==",
    "$$",
    "@",
]
texts = st.lists(st.one_of(st.sampled_from(SYNTAX_CHARACTERS), st.sampled_from(FRAGMENTS)), max_size=60).map("".join)


@PROPERTY
@given(texts)
@example("- item\n\n  ```\n  a\n  - b\n  ---\n  ```")  # code lines that read as a list and a heading at a line start
@example("```\na\n- b\n---\n===\n    c\n```")  # ... once a template indents the code block into a list item
@example("> ```\n> <b>\n> - x\n> ```")
@example("- a\n\n\n- b\n\n1. c")  # neighbouring lists
@example("*" * 300 + "a" + "*" * 300)  # emphasis nested hundreds deep
@example('[a](https://e.example/"onmouseover=alert(1)) [b](<https://e.example/ x>)')
@example("<https://e.example/<script>> <mailto:a@b.c> https://e.example/auto")
def test_written_prose_renders_to_allowed_elements_only_in_every_context(text):
    assert_inert(text)


@PROPERTY
@given(st.text(alphabet=string.printable + "é\u2028\u00a0", max_size=80))
def test_written_prose_of_any_printable_text_is_inert(text):
    assert_inert(text)


# One-line fields (titles, summaries, questions) are written with escape_text, into headings, table
# cells, list items, link labels and bold text: the same property, with the template's own elements.

LINE_CONTEXTS = [
    "# {}",
    "### 1. {} (5 min)",
    "## Step 1: {} (5 min) {{ .kb-handout-step }}",
    "| Step | Entry | Minutes |\n| --- | --- | --- |\n| 1 | {} | 5 |",
    "- {}",
    "1. {}",
    "**{}**",
    "[{}](../x.md)",
    "*Also known as:* {}, {}",
    '<p class="kb-card-question"><strong>Ask:</strong> {}</p>',
]
TEMPLATE_ELEMENTS = {"h1", "h2", "h3", "table", "thead", "tbody", "tr", "th", "td"}
STRUCTURE = ["h1", "h2", "h3", "table", "li", "strong", "em", "a", "p"]
one_line = (
    st.lists(
        st.one_of(
            st.sampled_from([ch for ch in SYNTAX_CHARACTERS if ch not in "\n\u2028"]),
            st.sampled_from([f for f in FRAGMENTS if "\n" not in f]),
        ),
        max_size=40,
    )
    .map(lambda pieces: "".join(pieces).strip())
    .filter(bool)  # one-line fields are stripped and never empty
)


def _fill_line(context: str, text: str) -> str:
    return context.replace("{}", text).replace("{{", "{").replace("}}", "}")


@functools.cache
def _structure(context: str, engine: str) -> list[str]:
    """The elements a template line makes around an ordinary word."""
    return [
        element.name
        for element in BeautifulSoup(ENGINES[engine](_fill_line(context, "word")), "html.parser").find_all(STRUCTURE)
    ]


@PROPERTY
@given(one_line, st.sampled_from([True, False]))
def test_one_line_fields_keep_the_template_structure_and_add_nothing(text, line_start):
    # The `md` filter escapes as at a line's start; line_start=False (link labels) only ever follows other text.
    escaped = escaping.escape_text(text, line_start=line_start)
    for context in LINE_CONTEXTS:
        if not line_start and context in ("- {}", "1. {}"):
            continue
        for engine, render in ENGINES.items():
            html = render(_fill_line(context, escaped))
            soup = BeautifulSoup(html, "html.parser")
            found = []
            for element in soup.find_all(True):
                attributes = dict(element.attrs)
                if element.name in ("h1", "h2", "h3"):
                    assert re.fullmatch(r"[\w-]*", attributes.pop("id", "")), (
                        html
                    )  # toc's slug: no quote, space or markup
                    if attributes.get("class") == ["kb-handout-step"]:
                        attributes.pop("class")
                if element.name == "p" and attributes.get("class") == ["kb-card-question"]:
                    attributes.pop("class")
                if element.name == "a" and attributes.pop("href", None) != ENTRY_LINK:
                    found.append("a link the template did not write")
                if element.name not in ALLOWED | TEMPLATE_ELEMENTS or attributes:
                    found.append(str(element)[:80])
            assert not found, f"{engine}: {context!r} with {text!r}: {found}\nhtml: {html}"
            structure = [element.name for element in soup.find_all(STRUCTURE)]
            assert structure == _structure(context, engine), (
                f"{engine}: {context!r} with {text!r} changed the structure\nhtml: {html}"
            )


# ---------------------------------------------------------------------------------------------
# Fidelity


def visible(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


PLAIN_ALPHABET = string.ascii_letters + string.digits + " \n\t,;?'\"%/éß漢"


@PROPERTY
@given(st.text(alphabet=PLAIN_ALPHABET, max_size=120))
def test_text_without_syntax_characters_renders_as_written(text):
    prose_ = parse_prose(text)
    assert prose_.problems == ()
    for engine, render in ENGINES.items():
        assert visible(render(written(text))) == " ".join(text.split()), engine


code_text = st.text(
    alphabet="".join(ch for ch in string.printable if ch not in "`\n\r\x0b\x0c\t") + "é", min_size=1, max_size=40
).filter(lambda s: s.strip() and not s.startswith(" ") and not s.endswith(" "))


@PROPERTY
@given(
    code_text,
    st.sampled_from(["{}", "Use {} here.", "- item {} end", "> quoted {}", "**{}**", "[see {}](https://e.example/)"]),
)
def test_code_span_keeps_every_character(code, template):
    text = template.format(f"`{code}`")
    assert parse_prose(text).problems == ()
    for engine, render in ENGINES.items():
        for context, (wrap, _) in CONTEXTS.items():
            codes = BeautifulSoup(render(wrap(written(text))), "html.parser").find_all("code")
            assert [c.get_text() for c in codes] == [code], (engine, context, written(text))


code_line = st.text(alphabet="".join(ch for ch in string.printable if ch not in "`~\n\r\x0b\x0c\t") + "é", max_size=20)


@PROPERTY
@given(
    st.lists(code_line, min_size=1, max_size=6).map("\n".join).filter(str.strip),
    st.sampled_from(["top", "list", "quote"]),
)
def test_code_block_keeps_every_line(code, container):
    fence = f"```\n{code}\n```"
    if container == "list":
        text = "- item\n\n" + "\n".join(("  " + line) if line else "" for line in fence.split("\n"))
    elif container == "quote":
        text = "\n".join("> " + line for line in fence.split("\n"))
    else:
        text = fence
    expected = [line.rstrip() or " " for line in code.rstrip("\n").split("\n")]  # an empty line is written as one space
    assert parse_prose(text).problems == ()
    for engine, render in ENGINES.items():
        for context, (wrap, _) in CONTEXTS.items():
            if context == "after-label" and container == "list":
                continue  # a list glued to a label's line is no list: its indented lines are code (a template matter)
            if context == "admonition" and engine == "plain":
                continue  # without the extension the admonition's indented body is a code block of the written Markdown
            soup = BeautifulSoup(render(wrap(written(text))), "html.parser")
            blocks = soup.find_all("pre")
            assert len(blocks) == 1, (engine, context, written(text))
            assert [line.rstrip() or " " for line in blocks[0].get_text().split("\n")] == expected, (
                engine,
                context,
                written(text),
            )


# ---------------------------------------------------------------------------------------------
# The judge, class by class


def problems(text: str) -> list[str]:
    return [problem.message for problem in parse_prose(text).problems]


@st.composite
def cased(draw, word: str) -> str:
    return "".join(ch.upper() if draw(st.booleans()) else ch for ch in word)


LINK_FORMS = [
    lambda url: f"[label]({url})",
    lambda url: f"see [label]( {url} ) here",
    lambda url: f"[label](<{url}>)",
    lambda url: f"[label]({url})" if " " not in url else f"[label](<{url}>)",
    lambda url: f"*[label]({url})*",
    lambda url: f"- item [label]({url})",
    lambda url: f"> [label]({url})",
    lambda url: f"[label][r]\n\n[r]: {url}",
    lambda url: f"[r]: {url}\n\n[label][r]",
    lambda url: f"[R]\n\n   [r]: {url}",  # labels match case-insensitively; a definition indented three spaces
    lambda url: f"[r][]\n\n[r]:\n  {url}",
    lambda url: f"> [r]: {url}\n>\n> [r]",
    lambda url: f"- [r]: {url}\n\n[r]",
    lambda url: f"1. a\n\n   [r]: {url}\n\n[r]",
]
AUTOLINK = lambda url: f"<{url}>"  # noqa: E731


@CLASSES
@given(
    st.sampled_from(["javascript", "vbscript", "data", "file"]).flatmap(cased),
    st.sampled_from(["alert(1)", "x", "//e.example/a", "text/html;base64,PHNjcmlwdD4", "%61lert(1)"]),
    st.sampled_from(LINK_FORMS + [AUTOLINK]),
)
def test_unsafe_scheme_is_a_problem_naming_the_scheme(scheme, payload, form):
    text = form(f"{scheme}:{payload}")
    messages = problems(text)
    assert any(f"scheme '{scheme.lower()}:'" in message.lower() for message in messages), (text, messages)
    assert "<a" not in ENGINES["plain"](written(text))


@CLASSES
@given(
    st.sampled_from(
        [
            "&#x6a;avascript:",
            "&#106;avascript:",
            "&#X4A;AVASCRIPT:",
            "java&#115;cript:",
            "javascript&#58;",
            "&#x76;bscript:",
            "dat&#x61;:",
            "&#102;ile&#x3A;",
        ]
    ),
    st.sampled_from(LINK_FORMS),
)
def test_scheme_spelt_with_references_is_named_too(spelt, form):
    text = form(f"{spelt}x")
    scheme = re.sub(
        r"&#[xX]?([0-9a-fA-F]+);", lambda m: chr(int(m.group(1), 16 if "x" in m.group(0).lower() else 10)), spelt
    ).lower()
    messages = problems(text)
    assert any(f"scheme '{scheme}'" in message.lower() for message in messages), (text, messages)


@CLASSES
@given(
    st.sampled_from(["javascript", "vbscript", "data"]).flatmap(cased),
    st.sampled_from(["&#10;", "&#x09;", "&#9;", "&#13;", "%0A", "%09", " "]),
    st.sampled_from(LINK_FORMS),
)
def test_scheme_broken_by_whitespace_is_still_refused(scheme, breaker, form):
    # Browsers drop tabs and newlines from URLs, so 'java<TAB>script:' is javascript: to them.
    text = form(
        f"<{scheme[:4]}{breaker}{scheme[4:]}:alert(1)>"
        if breaker == " "
        else f"{scheme[:4]}{breaker}{scheme[4:]}:alert(1)"
    )
    messages = problems(text)
    # Refused as a link, or (in a form CommonMark does not read as a link, such as '(<<data :x>>)') plain text.
    assert all(message.startswith("link") for message in messages), (text, messages)
    assert messages or "(<<" in text, (text, messages)
    assert "<a" not in ENGINES["plain"](written(text))


@CLASSES
@given(st.sampled_from(["javascript", "vbscript", "data", "file"]).flatmap(cased), st.sampled_from(LINK_FORMS))
def test_scheme_with_a_percent_encoded_letter_is_still_refused(scheme, form):
    text = form(f"%{ord(scheme[0]):02X}{scheme[1:]}:alert(1)")
    messages = problems(text)
    assert messages and all(message.startswith("link") for message in messages), (text, messages)


@CLASSES
@given(
    st.sampled_from(
        [
            "x.md",
            "../x",
            "./",
            "/abs/page",
            "//e.example/x",
            "///e.example",
            "?q=1",
            "#frag",
            "https:no-host",
            "http:/x",
            "HTTPS:///x",
            "page.html#x",
            "e.example",
        ]
    ),
    st.sampled_from(LINK_FORMS),
)
def test_relative_and_host_relative_links_are_problems(url, form):
    text = form(url)
    messages = problems(text)
    assert any(message.startswith("link target") for message in messages), (text, messages)
    assert "<a" not in ENGINES["plain"](written(text))


@CLASSES
@given(
    st.sampled_from(LINK_FORMS),
    st.sampled_from(
        ["https://e.example/x", "HTTP://e.example", "mailto:a@e.example", "https://e.example/a_b*c~d?x=1&y=2#f"]
    ),
)
def test_http_and_mailto_links_are_accepted_and_kept(form, url):
    text = form(url)
    assert problems(text) == []
    soup = BeautifulSoup(ENGINES["extensions"](written(text)), "html.parser")
    assert [a["href"] for a in soup.find_all("a")] == [url]


TAG_NAMES = [
    "script",
    "img",
    "iframe",
    "svg",
    "a",
    "b",
    "div",
    "span",
    "details",
    "style",
    "object",
    "embed",
    "math",
    "x-custom",
    "textarea",
    "form",
    "input",
    "base",
    "meta",
    "link",
    "pre",
    "table",
    "video",
]
attribute = st.tuples(
    st.sampled_from(
        ["onerror", "onclick", "src", "href", "style", "class", "id", "data-x", "x", "ONLOAD", "srcdoc", "formaction"]
    ),
    st.sampled_from(['="javascript:alert(1)"', "='x'", "=x", "", '=""', "=url(x)"]),
)


@st.composite
def html_tags(draw) -> tuple[str, str]:
    name = draw(
        st.one_of(st.sampled_from(TAG_NAMES), st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,8}", fullmatch=True)).flatmap(
            cased
        )
    )
    attributes = "".join(f" {key}{value}" for key, value in draw(st.lists(attribute, max_size=3)))
    end = draw(st.sampled_from([">", " >", "/>", " />", "\n />"]))
    return name, f"<{name}{attributes}{end}"


HTML_FORMS = [
    lambda open_, name: f"text {open_} more",
    lambda open_, name: f"text {open_}inside</{name}> more",
    lambda open_, name: f"text </{name}> more",  # a closing tag alone
    lambda open_, name: f"{open_}\ncontent\n</{name}>",
    lambda open_, name: f"para\n\n{open_}\n\nafter",
    lambda open_, name: f"- item {open_}",
    lambda open_, name: f"> {open_}",
    lambda open_, name: f"*em {open_}*",
    lambda open_, name: f"[text {open_}](https://e.example/)",
    lambda open_, name: f"  </{name}>\n\ntext",
]


@CLASSES
@given(html_tags(), st.sampled_from(HTML_FORMS))
def test_raw_html_tags_of_every_kind_are_problems(tag, form):
    name, open_ = tag
    text = form(open_, name)
    messages = problems(text)
    assert any("raw HTML" in message for message in messages), (text, messages)


@CLASSES
@given(
    st.sampled_from(["<!-- x -->", "<!---->", "<?php echo 1; ?>", "<!DOCTYPE html>", "<![CDATA[x]]>", "<!X y>"]),
    st.sampled_from(["text {} more", "{}\n\nafter", "- {}", "> {}"]),
)
def test_comments_declarations_and_instructions_are_problems(html, form):
    text = form.format(html)
    assert any("raw HTML" in message for message in problems(text)), text


IMAGE_FORMS = [
    "![alt](https://e.example/i.png)",
    '![alt](https://e.example/i.png "t")',
    "![](<https://e.example/a b.png>)",
    "![alt][r]\n\n[r]: https://e.example/i.png",
    "![r]\n\n[r]: https://e.example/i.png",
    "[![alt](https://e.example/i.png)](https://e.example/)",
    "- ![alt](javascript:x)",
    "> *![alt](data:image/png;base64,AAAA)*",
]


@pytest.mark.parametrize("text", IMAGE_FORMS)
def test_images_are_problems(text):
    assert any("images are not allowed" in message for message in problems(text)), text
    assert "<img" not in ENGINES["extensions"](written(text))


@CLASSES
@given(
    st.sampled_from(['"t"', "'t'", "(t)", '"javascript:x"', '"a\nb"']),
    st.sampled_from(["inline", "angle", "reference", "quote"]),
)
def test_link_titles_are_problems(title, form):
    text = {
        "inline": f"[a](https://e.example/ {title})",
        "angle": f"[a](<https://e.example/> {title})",
        "reference": f"[a][r]\n\n[r]: https://e.example/ {title}",
        "quote": f"> [a](https://e.example/\t{title})",
    }[form]
    assert any("link titles are not allowed" in message for message in problems(text)), text
    assert "title=" not in ENGINES["extensions"](written(text))


@CLASSES
@given(
    st.sampled_from(
        [
            "{: .x }",
            "{:.x}",
            "{ .x }",
            "{.x}",
            "{#id}",
            "{ #id .x }",
            "{:#id}",
            '{: onclick="x" }',
            "{ onclick=x }",
            "{ data-x=1 }",
            "{\t.x}",
        ]
    ),
    st.sampled_from(["text {}", "text\n{}", "- item {}", "> quote {}", "[a](https://e.example/){}", "*em*{}"]),
)
def test_attribute_lists_are_problems(attributes, form):
    text = form.format(attributes)
    assert any("attribute lists" in message for message in problems(text)), text


@CLASSES
@given(
    st.integers(1, 6),
    st.sampled_from(["", " ", "  ", "   "]),
    st.sampled_from([" title", "\ttitle", " title ###", "", " "]),
    st.sampled_from(["{}", "- {}", "> {}", "para\n\n{}", "1. {}"]),
)
def test_atx_headings_are_problems(level, indent, rest, form):
    text = form.format(indent + "#" * level + rest)
    assert any("headings are not allowed" in message for message in problems(text)), text


@CLASSES
@given(
    st.sampled_from(["=", "==", "===", "-", "---", "  ---  ", "   ==="]),
    st.sampled_from(["Title\n{}", "- Title\n  {}", "> Title\n> {}", "para\n\nTitle\n{}"]),
)
def test_setext_headings_are_problems(underline, form):
    text = form.format(underline)
    assert any("headings are not allowed" in message for message in problems(text)), text


def nested(markers: list[str], text: str = "deep") -> str:
    """One line opening a container per marker: '> - 1. deep'."""
    return "".join(markers) + text


@CLASSES
@given(st.lists(st.sampled_from(["> ", "- ", "* ", "1. ", "+ "]), min_size=MAX_DEPTH + 1, max_size=MAX_DEPTH + 12))
def test_nesting_deeper_than_max_depth_is_a_problem(markers):
    text = nested(markers)
    assert any("nested more than" in message for message in problems(text)), text


@CLASSES
@given(st.lists(st.sampled_from(["> ", "- ", "* ", "1. ", "+ "]), min_size=1, max_size=MAX_DEPTH))
def test_nesting_up_to_max_depth_is_accepted(markers):
    text = nested(markers)
    assert problems(text) == [], text
    assert "deep" in ENGINES["extensions"](written(text))


@pytest.mark.parametrize("depth", [MAX_DEPTH, MAX_DEPTH + 1, 20, 40])
def test_nesting_by_indentation(depth):
    text = "\n".join("  " * level + "- level" for level in range(depth))
    deep = [message for message in problems(text) if "nested more than" in message]
    assert bool(deep) == (depth > MAX_DEPTH)


@pytest.mark.parametrize("depth", [2, 8, 40, 300, 2000])
def test_emphasis_nested_hundreds_deep_is_judged_not_crashed(depth):
    # Markdown's own nesting limit covers blocks; '*' runs nest emphasis without one.
    # The parser's syntax tree is built recursively: 500 '*' on each side raised RecursionError.
    text = "*" * depth + "deep" + "*" * depth
    found = parse_prose(text)
    if depth <= MAX_DEPTH:
        assert found.problems == ()
        assert "deep" in ENGINES["extensions"](written(text))
    else:
        assert any("nested more than" in problem.message for problem in found.problems)
    assert_inert(text)
    assert_inert(f"- [a *b **{text}** c*](https://e.example/)")


# The accepted subset: generated documents of it give no problem, keep their [[id]] links and render.

word = st.text(alphabet=string.ascii_letters, min_size=1, max_size=8)
inline_piece = st.one_of(
    word,
    word.map(lambda w: f"*{w}*"),
    word.map(lambda w: f"**{w}**"),
    word.map(lambda w: f"_{w}_"),
    code_text.map(lambda c: f"`{c}`"),
    word.map(lambda w: f"[{w}](https://e.example/{w})"),
    word.map(lambda w: f"[{w}](mailto:{w}@e.example)"),
    word.map(lambda w: f"<https://e.example/{w}>"),
    word.map(lambda w: f"[[{w.lower()}]]"),
    st.tuples(word, word).map(lambda p: f"[[{p[0].lower()}|{p[1]}]]"),
    st.sampled_from(
        ["\\*", "\\[", "&amp;", "&copy;", "a  \nb", "a\\\nb", "3 < 4", "x > y", "a & b", "don't", "50%", "(see)"]
    ),
)
paragraph = st.lists(inline_piece, min_size=1, max_size=8).map(" ".join)


@st.composite
def accepted_block(draw, depth: int = 0) -> str:
    kinds = ["paragraph", "paragraph", "fence", "hr"] + (["bullets", "numbers", "quote"] if depth < MAX_DEPTH else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "paragraph":
        return draw(paragraph)
    if kind == "fence":
        return "```\n" + draw(st.lists(code_line, min_size=1, max_size=3).map("\n".join)) + "\n```"
    if kind == "hr":
        return draw(st.sampled_from(["***", "* * *", "___"]))
    items = [draw(accepted_block(depth + 1)) for _ in range(draw(st.integers(1, 3)))]
    if kind == "quote":
        return "\n".join("> " + line if line else ">" for line in "\n\n".join(items).split("\n"))
    start = draw(st.integers(0, 20))
    out = []
    for number, item in enumerate(items):
        marker = "- " if kind == "bullets" else f"{start + number}. "
        lines = item.split("\n")
        out.append(marker + lines[0] + "".join("\n" + (" " * len(marker) + line if line else "") for line in lines[1:]))
    return "\n".join(out) if draw(st.booleans()) else "\n\n".join(out)


@CLASSES
@given(st.lists(accepted_block(), min_size=1, max_size=4).map("\n\n".join))
def test_the_accepted_subset_gives_no_problem(text):
    found = parse_prose(text)
    assert found.problems == (), (text, found.problems)
    outside_code = re.sub(r"```.*?```|`[^`]*`", "", text, flags=re.S)
    assert len(found.links) == len(re.findall(r"\[\[", outside_code))
    assert_inert(text)


# ---------------------------------------------------------------------------------------------
# Problems per field are capped


@pytest.mark.parametrize(
    "text",
    [
        "<b>x</b> " * 2_000,  # over the '<' cap: one problem, before any parse
        "<b>x</b> " * (MAX_BRACKETS // 2),
        "# heading\n\n" * 2_000,
        "{: .x }\n\n" * 2_000,
        ("> " * (MAX_DEPTH + 1) + "x\n\n") * 1_000,  # each paragraph is parsed 21 levels deep: ~0.8 s
        '[a](https://e.example/ "t") ' * (MAX_BRACKETS - 1),
        "[a](javascript:x) " * (MAX_BRACKETS - 1),
        "![a](https://e.example/i.png) " * (MAX_BRACKETS - 1),
    ],
    ids=["10k-tags", "tags-at-cap", "headings", "attribute-lists", "too-deep", "titles", "schemes", "images"],
)
def test_problems_per_field_are_capped_and_quick(text):
    started = time.process_time()
    found = parse_prose(text)
    seconds = time.process_time() - started
    assert 1 <= len(found.problems) <= MAX_PROBLEMS + 1
    assert seconds < 2.0, f"{seconds:.2f} s for {len(text)} characters"


def test_kb_check_reports_a_capped_number_of_problems_per_field(tmp_path):
    project = make_project(tmp_path / "p")
    body = "".join(
        f"<x{n}>text</x{n}> ![i](https://e.example/{n}.png) [a](javascript:{n})\n\n# heading {n}\n\n" for n in range(90)
    )
    (project / "content" / "behaviours" / "noisy.yaml").write_text(
        "title: Noisy\nsummary: Many problems.\nwhy_it_matters: Reasons.\nadded: 2026-01-01\nbody: |\n"
        + "".join(f"  {line}\n" for line in body.split("\n")),
        encoding="utf-8",
    )
    _, diagnostics = check(project)
    body_problems = [
        d for d in diagnostics if d.location.path.endswith("noisy.yaml") and d.message.startswith("'body'")
    ]
    assert 1 <= len(body_problems) <= MAX_PROBLEMS + 1
    assert all(d.location.line > 1 for d in body_problems)  # located inside the block, not at the file's start


# ---------------------------------------------------------------------------------------------
# [[id]] links

entry_id = st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}", fullmatch=True)
label = st.text(alphabet=string.ascii_letters + string.digits + " .,;!?'*_`<>&|", max_size=30)


@CLASSES
@given(
    entry_id,
    st.one_of(st.none(), label),
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(["{}", "See {}.", "- {} and more", "> *{}*", "**{}**"]),
)
def test_wiki_links_become_pieces(target, text_label, space, form):
    link = f"[[{space}{target}{space}]]" if text_label is None else f"[[{space}{target}{space}|{text_label}]]"
    found = parse_prose(form.format(link))
    assert found.problems == ()
    assert found.links == (WikiLink(target, (text_label or "").strip() or None),)
    assert [piece for piece in found.pieces if isinstance(piece, WikiLink)] == list(found.links)


@CLASSES
@given(
    entry_id,
    st.sampled_from(
        ["`{}`", "``a {} b``", "```\n{}\n```", "    {}", "~~~\nx\n{}\n~~~", "- item\n\n  ```\n  {}\n  ```"]
    ),
)
def test_wiki_links_in_code_stay_text(target, form):
    link = f"[[{target}]]"
    text = form.format(link)
    found = parse_prose(text)
    assert found.links == () and found.problems == ()
    codes = [
        element.get_text()
        for element in BeautifulSoup(ENGINES["extensions"](written(text)), "html.parser").find_all("code")
    ]
    assert any(link in code for code in codes), codes


@pytest.mark.parametrize("text", ["[see [[a]]](https://e.example/)", "[x *[[a]]*](https://e.example/)"])
def test_wiki_link_inside_link_text_wins_over_the_outer_link(text):
    # As CommonMark does with a link inside a link: the inner one is the link, the outer brackets text.
    found = parse_prose(text)
    assert found.links == (WikiLink("a", None),)
    soup = BeautifulSoup(ENGINES["extensions"](written(text)), "html.parser")
    assert [a["href"] for a in soup.find_all("a")] == [ENTRY_LINK]
    assert "](https://e.example/)" in soup.get_text()


def cpu(call) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize(
    "unit",
    ["[[", "[[a|", "[[a", "[[a|b]", "[[" + "a" * 101 + "]]", "[[a|" + "b" * 301 + "]]"],
    ids=["open", "open-label", "open-target", "half-closed", "long-target", "long-label"],
)
def test_wiki_link_floods_stay_linear(unit):
    # Up to the field's bracket cap, with text between the '[[' growing: cost grows with the text, not with its square.
    count = MAX_BRACKETS // unit.count("[")
    small = ("x" * 100 + unit) * count
    large = ("x" * 400 + unit) * count
    assert small.count("[") <= MAX_BRACKETS
    assert parse_prose(small).problems == () and parse_prose(small).links == ()
    small_s, large_s = cpu(lambda: parse_prose(small)), cpu(lambda: parse_prose(large))
    assert large_s <= 6 * small_s + 0.005, (
        f"{small_s:.4f} s at {len(small)} characters, {large_s:.4f} s at {len(large)}"
    )
    assert large_s / len(large) < 30e-6, f"{large_s / len(large) * 1e6:.1f} µs per character"


def test_wiki_link_flood_over_the_cap_is_one_quick_problem():
    text = "[[" * 100_000
    started = time.process_time()
    found = parse_prose(text)
    assert time.process_time() - started < 0.1
    assert len(found.problems) == 1 and "'['" in found.problems[0].message
    assert found.links == () and found.pieces == ()
