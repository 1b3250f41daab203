"""The hostile corpus: every known hazard gives its diagnostic or renders as inert text, fast, in place.

Two halves. Rejected hazards are the golden diagnostic cases (tests/golden/diagnostics/<case>/),
plus a few made at run time (huge files, symlinks, odd file names). Accepted hazards are the
entries of tests/fixtures/hostile: markup, event handlers, attr_list tricks and template syntax
in every field, YAML 1.1 look-alikes, a BOM, relation cycles. That tree is built once with the
real MkDocs + Material (the `hostile_build` fixture) and its HTML parsed.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import time
from typing import get_args

import pytest
from bs4 import BeautifulSoup
from pydantic import AfterValidator

from conftest import FIXTURES, GOLDEN, MKDOCS_ENV, make_project, run_kb, tree_state
from generator import loader, schema
from generator.pipeline import check
from htmlsafety import body_problems, script_signature, unsafe_parts
from sitecrawl import parse

HOSTILE = FIXTURES / "hostile"
REJECTED_CASES = sorted(p.name for p in (GOLDEN / "diagnostics").iterdir() if p.is_dir())
PAYLOAD_MARK = 'alert("script-block")'  # in every Markdown field of the payload entries
LINE_MARK = '</title><script>alert("line")</script>'  # in every one-line field of the payload entries
PAYLOAD_ENTRIES = ["payload-source", "payload-definition", "payload-behaviour", "payload-example", "payload-case-note", "payload-path"]
SITE_NAME = "Customer-focus handbook"

# The hazards of issue 5 and where the corpus holds each: a golden case (rejected), an entry of the
# hostile fixture (accepted, rendered inert) or a test below that makes it at run time.
HAZARDS = {
    "duplicate keys": "case:duplicate-key",
    "alias bomb": "case:alias-bomb",
    "anchors and aliases": "case:anchors-aliases",
    "deep nesting in a small file": "case:deep-nesting",
    "50,000-deep nesting bomb": "case:nesting-bomb",
    "10 MB file": "test:test_diagnostics.test_oversized_file_is_refused_without_parsing",
    "Latin-1 bytes": "case:latin1",
    "NUL bytes": "case:nul-byte",
    "control and bidi characters written as escapes": "case:escaped-characters",
    "bidi override": "case:bidi-control",
    "non-character U+FFFF": "case:noncharacter",
    "BOM at the start": "entry:with-bom",
    "BOM inside the text": "case:bom-mid-file",
    "tags like !!python/object": "case:yaml-tags",
    "NO, 1.10 and dates as strings": "entry:yaml-traps",
    "ids with .., upper case, look-alikes": "case:lookalike-ids",
    "references with .., / and look-alikes": "case:path-like-references",
    "Windows reserved names": "case:windows-reserved",
    "newline in a file name": "test:test_hostile.test_file_name_with_a_newline_is_refused",
    "symlinked files and folders in content/": "test:test_diagnostics.test_symlinked_file_and_folder_are_refused",
    "symlinks out of docs_dir": "test:test_hostile.test_symlink_out_of_docs_dir_stops_the_build",
    "script, iframe, object, event handlers, attr_list in every Markdown field": "entry:payload-behaviour",
    "markup and quotes in every one-line field (titles, summaries)": "entry:payload-definition",
    "javascript:, data:, vbscript: and other link forms": "case:unsafe-link-forms",
    "template syntax {{ }} and {% %} in fields": "entry:payload-example",
    "bracket flood (quadratic Markdown)": "case:bracket-flood",
    "an entry relating to itself": "case:self-relation",
    "an entry linking itself in prose": "entry:self-mention",
    "relation cycles": "entry:cycle-a",
    "learning paths stepping into each other": "entry:loop-one",
    "too many entries, too much content": "test:test_hostile.test_entry_and_size_caps_stop_loading_with_a_message",
}


def _hostile_kb():
    kb, problems = check(HOSTILE)
    assert problems == []
    return kb


def test_every_hazard_has_its_fixture():
    kb = _hostile_kb()
    for hazard, where in HAZARDS.items():
        kind, name = where.split(":")
        if kind == "case":
            assert name in REJECTED_CASES, hazard
        elif kind == "entry":
            assert name in kb.entries, hazard
        else:
            module, function = name.split(".")
            assert callable(getattr(importlib.import_module(module), function, None)), hazard


# --- the rejected half: each hazard stops the real MkDocs build with its diagnostic, writing nothing


@pytest.mark.parametrize("case", REJECTED_CASES)
def test_rejected_hazard_stops_the_mkdocs_build_before_anything_is_written(case, tmp_path, monkeypatch, caplog):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    for name, value in MKDOCS_ENV.items():
        monkeypatch.setenv(name, value)
    project = make_project(tmp_path / "p", GOLDEN / "diagnostics" / case / "content")
    expected = (GOLDEN / "diagnostics-expected" / f"{case}.txt").read_text(encoding="utf-8").splitlines()
    before = tree_state(tmp_path)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "out"))
    started = time.perf_counter()
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(config)
    assert time.perf_counter() - started < 10, "a hostile file must not slow the build down"
    assert expected and all(line in caplog.text for line in expected), caplog.text
    assert tree_state(tmp_path) == before  # no site, no cache, nothing beside them


def test_file_name_with_a_newline_is_refused(tmp_path):
    project = make_project(tmp_path / "p")
    (project / "content" / "sources" / "evil\n.yaml").write_text("title: X\nsummary: Y.\npublisher: Z\nadded: 2026-01-01\n")
    _, problems = check(project)
    assert [str(p).split(": error: ")[1] for p in problems] == ["bad file name 'evil\n.yaml': ids use lower-case ASCII letters, digits and single hyphens (try 'evil')"]


def test_entry_and_size_caps_stop_loading_with_a_message(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p")
    monkeypatch.setattr(loader, "MAX_ENTRIES", 3)
    entries, problems = loader.load_content(project)
    assert len(entries) == 3
    assert [str(p) for p in problems] == ["content:1:1: error: more than 3 entries: split the knowledge base"]
    monkeypatch.setattr(loader, "MAX_ENTRIES", 20_000)
    monkeypatch.setattr(loader, "MAX_TOTAL_BYTES", 600)
    entries, problems = loader.load_content(project)
    assert len(entries) < 7
    assert len(problems) == 1 and problems[0].message.startswith("content/ holds more than 600 bytes of entries")


def test_symlink_out_of_docs_dir_stops_the_build(tmp_path):
    project = make_project(tmp_path / "p")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    (project / "site_templates" / "assets" / "leak.txt").symlink_to(secret)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "other.txt").write_text("ALSO SECRET")
    (project / "site_templates" / "assets" / "linked").symlink_to(tmp_path / "outside")
    result = run_kb("build", cwd=project)
    assert result.returncode == 1
    assert "links to files outside it: leak.txt, linked/other.txt. Replace each symlink with the file itself." in result.stderr
    assert not (project / "site").exists()


# --- the accepted half: built once, every page parsed


def test_hostile_corpus_builds_in_seconds(hostile_build):
    assert hostile_build.seconds < 60, f"kb build of the hostile corpus took {hostile_build.seconds:.1f} s"


def test_hostile_build_writes_only_its_site_and_page_cache(hostile_build):
    assert hostile_build.touched
    outside = [p for p in hostile_build.touched if not p.startswith(("project/site/", "project/.cache/kb/"))]
    assert outside == []


def test_no_page_of_the_hostile_build_can_run_or_load_anything(hostile_build):
    site = hostile_build.site
    theme_scripts = script_signature(parse(site / "index.html"))
    assert any(s.startswith("src:bundle.") for s in theme_scripts)  # the reference really holds the theme's scripts
    pages = sorted(site.rglob("*.html"))
    for entry_id in PAYLOAD_ENTRIES:
        assert any(entry_id in p.parent.name for p in pages), entry_id
    bodies_checked = set()
    for html in pages:
        page = parse(html)
        where = html.relative_to(site)
        assert unsafe_parts(page, allow_scripts=True) == [], where
        assert script_signature(page) in (theme_scripts, []), where  # a theme page, or a static redirect stub
        article = page.find("article")
        if article is not None:  # redirect stubs have none
            assert body_problems(article) == [], where
            bodies_checked.add(html.parent.name)
    assert set(PAYLOAD_ENTRIES) <= bodies_checked  # the payload pages' bodies really were checked


def test_payload_text_is_shown_not_run(hostile_build):
    text = parse(hostile_build.site / "behaviours" / "payload-behaviour" / "index.html").find("article").get_text()
    assert LINE_MARK in text  # one-line fields: the markup is visible text
    assert "{{ 7*7 }}" in text and "{{ 7 * 7 }}" in text and "{% if true %}yes{% endif %}" in text  # never a template
    assert "styled link" in text and "A paragraph with attr_list tricks." in text  # only the tricks went


def test_hostile_titles_and_summaries_are_text_in_title_header_meta_and_search(hostile_build):
    kb = _hostile_kb()
    index = json.loads((hostile_build.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    search_titles = {doc["location"]: doc["title"] for doc in index["docs"]}
    for entry_id in PAYLOAD_ENTRIES:
        entry = kb.entries[entry_id]
        title, summary = entry.model.title, entry.model.summary
        page = parse(hostile_build.site / entry.kind / entry_id / "index.html")
        assert page.title.get_text() == f"{title} - {SITE_NAME}"
        assert page.find("meta", attrs={"name": "description"})["content"] == summary
        assert page.select('[data-md-component="header-topic"]')[0].get_text(strip=True) == title
        assert page.find("h1").get_text().rstrip("¶") == title
        shown_in_search = BeautifulSoup(search_titles[f"{entry.kind}/{entry_id}/"], "html.parser")  # Material renders it as HTML
        assert shown_in_search.get_text() == title and unsafe_parts(shown_in_search) == []
    for doc in index["docs"]:
        assert unsafe_parts(BeautifulSoup(doc["title"] + doc["text"], "html.parser")) == [], doc["location"]


def test_yaml_look_alikes_and_bom_stay_plain_text(hostile_build):
    traps = parse(hostile_build.site / "definitions" / "yaml-traps" / "index.html").find("article")
    assert traps.find("h1").get_text().rstrip("¶") == "NO"
    text = traps.get_text()
    assert _hostile_kb().entries["yaml-traps"].model.term == "2024-01-02"  # the template does not show the term
    assert "1.10" in text  # the summary
    aka = next(p for p in traps.find_all("p") if p.get_text().startswith("Also known as:"))
    assert aka.get_text().removeprefix("Also known as:").strip().split(", ") == ["yes", "off", "on", "~", "null", "0x1F", "1e3", ".inf", "012", "1_000", "2024-02-30"]
    bom = parse(hostile_build.site / "sources" / "with-bom" / "index.html")
    assert bom.find("h1").get_text().rstrip("¶") == "Starts with a byte order mark"


def test_cycles_and_self_mentions_render_once_each(hostile_build):
    site = hostile_build.site
    for here, there in (("cycle-a", "cycle-b"), ("cycle-b", "cycle-a")):
        related = parse(site / "behaviours" / here / "index.html").find(id="related").find_next("ul")
        assert [a["href"] for a in related.find_all("a")] == [f"../{there}/"]
    for here, there in (("loop-one", "loop-two"), ("loop-two", "loop-one")):
        assert parse(site / "paths" / here / "index.html").find("a", href=f"../{there}/") is not None
    self_page = parse(site / "examples" / "self-mention" / "index.html")
    assert self_page.find(id="mentioned-in") is None
    assert [a["href"] for a in self_page.find("article").find_all("a", string="itself")] == ["./"]


# --- the corpus covers every field the schema has


def _fields(model, wanted, prefix=()):
    """Dotted paths of the fields of a model (and its nested models) whose annotation `wanted` accepts."""
    for name, field in model.model_fields.items():
        metadata = list(field.metadata) + [m for arg in get_args(field.annotation) for m in getattr(arg, "__metadata__", ())]
        nested = schema._inner_model(field.annotation)
        if nested is not None:
            yield from _fields(nested, wanted, (*prefix, name))
        elif any(wanted(m) for m in metadata):
            yield ".".join((*prefix, name))


def _flatten(value, prefix=()):
    """(dotted path without list indexes, string) for every string in loaded YAML data."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, (*prefix, key))
    elif isinstance(value, list):
        for item in value:
            yield from _flatten(item, prefix)
    elif isinstance(value, str):
        yield ".".join(prefix), value


def test_every_markdown_and_one_line_field_of_every_kind_carries_the_payloads():
    kb = _hostile_kb()
    is_markdown = lambda m: isinstance(m, schema.MarkdownText)  # noqa: E731
    is_line = lambda m: isinstance(m, AfterValidator) and m.func is schema._single_line  # noqa: E731
    for entry_id in PAYLOAD_ENTRIES:
        entry = kb.entries[entry_id]
        values = list(_flatten(entry.raw.data))
        markdown_fields, line_fields = set(_fields(type(entry.model), is_markdown)), set(_fields(type(entry.model), is_line))
        assert "body" in markdown_fields and "title" in line_fields
        for path in markdown_fields:
            assert any(p == path and PAYLOAD_MARK in v for p, v in values), f"{entry_id}: {path} lacks the HTML payloads"
        for path in line_fields:
            assert any(p == path and LINE_MARK in v for p, v in values), f"{entry_id}: {path} lacks the markup payload"


def test_whole_rejected_corpus_is_checked_in_seconds():
    started = time.perf_counter()
    for case in REJECTED_CASES:
        _, problems = check(GOLDEN / "diagnostics" / case)
        assert problems, case
    assert time.perf_counter() - started < 10
    assert os.path.getsize(GOLDEN / "diagnostics" / "nesting-bomb" / "content" / "sources" / "notes.yaml") > 100_000
