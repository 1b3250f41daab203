"""The second engine: Zensical builds the same pages at the same addresses (`kb build --engine zensical`).

Zensical runs no MkDocs plugin and reads nothing outside its project, so kb does around it what the
plugin does inside MkDocs: it writes the generated pages, the site's assets, a Zensical-only theme
override and a zensical.toml made from mkdocs.yml into a fresh build folder; runs `zensical build
--strict`; heads every page with its Content-Security-Policy (csp.py); verifies every published file
(verify.py); and only then swaps the site into place. Zensical inserts front matter titles into the
HTML unescaped, so they are HTML-escaped here, where MkDocs' plugin does it in on_page_markdown.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import zensical

from . import csp, publish
from .errors import KbError, printable
from .pipeline import StageCache, build_pages, site_files
from .render import Page, front_matter_json
from .sanitize import escape_html
from .searchindex import SearchPage, refine_zensical_index, search_pages
from .settings import Settings, nav_with_every_kind, read_config
from .verify import site_path, unsafe_site_report, verify_site

THEME_TEMPLATES = Path(zensical.__file__).parent / "templates"
# Keys of mkdocs.yml that mean the same to Zensical; the rest are MkDocs' own (plugins, hooks, watch, validation.nav).
SHARED_KEYS = ("site_name", "site_description", "site_url", "edit_uri", "extra_css", "extra_javascript", "copyright")
# MkDocs' theme overrides (mkdocs.yml's custom_dir) that Zensical's override uses too.
SHARED_PARTIALS = ("partials/social.html",)
# The pieces of each page Zensical writes into the HTML without escaping them.
RAW_FRONT_MATTER = ("title: ", "description: ")


def build_site(settings: Settings, site_dir: Path) -> bool:
    """Build the site with Zensical into a fresh folder and swap it into site_dir only when it built and verified."""
    config = read_config(settings.root)
    with publish.fresh_folder(site_dir) as project:
        search_plan = write_project(settings, config, project)
        command = [sys.executable, "-m", "zensical", "build", "--strict", "--clean"]
        if publish.run_engine(command, project) != 0:
            return False
        site = project / "site"
        refine_zensical_index(site / "search.json", search_plan)
        _add_policies(site)
        problems = verify_site(site, [THEME_TEMPLATES, project / "overrides"], base_path=site_path(settings.site_url))
        if problems:
            print(printable(unsafe_site_report(problems)), file=sys.stderr)
            return False
        publish.swap_into_place(site, site_dir)
    return True


def write_project(
    settings: Settings, config: dict, project: Path, cache: StageCache | None = None
) -> dict[str, SearchPage]:
    """The Zensical project in a folder: docs/ (pages, site files, assets), overrides/ and zensical.toml.

    Returns what the search index is to hold (searchindex.py), for the built site's search.json.
    """
    kb, pages = build_pages(
        settings.root,
        settings.templates,
        settings.site_url,
        cache,
        content_dir=settings.content_dir,
        project=settings.project,
    )
    docs = project / "docs"
    edit_uri = config.get("edit_uri")
    for page in pages:
        publish.write_inside(docs, page.path, engine_markdown(page, edit_uri).encode("utf-8"))
    for extra in site_files(kb, pages, project=settings.project, site_url=settings.site_url):
        publish.write_inside(docs, extra.path, extra.content)
    _copy_real_files(settings.root / config.get("docs_dir", "docs"), docs)
    _copy_real_files(settings.templates / "zensical", project / "overrides")
    mkdocs_overrides = settings.root / ((config.get("theme") or {}).get("custom_dir") or "overrides")
    for shared in SHARED_PARTIALS:  # one template for both engines
        if (mkdocs_overrides / shared).is_file() and not (mkdocs_overrides / shared).is_symlink():
            shutil.copyfile(mkdocs_overrides / shared, project / "overrides" / shared)
    nav = nav_with_every_kind(config.get("nav") or [])
    _refuse_missing_nav(nav, {page.path for page in pages} | files_under(docs))
    (project / "zensical.toml").write_text(zensical_toml(config, nav), encoding="utf-8")
    return search_pages(kb, pages)


def engine_markdown(page: Page, edit_uri: str | None) -> str:
    """A page's Markdown for Zensical: title and description HTML-escaped, and the entry's YAML as its edit link."""
    head, separator, body = page.markdown.partition("\n---\n")
    if not page.markdown.startswith("---\n") or not separator:
        return page.markdown
    lines = [_escaped_line(line) for line in head.split("\n")]
    if edit_uri and page.source_path:
        lines.append("edit_url: " + front_matter_json(edit_uri + page.source_path))
    return "\n".join(lines) + separator + body


def _escaped_line(line: str) -> str:
    """A front matter line whose value Zensical inserts as HTML, with that value HTML-escaped; other lines unchanged."""
    for key in RAW_FRONT_MATTER:
        if line.startswith(key + '"'):
            return key + front_matter_json(escape_html(json.loads(line[len(key) :])))
    return line


def zensical_toml(config: dict, nav: list) -> str:
    """zensical.toml for the build folder: mkdocs.yml's shared settings, its theme minus MkDocs' overrides, the nav."""
    theme = {key: value for key, value in (config.get("theme") or {}).items() if key not in ("name", "custom_dir")}
    theme.update(variant="classic", custom_dir="overrides")  # classic: Material's look, which the site's CSS targets
    project = {key: config[key] for key in SHARED_KEYS if config.get(key) is not None}
    project.update(docs_dir="docs", site_dir="site", nav=nav, theme=theme)
    project["extra"] = {**(config.get("extra") or {}), "generator": False}
    # Listed in full: without a list Zensical adds extensions of its own, mermaid among them, which loads from a CDN.
    project["markdown_extensions"] = _extensions(config.get("markdown_extensions") or [])
    return "[project]\n" + "".join(f"{_toml_key(key)} = {_toml_value(value)}\n" for key, value in project.items())


def _extensions(listed: list) -> dict:
    """mkdocs.yml's markdown_extensions (names, or one-key mappings to options) as a mapping."""
    extensions: dict = {}
    for item in listed:
        extensions.update(item if isinstance(item, dict) else {item: {}})
    return {name: options or {} for name, options in extensions.items()}


def _toml_value(value) -> str:
    """A TOML value: strings as JSON strings (valid TOML), tables inline."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise ValueError(f"mkdocs.yml holds a value zensical.toml cannot: {value!r}")


def _toml_key(key: str) -> str:
    """A quoted TOML key."""
    return json.dumps(str(key))


def _copy_real_files(source: Path, destination: Path) -> None:
    """Copy a folder's files, refusing symlinks: Zensical follows them and would publish what they point at."""
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*")):
        if path.is_symlink():
            raise KbError.at(str(path), "symlinks are not published: replace it with the file itself")
        if path.is_file():
            target = destination / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def files_under(folder: Path) -> set[str]:
    """Every file under a folder, by its path relative to it."""
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def _refuse_missing_nav(nav: list, present: set[str]) -> None:
    """Stop when the nav names a page nobody writes: Zensical's strict mode does not check the nav."""
    missing = [page for page in _nav_pages(nav) if page not in present]
    if missing:
        message = f"nav names pages that are not generated: {', '.join(missing)}: correct the nav"
        raise KbError.at("mkdocs.yml", message)


def _nav_pages(nav: list) -> list[str]:
    """The page paths in a nav (nested sections too); external links are not pages."""
    pages = []
    for item in nav:
        for value in item.values() if isinstance(item, dict) else [item]:
            if isinstance(value, list):
                pages += _nav_pages(value)
            elif isinstance(value, str) and "://" not in value:
                pages.append(value)
    return pages


def _add_policies(site: Path) -> None:
    """Head every page with its Content-Security-Policy, as the MkDocs plugin does (redirect pages have theirs)."""
    for path in site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        if 'http-equiv="Content-Security-Policy"' not in page:
            path.write_text(csp.with_policy(page), encoding="utf-8")
