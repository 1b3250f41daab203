"""The load stage: every content/<kind>/<id>.yaml read, within caps, into raw entries (yamlread.py).

Files are listed in a stable order; anything that is not an entry file of a known kind (a symlink,
a hidden file, a folder, another extension) is reported, never skipped silently. A cache kept by
the live preview re-reads only files whose bytes changed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import Diagnostic, SourceLocation, did_you_mean
from .ids import check_id
from .kinds import REGISTRY, kind_names
from .memo import Memo
from .tagvocab import VOCABULARY_FILE
from .yamlread import RawEntry, decode_strict, parse_yaml

MAX_FILE_BYTES = 256 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 20_000


# path -> (what the file's bytes loaded to, the problems found), kept while the bytes are the same: a live preview
# re-parses only edited files.
LoadCache = Memo[tuple["RawEntry | None", list[Diagnostic]]]


def load_content(
    root: Path, cache: LoadCache | None = None, content_dir: str = "content"
) -> tuple[list[RawEntry], list[Diagnostic]]:
    """Load every entry under root/<content_dir>, returning the entries and all problems found.

    With a cache (kept between rebuilds by the preview), files whose bytes did not change are not parsed again.
    """
    diagnostics: list[Diagnostic] = []
    content = root / content_dir
    if content.is_symlink() or not content.is_dir():
        return [], [Diagnostic(SourceLocation(content_dir), f"no {content_dir}/ folder: run kb from the project root")]
    entries: list[RawEntry] = []
    total_bytes = 0
    files = _content_files(root, content, diagnostics)
    if cache is not None:
        cache.keep_only(path.relative_to(root).as_posix() for path in files)
    for file_path in files:
        if len(entries) >= MAX_ENTRIES:
            diagnostics.append(_error(root, content, f"more than {MAX_ENTRIES} entries: split the knowledge base"))
            break
        entry, size = _load_file(root, file_path, diagnostics, cache)
        total_bytes += size
        if total_bytes > MAX_TOTAL_BYTES:
            cap = f"{MAX_TOTAL_BYTES // 2**20} MiB" if MAX_TOTAL_BYTES >= 2**20 else f"{MAX_TOTAL_BYTES} bytes"
            diagnostics.append(
                _error(root, content, f"{content_dir}/ holds more than {cap} of entries: split the knowledge base")
            )
            break
        if entry is not None:
            entries.append(entry)
    return entries, diagnostics


# An editor's swap or lock file beside an open entry (vim's .x.yaml.swp, emacs' .#x.yaml): not content, and
# reporting it would fail the live preview for as long as the file is open.
_EDITOR_TEMPORARY = re.compile(r"^\..+\.sw[a-p]$|^\.#")


def _hidden_entry(root: Path, item: os.DirEntry) -> Diagnostic:
    """The error for a dotfile or dot folder in content/: skipped silently, a contributor's entry would go unseen."""
    if item.name == ".DS_Store":
        return _error(
            root,
            item.path,
            "hidden files are not read: delete it (a .DS_Store holds macOS Finder's view settings, not an entry)",
        )
    return _error(
        root, item.path, "hidden files are not read: rename it without the leading dot, or move it out of content/"
    )


def _content_files(root: Path, content: Path, diagnostics: list[Diagnostic]) -> list[Path]:
    """List content/<kind>/<id>.yaml files in a stable order, reporting anything else found."""
    files: list[Path] = []
    for kind_dir in sorted(os.scandir(content), key=lambda e: e.name):
        if kind_dir.name == ".schema" and kind_dir.is_dir(follow_symlinks=False):
            continue  # the committed JSON Schemas `kb schema` writes for editors: the one dot folder content/ needs
        if kind_dir.name == VOCABULARY_FILE and kind_dir.is_file(follow_symlinks=False):
            continue  # the tag vocabulary (tagvocab.py), read by the check stage
        if _EDITOR_TEMPORARY.match(kind_dir.name):
            continue
        if kind_dir.name.startswith("."):
            diagnostics.append(_hidden_entry(root, kind_dir))
        elif kind_dir.is_symlink():
            diagnostics.append(
                _error(root, kind_dir.path, "symlinks are not allowed in content/: replace it with a real folder")
            )
        elif not kind_dir.is_dir():
            diagnostics.append(
                _error(
                    root,
                    kind_dir.path,
                    f"files belong in a kind folder: content/<kind>/, one of {', '.join(kind_names())}",
                )
            )
        elif kind_dir.name not in REGISTRY:
            hint = did_you_mean(kind_dir.name, kind_names()) or f" Use one of: {', '.join(kind_names())}."
            diagnostics.append(_error(root, kind_dir.path, f"unknown kind '{kind_dir.name}'.{hint}"))
        else:
            files.extend(_kind_files(root, Path(kind_dir.path), diagnostics))
    return files


def _kind_files(root: Path, kind_dir: Path, diagnostics: list[Diagnostic]) -> list[Path]:
    """List the .yaml files of one kind folder, reporting symlinks, folders and other files."""
    files = []
    for item in sorted(os.scandir(kind_dir), key=lambda e: e.name):
        if _EDITOR_TEMPORARY.match(item.name):
            continue
        if item.name.startswith("."):
            diagnostics.append(_hidden_entry(root, item))
        elif item.is_symlink():
            diagnostics.append(_error(root, item.path, "symlinks are not allowed in content/: commit the file itself"))
        elif item.is_dir():
            diagnostics.append(
                _error(root, item.path, "folders inside a kind folder are not read: move the entries up one level")
            )
        elif item.name.endswith(".yml"):
            diagnostics.append(_error(root, item.path, f"entries end in .yaml: rename it to {item.name[:-4]}.yaml"))
        elif not item.name.endswith(".yaml"):
            diagnostics.append(_error(root, item.path, "only .yaml entry files belong in content/"))
        else:
            files.append(Path(item.path))
    return files


def _load_file(
    root: Path, path: Path, diagnostics: list[Diagnostic], cache: LoadCache | None = None
) -> tuple[RawEntry | None, int]:
    """Read one entry file, or reuse the cached result when its bytes are unchanged."""
    if cache is None:
        return _parse_file(root, path, diagnostics)
    raw = _read_no_follow(path)

    def parse() -> tuple[RawEntry | None, list[Diagnostic]]:
        found: list[Diagnostic] = []
        return _parse_file(root, path, found, raw)[0], found

    entry, found = cache.get(path.relative_to(root).as_posix(), raw, parse)
    diagnostics.extend(found)
    return entry, len(raw)


def _parse_file(
    root: Path, path: Path, diagnostics: list[Diagnostic], raw: bytes | None = None
) -> tuple[RawEntry | None, int]:
    """Read (unless given the bytes), decode and parse one entry file; return it (or None) and its size in bytes."""
    rel = path.relative_to(root).as_posix()
    entry_id, kind = path.name[: -len(".yaml")], path.parent.name
    id_problem = check_id(entry_id)
    if id_problem:
        diagnostics.append(Diagnostic(SourceLocation(rel), f"bad file name '{path.name}': {id_problem}"))
        return None, 0
    raw = _read_no_follow(path) if raw is None else raw
    if len(raw) > MAX_FILE_BYTES:
        # Only the first MAX_FILE_BYTES + 1 bytes were read: the real size comes from the file system.
        size = max(len(raw), os.stat(path, follow_symlinks=False).st_size)
        diagnostics.append(
            Diagnostic(
                SourceLocation(rel),
                f"file is {size} bytes, more than the {MAX_FILE_BYTES // 1024} KiB an entry may hold: "
                "split it or trim it",
            )
        )
        return None, len(raw)
    text = decode_strict(raw, rel, diagnostics)
    if text is None:
        return None, len(raw)
    entry = RawEntry(id=entry_id, kind=kind, path=rel, data={}, text=text)
    data = parse_yaml(text, entry, diagnostics)
    if data is None:
        return None, len(raw)
    entry.data = data
    return entry, len(raw)


def _read_no_follow(path: Path) -> bytes:
    """Read a file without following a symlink swapped in after the folder was listed; at most one byte past the cap."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)  # enough to know a file is too big, without holding a huge one in memory


def _error(root: Path, path: str | Path, message: str) -> Diagnostic:
    """A diagnostic at the start of a path, shown relative to the project root."""
    return Diagnostic(SourceLocation(Path(path).relative_to(root).as_posix()), message)
