"""A project's settings: where its content and page templates are, its name and its address.

They are the MkDocs plugin's options (`plugins: [kb: {content_dir, templates_dir, project}]`, typed in
mkdocs_plugin.py) with mkdocs.yml's `site_name` and `site_url`; `kb` reads the same file here, so the
command line and the engine always agree. Paths are relative to the folder holding mkdocs.yml.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .addresses import kind_index_page
from .kinds import REGISTRY

DEFAULT_PROJECT = "Customer-focus handbook"
CONFIG_FILE = "mkdocs.yml"


@dataclass(frozen=True)
class Settings:
    """Where a project's parts are, and what it is called."""

    root: Path
    content_dir: str = "content"
    templates_dir: str = "site_templates"
    project: str = DEFAULT_PROJECT
    site_url: str | None = None

    @property
    def content(self) -> Path:
        """The folder of entries, content/<kind>/<id>.yaml."""
        return self.root / self.content_dir

    @property
    def templates(self) -> Path:
        """The folder of page templates, <kind>.md.j2 and the rest."""
        return self.root / self.templates_dir


def read_config(root: Path) -> dict:
    """root/mkdocs.yml as plain data, as MkDocs reads it (empty when there is none)."""
    try:
        return yaml.load((root / CONFIG_FILE).read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except FileNotFoundError:
        return {}


def read_settings(root: Path) -> Settings:
    """The settings in root/mkdocs.yml (the kb plugin's options, site_name, site_url); defaults where it is silent."""
    config = read_config(root)
    options = next(
        (item["kb"] for item in config.get("plugins") or [] if isinstance(item, dict) and "kb" in item), None
    )
    options = options or {}
    return Settings(
        root,
        content_dir=options.get("content_dir", Settings.content_dir),
        templates_dir=options.get("templates_dir", Settings.templates_dir),
        project=options.get("project") or config.get("site_name") or DEFAULT_PROJECT,
        site_url=config.get("site_url") or None,
    )


def nav_with_every_kind(nav: list) -> list:
    """The nav with an entry for each kind's A-Z page it lacks, after the last kind page it has."""
    listed = [index for index, item in enumerate(nav) if isinstance(item, dict) and set(item.values()) & _kind_pages()]
    present = {page for item in nav if isinstance(item, dict) for page in item.values() if isinstance(page, str)}
    missing = [
        {kind.title: kind_index_page(folder)}
        for folder, kind in REGISTRY.items()
        if kind_index_page(folder) not in present
    ]
    at = listed[-1] + 1 if listed else len(nav)
    return nav[:at] + missing + nav[at:]


def _kind_pages() -> set[str]:
    """The A-Z page of every kind."""
    return {kind_index_page(folder) for folder in REGISTRY}


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it: `!ENV [NAME, default]` resolved, other tags (Python names) left out."""


def _environment_value(loader: yaml.SafeLoader, node: yaml.Node):
    """!ENV NAME or !ENV [NAME, OTHER, default]: the first variable set, else the default (as MkDocs does)."""
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    *variables, default = names if len(names) > 1 else [*names, None]
    return next((os.environ[name] for name in variables if name in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _environment_value)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
