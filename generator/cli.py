"""The `kb` command: parse arguments, call the pipeline, print. Nothing else lives here.

Every message goes through errors.printable (diagnostics through Diagnostic.__str__), so a control
character in an id, a value, a file name or an argument is shown escaped, never sent to the terminal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import IO

from . import publish
from .collector import tuned_by_kb
from .errors import Diagnostic, KbError, printable
from .ids import check_id, slugify
from .kinds import kind_names, singular
from .linkcheck import check_text, files_to_scan, load_handbook
from .pipeline import check
from .report import FORMATS, format_report
from .scaffold import entry_skeleton, refuse_taken_id, resolve_kind
from .schema_export import sync_schemas
from .settings import Settings, read_settings

ENGINES = ("mkdocs", "zensical")
INTERRUPTED = 130  # 128 + SIGINT: what a shell reports for a command stopped by Ctrl-C


class _UsageError(Exception):
    """A bad command line: printed as one `kb <command>: error: ...` line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, with the arguments its error messages echo escaped like every other message."""

    def error(self, message: str):
        """Print usage and the escaped message, then exit with status 2 (argparse's own behaviour)."""
        super().error(printable(message))


def main(argv: list[str] | None = None) -> int:
    """Run the kb command line; return the exit status."""
    try:
        with tuned_by_kb():  # kb's own process and the mkdocs it starts tune the garbage collector (collector.py)
            return _run(_parser().parse_args(argv))
    except KeyboardInterrupt:  # Ctrl-C: the command removed its unfinished folder on the way out
        _print("kb: interrupted", sys.stderr)
        return INTERRUPTED


def _run(args: argparse.Namespace) -> int:
    """Run the chosen command, turning user and file-system errors into messages and exit statuses."""
    try:
        _require_root(args.root)
        return args.run(args)
    except _UsageError as exc:
        _print(f"{args.prog}: error: {exc}", sys.stderr)
        return 2
    except KbError as exc:
        _print_diagnostics(exc.diagnostics)
        return 1
    except OSError as exc:  # a missing or unreadable path, a full disk, an output folder that cannot be replaced
        where = f": {exc.filename}" if exc.filename is not None else ""
        _print(f"{args.prog}: error: {exc.strerror or exc}{where}", sys.stderr)
        return 1


def _print(text: str, stream: IO[str] | None = None) -> None:
    """Print one message (stdout unless told), escaped by errors.printable."""
    print(printable(text), file=stream or sys.stdout)


def _require_root(root: Path) -> None:
    """Refuse a --root that is not a folder before a command looks inside it."""
    if not root.is_dir():
        what = "this is a file, not a folder" if root.exists() else "this folder does not exist"
        raise _UsageError(f"--root {root}: {what}: pass the project folder that holds content/")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kb", description="Check, build and preview the customer-focus handbook.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="project root holding content/ (default: .)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check_cmd = commands.add_parser("check", parents=[common], help="validate every entry and report all problems")
    check_cmd.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), github (workflow annotations) or json (a list for other tools)",
    )
    check_cmd.set_defaults(run=_check, prog=check_cmd.prog)

    build_cmd = commands.add_parser(
        "build", parents=[common], help="build the site into site/, replacing it only on success"
    )
    build_cmd.add_argument("--site-dir", type=Path, default=None, help="output folder (default: site under the root)")
    build_cmd.add_argument(
        "--markdown-only",
        type=Path,
        metavar="DIR",
        help="write the generated Markdown to DIR for another engine, without MkDocs",
    )
    build_cmd.add_argument(
        "--engine", choices=ENGINES, default="mkdocs", help="mkdocs (MkDocs + Material, the default) or zensical"
    )
    build_cmd.set_defaults(run=_build, prog=build_cmd.prog)

    new_cmd = commands.add_parser(
        "new", parents=[common], help='write a new entry\'s skeleton: kb new behaviour "Listen before you answer"'
    )
    new_cmd.add_argument("kind", help=f"the kind of entry: {', '.join(singular(k) for k in kind_names())}")
    new_cmd.add_argument("title", help="the entry's title; its id (the file name) is made from it")
    new_cmd.add_argument("--id", dest="entry_id", help="use this id instead of the one made from the title")
    new_cmd.set_defaults(run=_new, prog=new_cmd.prog)

    schema_cmd = commands.add_parser(
        "schema", parents=[common], help="write the JSON Schema of every kind into content/.schema/ for editors"
    )
    schema_cmd.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when a committed schema is stale"
    )
    schema_cmd.set_defaults(run=_schema, prog=schema_cmd.prog)

    serve_cmd = commands.add_parser("serve", parents=[common], help="preview the site with live reload")
    serve_cmd.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    serve_cmd.add_argument(
        "--engine", choices=ENGINES, default="mkdocs", help="mkdocs (MkDocs + Material, the default) or zensical"
    )
    serve_cmd.add_argument(
        "--full-rebuild",
        action="store_true",
        help="rebuild every page on each edit, not only the pages the edit changed",
    )
    serve_cmd.set_defaults(run=_serve, prog=serve_cmd.prog)

    links_cmd = commands.add_parser("links", help="check other documents' links into the handbook")
    links_commands = links_cmd.add_subparsers(required=True, metavar="ACTION")
    links_check = links_commands.add_parser(
        "check",
        parents=[common],
        help="report broken and renamed handbook links in Markdown, HTML or reStructuredText files",
    )
    links_check.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="files, or folders to search for .md, .html and .rst files"
    )
    links_check.add_argument(
        "--base-url",
        action="append",
        default=[],
        metavar="URL",
        help="the handbook's address, e.g. https://docs.example.org/handbook/ (repeatable)",
    )
    links_check.add_argument(
        "--inventory",
        type=Path,
        metavar="FILE_OR_SITE",
        help="a downloaded inventory.json or a built site folder (default: the content under --root)",
    )
    links_check.set_defaults(run=_links_check, prog=links_check.prog)
    return parser


def _check(args) -> int:
    """kb check: print every problem (warnings too), then a one-line summary; exit 1 only on errors."""
    started = time.perf_counter()
    kb, diagnostics = check(args.root, content_dir=read_settings(args.root).content_dir)
    _print_diagnostics(diagnostics, args.format)
    if any(d.severity == "error" for d in diagnostics):
        return 1
    warnings = len(diagnostics)
    noted = f", {warnings} warning(s)" if warnings else ""
    summary = f"checked {len(kb.entries)} entries: no errors{noted} ({time.perf_counter() - started:.2f} s)"
    _print(summary, sys.stdout if args.format == "text" else sys.stderr)  # json/github stdout stays machine-readable
    return 0


def _new(args) -> int:
    """kb new: write content/<kind>/<id>.yaml with every field, refusing to reuse a file, id or alias."""
    kind, hint = resolve_kind(args.kind)
    if kind is None:
        raise _UsageError(f"unknown kind '{args.kind}'.{hint}")
    entry_id = args.entry_id or slugify(args.title)
    problem = check_id(entry_id) if entry_id else "the title has no letters or digits to make an id from"
    if problem or "\n" in args.title or not args.title.strip():
        reason = problem or "the title must be one non-empty line"
        raise _UsageError(f"cannot use id '{entry_id}': {reason}. Pass another title, or --id some-id")
    settings = read_settings(args.root)
    refuse_taken_id(settings, entry_id)
    rel = f"{settings.content_dir}/{kind}/{entry_id}.yaml"
    target = args.root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(entry_skeleton(kind, args.title.strip(), dt.date.today()))
    _print(f"created {rel}")
    _print("next: fill in the fields marked (required), then run: kb check   (field guide: CONTRIBUTING.md)")
    return 0


def _schema(args) -> int:
    """kb schema: write (or with --check, compare) every kind's JSON Schema under content/.schema/."""
    count, stale = sync_schemas(args.root, write=not args.check)
    if args.check and stale:
        for rel in stale:
            message = "out of date with generator/schema.py: run kb schema and commit the result"
            _print(f"{rel}:1:1: error: {message}", sys.stderr)
        return 1
    done = "checked" if args.check else "wrote"
    _print(f"{done} {count} schemas in content/.schema/: {len(stale)} {'stale' if args.check else 'changed'}")
    return 0


def _build(args) -> int:
    """kb build: the Markdown tree for any engine, or the MkDocs site published atomically."""
    settings = read_settings(args.root.resolve())
    try:
        out = publish.output_folder(
            settings,
            args.markdown_only or args.site_dir or settings.root / "site",
            "--markdown-only" if args.markdown_only else "--site-dir",
        )
    except publish.OutputRefused as exc:
        raise _UsageError(str(exc)) from None
    if args.markdown_only:
        pages, extras = publish.write_markdown(settings, out)
        _print(f"wrote {pages} Markdown pages and {extras} other files (redirects, inventories, feed) to {out}")
        return 0
    if not _engine_build(args.engine, settings, out):
        kept = "the previous site was left as it was" if out.exists() else "no site was written"
        _print(f"kb build: the build failed; {kept} ({out})", sys.stderr)
        return 1
    _print(f"kb build: site published to {out}")
    return 0


def _engine_build(engine: str, settings: Settings, out: Path) -> bool:
    """Build and publish the site with the chosen engine; False when it failed and nothing was published."""
    if engine == "zensical":
        from . import zensical_engine  # imported only here: MkDocs builds and kb check never load Zensical

        return zensical_engine.build_site(settings, out)
    return publish.build_site(settings.root, out)


def _serve(args) -> int:
    """kb serve: become MkDocs' live-reloading preview server (so stopping kb stops the server)."""
    if args.engine == "zensical":
        from . import zensical_engine

        return zensical_engine.serve(read_settings(args.root.resolve()), args.dev_addr)
    command = [sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", args.dev_addr]
    if not args.full_rebuild:
        # Rebuild only pages whose generated Markdown changed: the plugin rewrites just those files.
        command.append("--dirty")
    os.chdir(args.root)
    os.execve(sys.executable, command, {**os.environ, **publish.MKDOCS_ENV})


def _links_check(args) -> int:
    """kb links check: every broken link is an error (exit 1); a renamed one is a warning with its replacement."""
    handbook = load_handbook(args.root, args.inventory, args.base_url)
    files = files_to_scan(args.paths)
    links, problems = 0, []
    for path in files:
        found, file_problems = check_text(path.as_posix(), path.read_text(encoding="utf-8", errors="replace"), handbook)
        links += found
        problems += file_problems
    for problem in problems:
        _print(str(problem))
    broken = sum(p.severity == "error" for p in problems)
    renamed = len(problems) - broken
    _print(
        f"checked {links} handbook link(s) in {len(files)} file(s): {broken} broken, {renamed} to a renamed entry",
        sys.stderr,
    )
    if not handbook.base_urls:
        _print("no base URL known: only /go/<id>/ links were recognised; pass --base-url", sys.stderr)
    return 1 if broken else 0


def _print_diagnostics(diagnostics: list[Diagnostic], fmt: str = "text") -> None:
    """Print diagnostics in the chosen format, then a count of errors."""
    if diagnostics or fmt == "json":
        sys.stdout.write(format_report(diagnostics, fmt))
    errors = sum(d.severity == "error" for d in diagnostics)
    if errors:
        files = len({d.location.path for d in diagnostics if d.severity == "error"})
        _print(f"{errors} error(s) in {files} file(s)", sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
