"""Speed-ups that must not change results.

The preview's cache between rebuilds, the loader's character scan, the plain-prose shortcut.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kbtest import make_project
from markdown_it.tree import SyntaxTreeNode

from generator import prose, yamlread
from generator.errors import KbError
from generator.pipeline import StageCache, build_pages


def test_cached_rebuild_reparses_only_the_edited_file_and_matches_a_fresh_build(tmp_path):
    project = make_project(tmp_path / "p")
    cache = StageCache()
    first_kb, _ = build_pages(project, cache=cache)
    path = project / "content" / "behaviours" / "answer-quickly.yaml"
    path.write_text(path.read_text().replace("Reply to a customer the same day.", "Reply within the hour."))

    kb, pages = build_pages(project, cache=cache)

    reused = [i for i, entry in kb.entries.items() if entry is first_kb.entries[i]]
    assert sorted(set(kb.entries) - set(reused)) == ["answer-quickly"]
    _, fresh_pages = build_pages(project)
    assert [(p.path, p.markdown) for p in pages] == [(p.path, p.markdown) for p in fresh_pages]
    assert "Reply within the hour." in next(p.markdown for p in pages if p.path == "behaviours/answer-quickly.md")


def test_cached_rebuild_still_reports_problems_of_unchanged_files(tmp_path):
    project = make_project(tmp_path / "p")
    bad = project / "content" / "examples" / "quick-reply.yaml"
    bad.write_text(bad.read_text().replace("shows: [answer-quickly]", "shows: [answer-quikly]"))
    cache = StageCache()
    for _ in range(2):  # the second run takes the file from the cache
        with pytest.raises(KbError, match="Did you mean 'answer-quickly'"):
            build_pages(project, cache=cache)


def forbidden_character(ch: str) -> bool:
    """The loader's rule written out.

    Controls but tab and newline (and CR before a newline), line separators, bidi controls, BOM, non-characters,
    surrogates.
    """
    code = ord(ch)
    return (
        (code < 32 and ch not in "\t\n")
        or 0x7F <= code < 0xA0
        or ch in yamlread.BIDI_CONTROLS
        or ch in "\u2028\u2029\ufeff\ufffe\uffff"
        or 0xD800 <= code <= 0xDFFF
    )


def test_fast_character_scan_forbids_exactly_what_the_rule_forbids():
    disagree = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if forbidden_character(chr(code)) != bool(yamlread.FORBIDDEN_CHARACTERS.match(chr(code)))
    ]
    assert disagree == []


_PLAINISH = st.lists(
    st.sampled_from(
        list("ab Z9.1)(\"'[]|-:!?,\n\t")
        + ["[[x]]", "[[a-b|the c]]", "1986.", "  \n", "\n\n", "[[", "]]", " \n", "\t\n"]
    ),
    max_size=30,
).map("".join)


@given(_PLAINISH.map(str.strip))
@settings(max_examples=400, deadline=None)  # cheap examples (about 1 ms each): more than the profile's
def test_the_plain_prose_shortcut_gives_what_the_parser_gives(text):
    """Fields of plain sentences and [[id]] links skip the parser: only where the parser would agree."""
    shortcut = prose._plain_paragraphs(text)
    if shortcut is not None:
        parsed = prose._join(prose._Writer().blocks(SyntaxTreeNode(prose._PARSER.parse(text)).children, depth=0))
        assert tuple(prose._join(shortcut)) == tuple(parsed)


def test_the_plain_prose_shortcut_takes_ordinary_sentences():
    assert (
        prose._plain_paragraphs("See [[a-b]] and [[c|the c]], said (she).\nNext line!\n\n12 monkeys: 3 left.")
        is not None
    )
