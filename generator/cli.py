"""The `kb` command: parse arguments, call the pipeline, print. Nothing else lives here."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .errors import Diagnostic, KbError, SourceLocation
from .inventory import DEFAULT_PROJECT, INVENTORY_FILE, inventory_data
from .linkcheck import SCANNED_SUFFIXES, Handbook, check_text, handbook_from_inventory, site_file_keys
from .pipeline import build_pages, check, site_files

MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def main(argv: list[str] | None = None) -> int:
    """Run the kb command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except KbError as exc:
        _print_diagnostics(exc.diagnostics)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kb", description="Check, build and preview the customer-focus handbook.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="project root holding content/ (default: .)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check_cmd = commands.add_parser("check", parents=[common], help="validate every entry and report all problems")
    check_cmd.set_defaults(run=_check)

    build_cmd = commands.add_parser("build", parents=[common], help="build the site into site/, replacing it only on success")
    build_cmd.add_argument("--site-dir", type=Path, default=None, help="output folder (default: site under the root)")
    build_cmd.add_argument("--markdown-only", type=Path, metavar="DIR", help="write the generated Markdown to DIR for another engine, without MkDocs")
    build_cmd.set_defaults(run=_build)

    serve_cmd = commands.add_parser("serve", parents=[common], help="preview the site with live reload")
    serve_cmd.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    serve_cmd.set_defaults(run=_serve)

    links_cmd = commands.add_parser("links", help="check other documents' links into the handbook")
    links_commands = links_cmd.add_subparsers(required=True, metavar="ACTION")
    links_check = links_commands.add_parser("check", parents=[common], help="report broken and renamed handbook links in Markdown, HTML or reStructuredText files")
    links_check.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files, or folders to search for .md, .html and .rst files")
    links_check.add_argument("--base-url", action="append", default=[], metavar="URL", help="the handbook's address, e.g. https://docs.example.org/handbook/ (repeatable)")
    links_check.add_argument("--inventory", type=Path, metavar="FILE_OR_SITE", help="a downloaded inventory.json or a built site folder (default: the content under --root)")
    links_check.set_defaults(run=_links_check)
    return parser


def _check(args) -> int:
    """kb check: print every problem, or a one-line summary when there are none."""
    started = time.perf_counter()
    kb, diagnostics = check(args.root)
    _print_diagnostics(diagnostics)
    errors = sum(d.severity == "error" for d in diagnostics)
    if errors:
        return 1
    print(f"checked {len(kb.entries)} entries: no errors ({time.perf_counter() - started:.2f} s)")
    return 0


def _build(args) -> int:
    """kb build: the Markdown tree for any engine, or the MkDocs site published atomically."""
    if args.markdown_only:
        return _write_markdown(args.root, args.markdown_only)
    site_dir = (args.site_dir or args.root / "site").resolve()
    return publish_site(args.root.resolve(), site_dir)


def _write_markdown(root: Path, out: Path) -> int:
    """Write every generated page as Markdown under out/ (never outside it), with the redirects and inventories."""
    site_url = os.environ.get("KB_SITE_URL") or None
    kb, pages, _ = build_pages(root, site_url=site_url)
    out = out.resolve()
    for page in pages:
        _write_inside(out, page.path, page.markdown.encode("utf-8"))
    extras = site_files(kb, pages, site_url=site_url)
    for extra in extras:
        _write_inside(out, extra.path, extra.content)
    print(f"wrote {len(pages)} Markdown pages and {len(extras)} other files (redirects, inventories, feed) to {out}")
    return 0


def _write_inside(out: Path, relative: str, data: bytes) -> None:
    """Write one file under out/, refusing a path that would escape it."""
    target = (out / relative).resolve()
    if not target.is_relative_to(out):
        raise RuntimeError(f"generated path escapes the output folder: {relative}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def publish_site(root: Path, site_dir: Path) -> int:
    """Build into a fresh folder beside site_dir and swap it in only when the build succeeded."""
    fresh = site_dir.with_name(f"{site_dir.name}.new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(fresh)],
        cwd=root,
        env={**os.environ, **MKDOCS_ENV},
    )
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        kept = "the previous site was left as it was" if site_dir.exists() else "no site was written"
        print(f"kb build: the build failed; {kept} ({site_dir})", file=sys.stderr)
        return 1
    old = site_dir.with_name(f"{site_dir.name}.old-{os.getpid()}")
    if site_dir.exists():
        site_dir.rename(old)
    fresh.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    print(f"kb build: site published to {site_dir}")
    return 0


def _serve(args) -> int:
    """kb serve: run MkDocs' live-reloading preview server."""
    command = [sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", args.dev_addr]
    return subprocess.call(command, cwd=args.root, env={**os.environ, **MKDOCS_ENV})


def _links_check(args) -> int:
    """kb links check: every broken link is an error (exit 1); a renamed one is a warning with its replacement."""
    handbook = _load_handbook(args.root, args.inventory, args.base_url)
    files = _files_to_scan(args.paths)
    links, problems = 0, []
    for path in files:
        found, file_problems = check_text(path.as_posix(), path.read_text(encoding="utf-8", errors="replace"), handbook)
        links += found
        problems += file_problems
    for problem in problems:
        print(problem)
    broken = sum(p.severity == "error" for p in problems)
    renamed = len(problems) - broken
    print(f"checked {links} handbook link(s) in {len(files)} file(s): {broken} broken, {renamed} to a renamed entry", file=sys.stderr)
    if not handbook.base_urls:
        print("no base URL known: only /go/<id>/ links were recognised; pass --base-url", file=sys.stderr)
    return 1 if broken else 0


def _load_handbook(root: Path, inventory: Path | None, base_urls: list[str]) -> Handbook:
    """The inventory of a built site folder, of a downloaded inventory.json, or of the content under root."""
    if inventory is None:
        kb, pages, _ = build_pages(root)
        return handbook_from_inventory(inventory_data(kb, [p.path for p in pages], project=DEFAULT_PROJECT, site_url=None), "content", base_urls)
    site_dir = inventory if inventory.is_dir() else None
    inventory_file = inventory / INVENTORY_FILE if site_dir else inventory
    try:
        data = json.loads(inventory_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KbError([Diagnostic(SourceLocation(str(inventory_file)), f"cannot read the inventory ({exc}): pass a built site folder or a downloaded {INVENTORY_FILE}")]) from None
    files = site_file_keys([p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()]) if site_dir else None
    return handbook_from_inventory(data, str(inventory_file), base_urls, files)


def _files_to_scan(paths: list[Path]) -> list[Path]:
    """The named files, and the Markdown, HTML, reStructuredText and text files under named folders."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SCANNED_SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise KbError([Diagnostic(SourceLocation(str(path)), "no such file or folder")])
    return files


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """Print diagnostics one per line, then a count of errors."""
    for diagnostic in diagnostics:
        print(diagnostic)
    errors = sum(d.severity == "error" for d in diagnostics)
    if errors:
        files = len({d.location.path for d in diagnostics if d.severity == "error"})
        print(f"{errors} error(s) in {files} file(s)", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
