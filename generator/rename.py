"""`kb rename OLD NEW`: an entry's new id (and kind), every reference to it rewritten in place.

The edits are textual, at the positions the loader recorded for each value: only the id's characters
change, so comments, quoting, flow or block style and blank lines stay as the contributor wrote them.
The whole rename is first made in a scratch copy of the content and checked there; nothing is written
unless that check is clean. Files are then replaced one by one, each only if it still holds the bytes
that were read (an editor saving meanwhile stops the rename), and the moved file is created, never
overwritten.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostic, KbError, did_you_mean
from .fields import MarkdownText, RefTo
from .ids import check_id
from .introspect import iter_marked
from .links import KnowledgeBase
from .proseparser import WIKI_LINK
from .schema_export import modeline
from .settings import Settings
from .validate import ValidEntry

_ALIASES_FLOW = re.compile(r"^aliases:[ \t]*\[([^\]\n]*)\]", re.M)
_ALIASES_BLOCK = re.compile(r"^aliases:[ \t]*(?:#[^\n]*)?\n((?:[ \t]*(?:-[ \t][^\n]*)?(?:#[^\n]*)?\n)+)", re.M)
_ALIASES_EMPTY = re.compile(r"^aliases:[ \t]*(?:#[^\n]*)?$", re.M)


class RenameRefused(Exception):
    """A rename that cannot be made as asked, with why and what to do instead."""


@dataclass
class Rename:
    """What a rename changes: each file's new text (None: deleted), and how many references each had."""

    old_path: str
    new_path: str
    texts: dict[str, str | None] = field(default_factory=dict)
    before: dict[str, str] = field(default_factory=dict)
    references: dict[str, int] = field(default_factory=dict)


def plan_rename(settings: Settings, kb: KnowledgeBase, old: str, new: str, kind: str | None) -> Rename:
    """The edits that rename old as new (in kind, default its own), or KbError saying why it cannot be done."""
    entry = _entry_to_rename(kb, old)
    problem = check_id(new)
    if problem:
        raise RenameRefused(f"cannot rename to '{new}': {problem}")
    _refuse_taken(settings, kb, new)
    kind = kind or entry.kind
    new_path = f"{settings.content_dir}/{kind}/{new}.yaml"
    rename = Rename(entry.raw.path, new_path)
    for other in kb.entries.values():
        text, count = _references_rewritten(other, old, new)
        if count:
            rename.texts[other.raw.path], rename.references[other.raw.path] = text, count
    moved = rename.texts.get(entry.raw.path, entry.raw.text)
    moved = _with_alias(moved, old)
    if kind != entry.kind:
        moved = moved.replace(modeline(entry.kind), modeline(kind), 1)
    rename.texts[entry.raw.path] = None
    rename.texts[new_path] = moved
    for path in rename.texts:
        if path != new_path:
            rename.before[path] = kb.entries[_id_of(path)].raw.text
    return rename


def _entry_to_rename(kb: KnowledgeBase, old: str) -> ValidEntry:
    """The live entry with id old, or an error naming what old is."""
    if old in kb.entries:
        return kb.entries[old]
    if old in kb.aliases:
        raise RenameRefused(f"'{old}' is a former id of '{kb.aliases[old]}': rename '{kb.aliases[old]}' instead")
    hint = did_you_mean(old, kb.entries) or " An id is the file name without .yaml."
    raise RenameRefused(f"no entry with id '{old}'.{hint}")


def _refuse_taken(settings: Settings, kb: KnowledgeBase, new: str) -> None:
    """Refuse an id that a live entry, a former id or any file already uses."""
    if new in kb.entries:
        raise RenameRefused(f"id '{new}' is taken by {kb.entries[new].raw.path}: choose another id")
    if new in kb.aliases:
        owner = kb.entries[kb.aliases[new]]
        raise RenameRefused(
            f"'{new}' is a former id of '{owner.id}' ({owner.raw.path}), and old links redirect there: choose another"
        )
    for found in settings.content.glob(f"*/{new}.yaml"):
        raise RenameRefused(f"id '{new}' is taken by {found.relative_to(settings.root).as_posix()}: choose another")


def _references_rewritten(entry: ValidEntry, old: str, new: str) -> tuple[str, int]:
    """An entry's text with every reference to old (relations, [[old]], [[old|text]]) made new; and how many."""
    raw, starts = entry.raw, []
    for path, target, _ in iter_marked(entry.model, RefTo):
        if target == old:
            begin, _end = raw.span(path)
            begin += raw.text[begin] in "'\""  # a quoted id: the id starts after the quote
            if raw.text[begin : begin + len(old)] != old:  # the loader's position always holds the id
                raise KbError.at(raw.at(begin), f"kb rename could not find '{old}' here: edit this reference by hand")
            starts.append(begin)
    for path, prose, _ in iter_marked(entry.model, MarkdownText):
        if any(link.target == old for link in getattr(prose, "links", ())):
            begin, end = raw.span(path)
            for match in WIKI_LINK.finditer(raw.text, begin, end):
                if match.group(1).strip() == old:
                    starts.append(match.start(1) + match.group(1).index(old))
    text = raw.text
    for start in sorted(set(starts), reverse=True):  # from the end: earlier offsets stay right
        text = text[:start] + new + text[start + len(old) :]
    return text, len(set(starts))


def _with_alias(text: str, old: str) -> str:
    """The entry's text with old added to its aliases, in the style the file already uses."""
    flow = _ALIASES_FLOW.search(text)
    if flow:
        items = flow.group(1).strip()
        return text[: flow.start(1)] + (f"{flow.group(1).rstrip()}, {old}" if items else old) + text[flow.end(1) :]
    block = _ALIASES_BLOCK.search(text)
    if block and "-" in block.group(1):
        last = [line for line in block.group(1).splitlines(keepends=True) if line.lstrip().startswith("-")][-1]
        indent = last[: len(last) - len(last.lstrip())]
        at = block.start(1) + block.group(1).index(last) + len(last)
        return text[:at] + f"{indent}- {old}\n" + text[at:]
    empty = _ALIASES_EMPTY.search(text)
    if empty:
        return text[: empty.start()] + f"aliases: [{old}]" + text[empty.end() :]
    return text + ("" if text.endswith("\n") or not text else "\n") + f"aliases: [{old}]\n"


def _id_of(path: str) -> str:
    """The entry id a content file path names."""
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def problems_after(settings: Settings, rename: Rename) -> list[Diagnostic]:
    """The errors kb check would report after the rename, found in a scratch copy of the project's content."""
    from .pipeline import check  # here: only the trial needs the pipeline

    with tempfile.TemporaryDirectory(prefix="kb-rename-") as scratch:
        root = Path(scratch)
        shutil.copytree(settings.content, root / settings.content_dir, symlinks=True)
        for path, text in rename.texts.items():
            target = root / path
            if text is None:
                target.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        _, diagnostics = check(root, review_hints=False, content_dir=settings.content_dir)
    return [d for d in diagnostics if d.severity == "error"]


def apply_rename(settings: Settings, rename: Rename) -> None:
    """Write the rename: each edited file replaced only if unchanged since it was read, the moved file created."""
    for path, before in rename.before.items():
        if (settings.root / path).read_text(encoding="utf-8") != before:
            raise KbError.at(path, "this file changed while kb rename ran: nothing was written; run kb rename again")
    (settings.root / rename.new_path).parent.mkdir(parents=True, exist_ok=True)
    with open(settings.root / rename.new_path, "x", encoding="utf-8") as handle:  # "x": never overwrite
        handle.write(rename.texts[rename.new_path] or "")
    for path, text in rename.texts.items():
        if path == rename.new_path:
            continue
        if text is None:
            (settings.root / path).unlink()
        else:
            _replace(settings.root / path, text)


def _replace(path: Path, text: str) -> None:
    """Replace a file's text at once (a temporary file renamed over it), keeping its permissions."""
    temporary = path.with_name(f".{path.name}.kb-rename-{os.getpid()}")
    with open(temporary, "x", encoding="utf-8") as handle:  # "x": never through a link already at that name
        handle.write(text)
    shutil.copymode(path, temporary)
    os.replace(temporary, path)


def as_diff(rename: Rename) -> str:
    """The rename as a unified diff: the moved file against its old self, then each edited file."""
    moved = difflib.unified_diff(
        rename.before[rename.old_path].splitlines(keepends=True),
        (rename.texts[rename.new_path] or "").splitlines(keepends=True),
        f"a/{rename.old_path}",
        f"b/{rename.new_path}",
    )
    old, new = rename.old_path, rename.new_path
    header = f"diff --git a/{old} b/{new}\nrename from {old}\nrename to {new}\n"
    parts = [header, *moved]
    for path, text in sorted(rename.texts.items()):
        if text is not None and path != rename.new_path:
            before = rename.before[path].splitlines(keepends=True)
            parts.append(f"diff --git a/{path} b/{path}\n")
            parts.extend(difflib.unified_diff(before, text.splitlines(keepends=True), f"a/{path}", f"b/{path}"))
    return "".join(parts)


def summary(rename: Rename) -> str:
    """How many references in how many files the rename updates."""
    return f"{sum(rename.references.values())} reference(s) in {len(rename.references)} file(s) updated"
