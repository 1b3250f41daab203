"""Publishing: the output folder refused when it would harm the project, built fresh, swapped in whole.

A build writes into <target>.new-<pid> and replaces the target only when it succeeded; whatever
stops it (an error, Ctrl-C) removes the unfinished folder, and folders left by a killed build are
removed by the next. The engine runs as a child process whose output is escaped line by line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import printable
from .pipeline import build_pages, site_files
from .settings import Settings

MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
# The project's own folders. A build swaps its output folder in whole, so an output folder that is one
# of them, lies inside one, or holds the project would delete the sources (`--markdown-only .` did).
SOURCE_FOLDERS = ("content", "site_templates", "generator", "tests", ".git")
_COLOURS = re.compile(r"\x1b\[[0-9;]*m")  # an engine's terminal colours (Zensical's are always on)


class OutputRefused(Exception):
    """An output folder a build may not replace, with why and what to use instead."""


def output_folder(settings: Settings, folder: Path, option: str) -> Path:
    """The resolved output folder, refused when replacing it whole would delete part of the project."""
    root, out = settings.root, folder.resolve()
    problem = _source_clash(root, out, (*SOURCE_FOLDERS, settings.content_dir, settings.templates_dir))
    if problem:
        raise OutputRefused(
            f"{option} {out}: {problem}, and a build replaces its output folder whole: "
            f"choose a new folder such as {root / 'out'}, or one outside the project"
        )
    if out.exists() and not out.is_dir():
        raise OutputRefused(
            f"{option} {out}: it is a file, and a build would replace it by a folder: name a folder instead"
        )
    return out


def _source_clash(root: Path, out: Path, sources: tuple[str, ...]) -> str | None:
    """Why out is, holds or lies inside the project's sources, or None when replacing it harms none of them."""
    out_id = _file_id(out)
    if out_id is not None and out_id in {_file_id(p) for p in (root, *root.parents)}:
        return "it is the project folder" if out_id == _file_id(root) else f"it holds the whole project ({root})"
    above = {_file_id(p) for p in (out, *out.parents)}
    for name in sources:
        source = _file_id(root / name)
        if source is not None and source in above:
            return f"it is {'' if source == out_id else 'inside '}the project's {name}/ folder"
    return None


def _file_id(path: Path) -> tuple[int, int] | None:
    """The (device, inode) of an existing path: the same folder whatever symlink or letter case names it."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def write_markdown(settings: Settings, out: Path) -> tuple[int, int]:
    """Write every generated page as Markdown under out/ (never outside it), with the redirects and inventories;
    return both counts."""
    site_url, project = settings.site_url, settings.project
    kb, pages = build_pages(
        settings.root, settings.templates, site_url, content_dir=settings.content_dir, project=project
    )
    extras = site_files(kb, pages, project=project, site_url=site_url)
    with fresh_folder(out) as fresh:  # a new folder each time, so pages of deleted entries never linger
        for page in pages:
            write_inside(fresh, page.path, page.markdown.encode("utf-8"))
        for extra in extras:
            write_inside(fresh, extra.path, extra.content)
        swap_into_place(fresh, out)
    return len(pages), len(extras)


def write_inside(out: Path, relative: str, data: bytes) -> None:
    """Write one file under out/, refusing a path that would escape it."""
    target = (out / relative).resolve()
    if not target.is_relative_to(out):
        raise RuntimeError(f"generated path escapes the output folder: {relative}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def build_site(root: Path, site_dir: Path) -> bool:
    """Build into a fresh folder beside site_dir and swap it in only when the build (and its verification) succeeded."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir"]
    with fresh_folder(site_dir) as fresh:
        if run_engine([*command, str(fresh)], root) != 0:
            return False
        swap_into_place(fresh, site_dir)
    return True


@contextmanager
def fresh_folder(target: Path) -> Iterator[Path]:
    """A new empty <target>.new-<pid> to build into; whatever stops the build (error, Ctrl-C) removes it."""
    _remove_stale_builds(target)
    fresh = target.with_name(f"{target.name}.new-{os.getpid()}")
    fresh.mkdir(parents=True)  # never reuse: a symlink or file left under this name stops the build
    try:
        yield fresh
    finally:
        shutil.rmtree(fresh, ignore_errors=True)  # after a successful swap there is nothing left to remove


def _remove_stale_builds(target: Path) -> None:
    """Remove the <target>.new-<pid> and .old-<pid> folders of earlier builds that were killed before cleaning up."""
    if os.name != "posix" or not target.parent.is_dir():  # os.kill(pid, 0) would end the process on Windows
        return
    pattern = re.compile(rf"{re.escape(target.name)}\.(?:new|old)-([1-9][0-9]*)")
    for item in os.scandir(target.parent):
        match = pattern.fullmatch(item.name)
        if match and item.is_dir(follow_symlinks=False) and _left_behind(int(match.group(1))):
            shutil.rmtree(item.path, ignore_errors=True)


def _left_behind(pid: int) -> bool:
    """Whether the kb that named a folder with pid is gone: no such process, or us (an earlier holder of our pid)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except (ProcessLookupError, OverflowError):
        return True
    except PermissionError:  # it runs, as another user
        return False
    return False


def run_engine(command: list[str], cwd: Path) -> int:
    """Run an engine's build with its output escaped; stop it if kb is interrupted; return its exit status."""
    # Its own process group: a Ctrl-C at the terminal reaches kb alone, which stops the child before removing
    # the unfinished folder, instead of the child printing its own KeyboardInterrupt traceback.
    child = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **MKDOCS_ENV},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        process_group=0,
    )
    relays = [_relay(child.stdout, sys.stdout), _relay(child.stderr, sys.stderr)]
    try:
        return child.wait()
    finally:
        stop(child)
        for relay in relays:
            relay.join()


def _relay(source: IO[bytes], stream: IO[str]) -> threading.Thread:
    """Copy a child's output to one of kb's streams line by line, each escaped like kb's own messages."""

    def copy() -> None:
        with source:
            for line in source:
                try:
                    text = _COLOURS.sub("", line.decode("utf-8", "replace").rstrip("\r\n"))
                    stream.write(printable(text) + "\n")
                    stream.flush()
                except (
                    OSError,
                    ValueError,
                ):  # our stream was closed (kb build | head): keep draining, or the child blocks
                    pass

    thread = threading.Thread(target=copy, daemon=True)
    thread.start()
    return thread


def stop(child: subprocess.Popen) -> None:
    """End a child that is still running (kb was interrupted): politely, then for good."""
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def swap_into_place(fresh: Path, target: Path) -> None:
    """Replace target by the finished folder fresh; on failure or Ctrl-C the old target is put back."""
    old = target.with_name(f"{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    try:
        fresh.rename(target)
    except BaseException:
        if old.exists():
            old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
