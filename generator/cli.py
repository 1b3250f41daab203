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

from . import publish, rename
from .cliparser import build_parser
from .collector import tuned_by_kb
from .errors import Diagnostic, KbError, printable
from .ids import check_id, slugify
from .linkcheck import NO_BASE_URL, Findings, check_text, files_to_scan, link_summary, load_handbook
from .pipeline import check
from .report import format_report
from .scaffold import entry_skeleton, refuse_taken_id, resolve_kind
from .schema_export import sync_schemas
from .settings import Settings, read_settings

INTERRUPTED = 130  # 128 + SIGINT: what a shell reports for a command stopped by Ctrl-C


class _UsageError(Exception):
    """A bad command line: printed as one `kb <command>: error: ...` line, exit status 2."""


def main(argv: list[str] | None = None) -> int:
    """Run the kb command line; return the exit status."""
    try:
        with tuned_by_kb():  # kb's own process and the mkdocs it starts tune the garbage collector (collector.py)
            return _run(build_parser().parse_args(argv))
    except KeyboardInterrupt:  # Ctrl-C: the command removed its unfinished folder on the way out
        _print("kb: interrupted", sys.stderr)
        return INTERRUPTED


def _run(args: argparse.Namespace) -> int:
    """Run the chosen command, turning user and file-system errors into messages and exit statuses."""
    try:
        _require_root(args)
        return COMMANDS[args.command](args)
    except _UsageError as exc:
        _print(f"{args.parser.prog}: error: {exc}", sys.stderr)
        return 2
    except KbError as exc:
        _print_diagnostics(exc.diagnostics)
        return 1
    except OSError as exc:  # a missing or unreadable path, a full disk, an output folder that cannot be replaced
        where = f": {exc.filename}" if exc.filename is not None else ""
        _print(f"{args.parser.prog}: error: {exc.strerror or exc}{where}", sys.stderr)
        return 1


def _print(text: str, stream: IO[str] | None = None) -> None:
    """Print one message (stdout unless told), escaped by errors.printable."""
    print(printable(text), file=stream or sys.stdout)


def _require_root(args: argparse.Namespace) -> None:
    """Refuse a --root that is not a project folder (one holding the content) before a command looks inside it."""
    root = args.root
    if not root.is_dir():
        what = "this is a file, not a folder" if root.exists() else "this folder does not exist"
        raise _UsageError(f"--root {root}: {what}: pass the project folder that holds content/")
    if args.command == "links check" and args.inventory is not None:
        return  # checking against a downloaded inventory or a built site needs no content
    content_dir = read_settings(root).content_dir
    if not (root / content_dir).is_dir():
        where = "here" if root == Path(".") else f"in {root}"
        raise _UsageError(
            f"no {content_dir}/ folder {where}: run kb in the project folder (the one with mkdocs.yml "
            f"and {content_dir}/), or pass --root PROJECT"
        )


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


def _rename(args) -> int:
    """kb rename: plan the rename, refuse it unless kb check stays clean, then write it (or, --dry-run, show it)."""
    settings = read_settings(args.root)
    kind = None
    if args.kind:
        kind, hint = resolve_kind(args.kind)
        if kind is None:
            raise _UsageError(f"unknown kind '{args.kind}'.{hint}")
    kb, diagnostics = check(args.root, review_hints=False, content_dir=settings.content_dir)
    moving = kb.entries[args.old].raw.path if kind and args.old in kb.entries else None
    errors = [d for d in diagnostics if d.severity == "error" and d.location.path != moving]
    if errors:  # the entry that moves kind may hold the new kind's fields already: the trial below judges it
        _print_diagnostics(errors)
        raise _UsageError("the content has errors (above): fix them first, so the rename can be checked")
    try:
        plan = rename.plan_rename(settings, kb, args.old, args.new, kind)
    except rename.RenameRefused as exc:
        raise _UsageError(str(exc)) from None
    after = rename.problems_after(settings, plan)
    if after:
        _print_diagnostics(after)
        hint = " (to move it to another kind, first give it that kind's fields; kb new shows them)" if kind else ""
        raise _UsageError(f"after this rename kb check would report the errors above: nothing was written{hint}")
    if args.dry_run:
        sys.stdout.write(rename.as_diff(plan))
        _print(f"dry run: nothing was written; {rename.summary(plan)}", sys.stderr)
        return 0
    rename.apply_rename(settings, plan)
    _print(f"renamed {plan.old_path} to {plan.new_path}, with '{args.old}' kept in its aliases")
    for path, count in sorted(plan.references.items()):
        _print(f"  {path}: {count} reference(s) updated")
    _print(f"{rename.summary(plan)}; kb check passes")
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
        from . import zensical_preview  # imported only here: MkDocs builds and kb check never load Zensical

        return zensical_preview.serve(read_settings(args.root.resolve()), args.dev_addr)
    command = [sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", args.dev_addr]
    if not args.full_rebuild:
        # Rebuild only pages whose generated Markdown changed: the plugin rewrites just those files.
        command.append("--dirty")
    os.chdir(args.root)
    os.execve(sys.executable, command, {**os.environ, **publish.MKDOCS_ENV})


def _links_check(args) -> int:
    """kb links check: every broken link is an error (exit 1); a renamed one is a warning with its replacement."""
    handbook = load_handbook(args.root, args.inventory, args.base_url)
    if not handbook.base_urls:
        _print(f"kb links check: warning: {NO_BASE_URL}", sys.stderr)
    files = files_to_scan(args.paths)
    findings = Findings()
    for path in files:
        check_text(path.as_posix(), path.read_text(encoding="utf-8", errors="replace"), handbook, findings)
    for problem in findings.problems:
        _print(str(problem))
    _print(link_summary(findings, len(files), handbook), sys.stderr)
    return 1 if any(p.severity == "error" for p in findings.problems) else 0


def _print_diagnostics(diagnostics: list[Diagnostic], fmt: str = "text") -> None:
    """Print diagnostics in the chosen format, then a count of errors."""
    if diagnostics or fmt == "json":
        sys.stdout.write(format_report(diagnostics, fmt))
    errors = sum(d.severity == "error" for d in diagnostics)
    if errors:
        files = len({d.location.path for d in diagnostics if d.severity == "error"})
        _print(f"{errors} error(s) in {files} file(s)", sys.stderr)


COMMANDS = {
    "check": _check,
    "build": _build,
    "new": _new,
    "rename": _rename,
    "schema": _schema,
    "serve": _serve,
    "links check": _links_check,
}

if __name__ == "__main__":
    sys.exit(main())
