"""Hostile content against the contributor tools and the theme's own elements, beside the builds of test_hostile.py.

A pull request that touches only content/ may hold symlinks (git stores them), files in the dot folders the
loader skips (content/.schema/) and one-line values chosen to collide with the theme. The loader reports a
symlink; the tools that read or write content/ around it must not follow it either: the preview's error page
shows a reported file (it would show any file the link names, such as /proc/self/environ), and `kb schema`
rewrites content/.schema/ (it would overwrite any file a link there names).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from kbtest import call_kb, make_project

from generator.pipeline import build_pages, check
from generator.preview import SOURCE_PATH, PreviewState, respond
from generator.schema_export import schema_path
from generator.training import HANDOUT_INLINE_CHARS


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("TOKEN=do-not-show\n")
    return secret


@pytest.mark.parametrize(
    "link", ["behaviours/leak.yaml", "behaviours/.leak.yaml", "tags.txt", ".leak", "behaviours/.#leak.yaml.lnk"]
)
def test_the_preview_shows_no_file_through_a_symlink_the_loader_reports(tmp_path, link):
    project = make_project(tmp_path / "project")
    secret = _secret(tmp_path)
    (project / "content" / link).unlink(missing_ok=True)
    (project / "content" / link).symlink_to(secret)
    _, problems = check(project)
    errors = [d for d in problems if d.severity == "error"]
    state = PreviewState()
    state.fail(errors)
    for path in {d.location.path for d in errors} | {f"content/{link}", f"content/../outside/{secret.name}"}:
        answer = respond(state, SOURCE_PATH + path, project)
        assert answer is not None and b"do-not-show" not in answer.body, path


def test_the_preview_still_shows_a_reported_plain_file(tmp_path):
    project = make_project(tmp_path / "project")
    entry = project / "content" / "behaviours" / "answer-quickly.yaml"
    entry.write_text("bogus_field: 1\n" + entry.read_text())
    _, problems = check(project)
    state = PreviewState()
    state.fail([d for d in problems if d.severity == "error"])
    answer = respond(state, SOURCE_PATH + "content/behaviours/answer-quickly.yaml", project)
    assert b"bogus_field" in answer.body and b"Answer quickly" in answer.body


def test_kb_schema_neither_reads_nor_writes_through_a_symlink_in_content_schema(tmp_path):
    project = make_project(tmp_path / "project")
    assert call_kb("schema", cwd=project).returncode == 0
    victim = _secret(tmp_path)
    linked = project / schema_path("paths")
    linked.unlink()
    linked.symlink_to(victim)
    checked = call_kb("schema", "--check", cwd=project)
    assert checked.returncode == 1 and schema_path("paths") in checked.stderr + checked.stdout
    assert call_kb("schema", cwd=project).returncode == 0
    assert victim.read_text() == "TOKEN=do-not-show\n"  # the link was replaced, not the file it named
    assert not linked.is_symlink() and linked.read_text().startswith("{")


def test_kb_schema_writes_nothing_through_a_linked_schema_folder(tmp_path):
    project = make_project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = project / schema_path("paths").rsplit("/", 1)[0]
    if folder.exists():
        for item in folder.iterdir():
            item.unlink()
        folder.rmdir()
    folder.symlink_to(elsewhere, target_is_directory=True)
    result = call_kb("schema", cwd=project)
    assert result.returncode == 1 and "symlink" in result.stderr + result.stdout
    assert os.listdir(elsewhere) == []


@pytest.mark.parametrize("title", ["__config", "“__config”", "＿＿search", "(__drawer) and more"])
def test_a_one_line_value_whose_heading_id_would_be_the_themes_is_refused(tmp_path, title):
    # Zensical sanitises nothing: <h1 id="__config"> came before Material's <script id="__config"> and the theme's
    # JSON.parse of it stopped every theme script on the page (search, navigation, palette). MkDocs' nh3 drops it.
    project = make_project(tmp_path / "project")
    source = project / "content" / "sources" / "field-notes.yaml"
    source.write_text(source.read_text().replace("title: Field notes on service", f"title: '{title}'"))
    entry = project / "content" / "behaviours" / "answer-quickly.yaml"
    objection = f"objections:\n  - objection: '{title}'\n    answer: An answer.\n    sources: [field-notes]\n"
    entry.write_text(entry.read_text() + objection)
    _, problems = check(project)
    refused = {(d.location.path, d.message.split("'")[1]) for d in problems if "two underscores" in d.message}
    assert refused == {
        ("content/sources/field-notes.yaml", "title"),
        ("content/behaviours/answer-quickly.yaml", "objections[0].objection"),
    }


def test_underscores_inside_a_value_are_fine(tmp_path):
    project = make_project(tmp_path / "project")
    source = project / "content" / "sources" / "field-notes.yaml"
    source.write_text(source.read_text().replace("title: Field notes on service", "title: Notes __on__ service_"))
    _, problems = check(project)
    assert not [d for d in problems if d.severity == "error"]


def test_a_path_page_prints_each_steps_objections_only_when_they_are_short(tmp_path):
    # Ten long answers on an entry, and paths naming it: each path's facilitator's guide printed every answer
    # whole (5,600 times the path's own bytes: four 1.7 KB paths naming 40 such entries made a 141 s build).
    project = make_project(tmp_path / "project")
    paragraph = " ".join(["Customers notice when a team answers the same day and keeps its word."] * 25)
    answer = "\n\n".join([paragraph] * 4).replace("\n", "\n      ")
    long = f"  - objection: A long objection\n    answer: |\n      {answer}\n    sources: [field-notes]\n"
    short = "  - objection: A short objection\n    answer: A short answer.\n    sources: [field-notes]\n"
    entry = project / "content" / "behaviours" / "answer-quickly.yaml"
    text = entry.read_text()
    entry.write_text(text + "objections:\n" + short)
    at_length = text.replace("title: Answer quickly", "title: Answer at length") + "objections:\n" + long * 10
    (project / "content" / "behaviours" / "answer-at-length.yaml").write_text(at_length)
    path = project / "content" / "paths" / "first-steps.yaml"
    steps = "  - entry: answer-at-length\n    minutes: 5\n  - entry: answer-quickly\n"
    path.write_text(path.read_text().replace("  - entry: answer-quickly\n", steps))
    _, pages = build_pages(project)
    guide = next(page.markdown for page in pages if page.path == "facilitator/first-steps.md")
    everything = next(page.markdown for page in pages if page.path == "objections.md")
    assert guide.count("A short objection") == 1 and "A long objection" not in guide
    assert everything.count("A long objection") == 10  # the objection guide, linked from the page, has them all
    assert len(guide) < 2 * HANDOUT_INLINE_CHARS


def test_a_tag_list_saved_with_a_byte_order_mark_reads_its_first_tag(tmp_path):
    project = make_project(tmp_path / "project")
    (project / "content" / "tags.txt").write_bytes(
        "basics: the first ideas\nculture: habits\nspeed: how fast\n".encode("utf-8-sig")
    )
    _, problems = check(project)
    assert [str(p) for p in problems if "tag" in p.message] == []


def test_a_tag_list_of_thousands_of_odd_lines_gives_a_few_warnings(tmp_path):
    project = make_project(tmp_path / "project")
    (project / "content" / "tags.txt").write_text("not a tag\n" * 6000 + "speed: how fast\n")
    _, problems = check(project)
    listed = [p for p in problems if p.location.path == "content/tags.txt"]
    assert len(listed) == 21 and "and 5980 more lines" in listed[-1].message


def test_the_zensical_preview_watches_past_a_symlink_loop_in_content(tmp_path):
    # `kb serve --engine zensical` polls content/ for edits: a link to itself (ELOOP) stopped it with a traceback
    # before the error page could say "symlinks are not allowed".
    from generator.settings import read_settings
    from generator.zensical_preview import _sources_state

    project = make_project(tmp_path / "project")
    (project / "content" / "behaviours" / "loop.yaml").symlink_to("loop.yaml")
    (project / "content" / "round").symlink_to("round")
    watched = {Path(path).name for path, _, _ in _sources_state(read_settings(project))}
    assert {"loop.yaml", "round", "answer-quickly.yaml"} <= watched
