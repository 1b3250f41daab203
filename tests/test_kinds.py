"""A new kind of entry is one registry row, one model and one template: everything else follows from them."""

from __future__ import annotations

import json
import shutil
from typing import ClassVar

from kbtest import FIXTURES, MKDOCS_ENV, make_project
from pydantic import Field

from generator import fields, kinds, schema
from generator.cli import main
from generator.pipeline import build_pages, check
from generator.schema_export import schema_files

SEVENTH = FIXTURES / "seventh-kind"


class Story(schema.Entry):
    """A short story told in training, with its moral."""

    kind: ClassVar[str] = "stories"
    moral: fields.Line = Field(description="What the story teaches, in one line.")
    shows: list[fields.Ref("behaviours", key="shows", inverse="examples")] = Field(
        min_length=1, description="Behaviours the story shows."
    )


def _with_stories(monkeypatch, tmp_path):
    """A project with the basic content, one story, its template, and the kind registered."""
    monkeypatch.setitem(kinds.REGISTRY, "stories", kinds.Kind("stories", "story", "Stories"))
    monkeypatch.setitem(schema.MODELS, "stories", Story)
    project = make_project(tmp_path / "p")
    shutil.copytree(SEVENTH / "content" / "stories", project / "content" / "stories")
    shutil.copy(SEVENTH / "templates" / "stories.md.j2", project / "site_templates" / "stories.md.j2")
    return project


def test_a_seventh_kind_gets_pages_an_index_and_relations(monkeypatch, tmp_path):
    project = _with_stories(monkeypatch, tmp_path)
    kb, problems = check(project)
    assert [p for p in problems if p.severity == "error"] == []
    _, pages = build_pages(project)
    by_path = {page.path: page.markdown for page in pages}
    assert "## Moral\n\nSmall efforts after the sale are remembered longest." in by_path["stories/the-lost-parcel.md"]
    assert "[The lost parcel](the-lost-parcel.md)" in by_path["stories/index.md"]
    assert "| [Stories](stories/index.md) | 1 |" in by_path["index.md"]
    assert (
        "[The lost parcel](../stories/the-lost-parcel.md)" in by_path["behaviours/answer-quickly.md"]
    )  # the inverse relation


def test_a_seventh_kind_is_in_the_nav_the_inventory_the_schemas_and_kb_new(monkeypatch, tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    for name, value in MKDOCS_ENV.items():
        monkeypatch.setenv(name, value)
    project = _with_stories(monkeypatch, tmp_path)
    site = tmp_path / "site"
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)))
    assert (site / "stories" / "the-lost-parcel" / "index.html").is_file()
    assert 'href="stories/"' in (site / "index.html").read_text(encoding="utf-8")  # the nav entry the registry added
    inventory = json.loads((site / "inventory.json").read_text(encoding="utf-8"))
    assert {"id": "the-lost-parcel", "kind": "stories", "url": "stories/the-lost-parcel/"}.items() <= next(
        e for e in inventory["entries"] if e["id"] == "the-lost-parcel"
    ).items()
    assert "content/.schema/stories.schema.json" in schema_files()
    assert main(["new", "story", "A second story", "--root", str(project)]) == 0
    written = (project / "content" / "stories" / "a-second-story.yaml").read_text(encoding="utf-8")
    assert "\nmoral:" in written and "# A new story:" in written
