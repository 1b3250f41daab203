"""The `kb` command: parse arguments, call the pipeline, print. Nothing else lives here."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .errors import Diagnostic, KbError
from .pipeline import build_pages, check

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
    """Write every generated page as Markdown under out/ (never outside it)."""
    _, pages, _ = build_pages(root)
    out = out.resolve()
    for page in pages:
        target = (out / page.path).resolve()
        if not target.is_relative_to(out):
            raise RuntimeError(f"page path escapes the output folder: {page.path}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
    print(f"wrote {len(pages)} Markdown pages to {out}")
    return 0


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
