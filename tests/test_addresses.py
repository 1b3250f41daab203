"""The link contract is one module: each address it gives is the URL MkDocs itself gives the file."""

from __future__ import annotations

from kbtest import FIXTURES, ROOT
from mkdocs.structure.files import File

from generator.addresses import (
    PAGES,
    PATH_PAGES,
    entry_page,
    entry_url,
    handout_page,
    kind_index_page,
    page_url,
    path_page,
    tag_page,
)
from generator.kinds import kind_names
from generator.pipeline import build_pages


def _mkdocs_url(path: str) -> str:
    """The URL MkDocs serves a Markdown file at, with directory URLs as in mkdocs.yml (the root as '', as ours)."""
    url = File(path, src_dir="docs", dest_dir="site", use_directory_urls=True).url
    return "" if url == "./" else url


def test_every_generated_page_is_served_where_the_addresses_module_says():
    kb, pages = build_pages(FIXTURES / "basic", ROOT / "site_templates")
    assert pages and all(page_url(page.path) == _mkdocs_url(page.path) for page in pages)
    for entry in kb.entries.values():
        assert entry_url(entry) == _mkdocs_url(entry_page(entry)) == f"{entry.kind}/{entry.id}/"
    for path in kb.by_kind("paths"):
        assert _mkdocs_url(handout_page(path)) == f"handouts/{path.id}/"
        assert {name: _mkdocs_url(path_page(path, name)) for name in PATH_PAGES} == {
            "handout": f"handouts/{path.id}/",
            "facilitator": f"facilitator/{path.id}/",
            "present": f"present/{path.id}/",
            "self_check": f"self-check/{path.id}/",
        }
    assert {_mkdocs_url(tag_page(tag)) for tag in kb.tags()} == {f"tags/{tag}/" for tag in kb.tags()}
    assert [_mkdocs_url(kind_index_page(kind)) for kind in kind_names()] == [f"{kind}/" for kind in kind_names()]
    assert {name: _mkdocs_url(path) for name, path in PAGES.items()} == {
        "home": "",
        "tags": "tags/",
        "whats_new": "whats-new/",
        "glossary": "glossary/",
        "cards": "cards/",
        "matrix": "matrix/",
        "objections": "objections/",
        "side_by_side": "side-by-side/",
        "trust": "trust/",
        "self_assessment": "self-assessment/",
        "search": "search/",
    }


def test_every_page_the_build_makes_has_a_named_address():
    kb, pages = build_pages(FIXTURES / "basic", ROOT / "site_templates")
    named = (
        set(PAGES.values()) | {kind_index_page(kind) for kind in kind_names()} | {tag_page(tag) for tag in kb.tags()}
    )
    named |= {entry_page(entry) for entry in kb.entries.values()}
    named |= {path_page(path, name) for path in kb.by_kind("paths") for name in PATH_PAGES}
    assert {page.path for page in pages} == named
