"""The plugin's typed options (content_dir, templates_dir, project).

They move content, templates and the name, for kb and MkDocs alike.
"""

from __future__ import annotations

import json

from conftest import MKDOCS_ENV, make_project
from kbtest import call_kb, tree_state
from mkdocs.config.base import ValidationError

from generator.cli import main
from generator.mkdocs_plugin import KnowledgeBaseConfig
from generator.settings import DEFAULT_PROJECT, read_settings

OPTIONS = "  - kb:\n      content_dir: entries\n      templates_dir: layouts\n      project: Acme service handbook\n"


def _moved_project(tmp_path):
    """The basic fixture with its content in entries/, its templates in layouts/, and its own name."""
    project = make_project(tmp_path / "p")
    (project / "content").rename(project / "entries")
    (project / "site_templates").rename(project / "layouts")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - kb  #", OPTIONS + "  #", 1)
    config.write_text(text.replace("site_templates/", "layouts/"), encoding="utf-8")  # the theme's assets moved too
    return project


def test_settings_are_read_from_the_plugin_options_and_site_url_from_the_environment(tmp_path, monkeypatch):
    project = _moved_project(tmp_path)
    monkeypatch.delenv("KB_SITE_URL", raising=False)
    settings = read_settings(project)
    assert (settings.content_dir, settings.templates_dir, settings.project, settings.site_url) == (
        "entries",
        "layouts",
        "Acme service handbook",
        None,
    )
    monkeypatch.setenv("KB_SITE_URL", "https://docs.example.org/acme/")
    assert read_settings(project).site_url == "https://docs.example.org/acme/"  # mkdocs.yml's !ENV, as MkDocs reads it


def test_without_options_the_defaults_and_the_site_name_apply(tmp_path):
    project = make_project(tmp_path / "p")
    settings = read_settings(project)
    assert (settings.content, settings.templates, settings.project) == (
        project / "content",
        project / "site_templates",
        DEFAULT_PROJECT,
    )


def test_kb_checks_and_writes_the_moved_content_under_the_project_name(tmp_path, monkeypatch, capsys):
    project = _moved_project(tmp_path)
    monkeypatch.chdir(project)
    assert main(["check"]) == 0, capsys.readouterr()
    assert main(["new", "behaviour", "Greet by name"]) == 0
    created = project / "entries" / "behaviours" / "greet-by-name.yaml"
    assert created.is_file()
    created.unlink()  # a skeleton waits to be filled in: it would fail the build
    out = tmp_path / "md"
    assert main(["build", "--markdown-only", str(out)]) == 0, capsys.readouterr()
    assert "\n# Acme service handbook\n" in (out / "index.md").read_text(encoding="utf-8")
    assert json.loads((out / "inventory.json").read_text(encoding="utf-8"))["project"] == "Acme service handbook"


def test_mkdocs_builds_the_moved_content_under_the_project_name(tmp_path, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    for name, value in MKDOCS_ENV.items():
        monkeypatch.setenv(name, value)
    project = _moved_project(tmp_path)
    site = tmp_path / "site"
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)))
    assert (site / "behaviours" / "answer-quickly" / "index.html").is_file()
    assert json.loads((site / "inventory.json").read_text(encoding="utf-8"))["project"] == "Acme service handbook"


def test_an_option_of_the_wrong_type_is_a_configuration_error():
    config = KnowledgeBaseConfig()
    config.load_dict({"content_dir": 3})
    failed, _ = config.validate()
    assert failed and failed[0][0] == "content_dir" and isinstance(failed[0][1], ValidationError)


def test_a_build_may_not_replace_the_configured_content_or_templates_folder(tmp_path):
    project = _moved_project(tmp_path)
    before = tree_state(project / "entries")
    for folder in ("entries", "layouts/assets"):
        result = call_kb("build", "--site-dir", folder, cwd=project)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "a build replaces its output folder whole" in result.stderr
    assert tree_state(project / "entries") == before
