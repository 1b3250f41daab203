"""Golden tests: fixture entries in, the exact generated Markdown out; and the engine boundary."""

from __future__ import annotations

import ast

import markdown
from bs4 import BeautifulSoup
from kbtest import FIXTURES, GOLDEN, ROOT, assert_golden, call_kb, make_project

from generator.escaping import escape_text
from generator.pipeline import StageCache, build_pages


def test_generated_markdown_matches_golden_pages():
    _, pages = build_pages(FIXTURES / "basic", ROOT / "site_templates")
    for page in pages:
        assert_golden(GOLDEN / "markdown" / "basic" / page.path, page.markdown)
    golden_files = {
        p.relative_to(GOLDEN / "markdown" / "basic").as_posix() for p in (GOLDEN / "markdown" / "basic").rglob("*.md")
    }
    assert golden_files == {page.path for page in pages}


def test_relations_are_derived_on_the_other_side():
    kb, pages = build_pages(FIXTURES / "basic", ROOT / "site_templates")
    behaviour = next(p for p in pages if p.path == "behaviours/answer-quickly.md").markdown
    # Declared only on the example, the case note, the path and the definition's prose:
    assert "## Examples\n\n- [The quick reply](../examples/quick-reply.md)" in behaviour
    assert "## Case notes\n\n- [Example Corp answers fast](../case-notes/example-corp.md)" in behaviour
    assert "## Learning paths\n\n**[First steps](../paths/first-steps.md)**, step 2 of 2." in behaviour
    assert "## Mentioned in\n\n- [Service focus](../definitions/service-focus.md)" in behaviour
    source = next(p for p in pages if p.path == "sources/field-notes.md").markdown
    cited_by = source.split("## Cited by")[1]
    for entry_id in (
        "answer-quickly",
        "quick-reply",
        "example-corp",
        "first-steps",
        "service-focus",
        "service-culture",
    ):
        assert f"{entry_id}.md)" in cited_by
    # related is symmetric: declared on service-culture only
    focus = next(p for p in pages if p.path == "definitions/service-focus.md").markdown
    assert "## Related\n\n- [Service culture](service-culture.md)" in focus


def test_markdown_escaping_keeps_contributor_text_literal():
    assert escape_text("[x](javascript:alert(1))") == "&#91;x&#93;(javascript&#58;alert(1))"
    assert escape_text("<b onclick=x>") == "&#60;b onclick&#61;x&#62;"
    assert (
        escape_text("a {: onclick=x } | *b* _c_ `d`")
        == "a &#123;&#58; onclick&#61;x &#125; &#124; &#42;b&#42; &#95;c&#95; &#96;d&#96;"
    )
    # at the start of a line, a first character other than a letter cannot start a list, quote or block
    assert (
        escape_text("1. item") == "&#49;. item"
        and escape_text("- x") == "&#45; x"
        and escape_text("x", line_start=True) == "x"
    )
    assert escape_text("1. item", line_start=False) == "1. item"


def test_markdown_only_build_writes_every_page_without_mkdocs(tmp_path):
    project = make_project(tmp_path / "p")
    out = tmp_path / "md"
    result = call_kb("build", "--markdown-only", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    _, pages = build_pages(FIXTURES / "basic", ROOT / "site_templates")
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == sorted(p.path for p in pages)
    assert (out / "behaviours" / "answer-quickly.md").read_text() == next(
        p.markdown for p in pages if p.path == "behaviours/answer-quickly.md"
    )
    assert not (project / "site").exists()


def test_only_the_integration_module_imports_mkdocs():
    offenders = []
    for path in (ROOT / "generator").glob("*.py"):
        if path.name == "mkdocs_plugin.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{path.name}: {n}" for n in names if n == "mkdocs" or n.startswith("mkdocs.")]
    assert offenders == []


def test_multi_paragraph_list_items_stay_inside_their_item(tmp_path):
    project = make_project(tmp_path / "p")
    path = project / "content" / "behaviours" / "answer-quickly.yaml"
    path.write_text(
        path.read_text().replace(
            "  - Check the queue twice a day.\n",
            "  - |\n    Check the queue twice a day.\n\n    Then again before you leave.\n",
        )
    )
    _, pages = build_pages(project)
    page = next(p for p in pages if p.path == "behaviours/answer-quickly.md")
    html = markdown.markdown(page.markdown.split("---", 2)[2], extensions=["admonition", "attr_list", "tables"])
    first_item = BeautifulSoup(html, "html.parser").find("li")
    assert [p.get_text() for p in first_item.find_all("p")] == [
        "Check the queue twice a day.",
        "Then again before you leave.",
    ]


def test_entry_links_inside_code_stay_literal_and_are_not_checked(tmp_path):
    project = make_project(tmp_path / "p")
    path = project / "content" / "examples" / "quick-reply.yaml"
    body = (
        "body: |\n  Write `[[service-focus]]` to link.\n\n"
        "  ```\n  [[no-such-entry]]\n  ```\n\n  See [[service-focus]].\n"
    )
    path.write_text(path.read_text().replace("body: A clerk sees a complaint and answers it before lunch.\n", body))
    kb, pages = build_pages(project)
    page = next(p for p in pages if p.path == "examples/quick-reply.md").markdown
    assert "Write <code>&#91;&#91;service-focus&#93;&#93;</code> to link." in page
    assert "<pre><code>&#91;&#91;no-such-entry&#93;&#93;</code></pre>" in page
    assert "See [Service focus](../definitions/service-focus.md)." in page


def test_markdown_only_build_drops_pages_of_deleted_entries(tmp_path):
    project = make_project(tmp_path / "p")
    out = tmp_path / "md"
    assert call_kb("build", "--markdown-only", str(out), cwd=project).returncode == 0
    assert (out / "case-notes" / "example-corp.md").is_file()
    (project / "content" / "case-notes" / "example-corp.yaml").unlink()
    result = call_kb("build", "--markdown-only", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    assert not (out / "case-notes" / "example-corp.md").exists()
    assert (out / "behaviours" / "answer-quickly.md").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("md.")] == []


# --- the preview's render cache -----------------------------------------------------------------


def _by_path(pages) -> dict:
    return {page.path: page for page in pages}


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_preview_re_renders_only_entry_pages_whose_inputs_changed_and_matches_a_fresh_render(tmp_path):
    project = make_project(tmp_path / "p")
    cache = StageCache()
    first = _by_path(build_pages(project, cache=cache)[1])
    again = _by_path(build_pages(project, cache=cache)[1])
    entry_paths = {path for path, page in first.items() if page.entry_id}
    assert all(again[path] is first[path] for path in entry_paths)  # nothing changed: every entry page reused

    # A new title shows on the page itself and on every page that lists or links the entry.
    _edit(project / "content" / "examples" / "quick-reply.yaml", "title: The quick reply", "title: The swift reply")
    edited = _by_path(build_pages(project, cache=cache)[1])
    assert edited == _by_path(build_pages(project)[1])  # the same Markdown as a build without a cache
    rendered = {path for path in entry_paths if edited[path] is not first[path]}
    # Its neighbours: the behaviour it shows, the source it cites, the definition whose prose links it.
    assert rendered == {
        "examples/quick-reply.md",
        "behaviours/answer-quickly.md",
        "sources/field-notes.md",
        "definitions/service-focus.md",
    }
    assert all(
        "The swift reply" in edited[path].markdown for path in rendered - {"definitions/service-focus.md"}
    )  # [[id|own text]]

    # A template edit re-renders every page.
    _edit(project / "site_templates" / "entry.md.j2", "Tags: ", "Topics: ")
    retemplated = _by_path(build_pages(project, cache=cache)[1])
    assert retemplated == _by_path(build_pages(project)[1])
    tagged = [path for path in entry_paths if "Tags: " in edited[path].markdown]
    assert tagged and all("Topics: " in retemplated[path].markdown for path in tagged)


def test_prose_that_starts_with_a_block_gets_a_line_of_its_own_after_a_label():
    from generator.prose import parse_prose, starts_with_block, write_prose

    for text in ("- a\n- b", "1. a", "> quoted", "```\ncode\n```", "---"):
        assert starts_with_block(write_prose(parse_prose(text), str)), text
    for text in ("Plain words.", "**Bold** start", "`code` start", "[[x]] start"):
        assert not starts_with_block(write_prose(parse_prose(text), lambda link: "[x](x.md)")), text


def test_a_relation_heading_can_be_reworded_without_changing_what_pages_show(monkeypatch):
    """Code and templates name relations by key: rewording a heading changes the heading, nothing else."""
    from generator import links

    _, before = build_pages(FIXTURES / "basic", ROOT / "site_templates")
    monkeypatch.setitem(links.RELATION_HEADINGS, "case-notes", "Company cases")
    monkeypatch.setitem(links.RELATION_HEADINGS, "learning-paths", "Onboarding routes")
    _, after = build_pages(FIXTURES / "basic", ROOT / "site_templates")
    reworded = {
        p.path: p.markdown.replace("## Company cases", "## Case notes").replace(
            "## Onboarding routes", "## Learning paths"
        )
        for p in after
    }
    assert reworded == {p.path: p.markdown for p in before}
    behaviour = next(p.markdown for p in after if p.path == "behaviours/answer-quickly.md")
    assert "## Company cases" in behaviour and "## Onboarding routes\n\n**[First steps]" in behaviour
