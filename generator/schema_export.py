"""The JSON Schema of each kind, generated from the models, for editors and other validators."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from .errors import KbError
from .kinds import singular
from .schema import MODELS

SCHEMA_FOLDER = "content/.schema"  # a dot-folder: the loader never reads it as entries
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_path(kind: str) -> str:
    """Where a kind's schema lives, relative to the project root."""
    return f"{SCHEMA_FOLDER}/{kind}.schema.json"


def modeline(kind: str) -> str:
    """The comment that points the YAML language server at a kind's schema, from content/<kind>/."""
    return f"# yaml-language-server: $schema=../{schema_path(kind).removeprefix('content/')}"


def kind_schema(kind: str) -> dict:
    """The JSON Schema of one kind's entry files, as a contributor types them in YAML."""
    schema = MODELS[kind].model_json_schema()
    header = {
        "$schema": DIALECT,
        "$comment": "Generated from generator/schema.py by `kb schema`: do not edit by hand.",
        "title": f"{singular(kind).capitalize()} entry (content/{kind}/<id>.yaml)",
    }
    schema.pop("title", None)
    return {**header, **schema}


def schema_files() -> dict[str, str]:
    """Every kind's schema as the exact text committed in the repository, by path."""
    return {schema_path(kind): json.dumps(kind_schema(kind), indent=2, ensure_ascii=False) + "\n" for kind in MODELS}


def sync_schemas(root: Path, *, write: bool) -> tuple[int, list[str]]:
    """Compare (and with write, rewrite) the committed schemas under root; return how many there are and the stale."""
    stale = []
    schemas = schema_files()
    for rel, text in schemas.items():
        target = root / rel
        if _committed(root, rel, len(text.encode("utf-8"))) == text:
            continue
        stale.append(rel)
        if write:
            folder = target.parent
            if _through_link(root, rel):  # content/ comes from pull requests: a link there could aim anywhere
                raise KbError.at(rel, "a folder on this path is a symlink: kb schema writes only into real folders")
            folder.mkdir(parents=True, exist_ok=True)
            temporary = folder / f".{target.name}.kb-schema-{os.getpid()}"
            with open(temporary, "x", encoding="utf-8") as handle:  # "x": never through a link
                handle.write(text)
            os.replace(temporary, target)  # replaces a link itself, never the file it names
    return len(schemas), stale


def _through_link(root: Path, rel: str) -> bool:
    """Whether a folder on the way from root to rel is a symlink."""
    parts = rel.split("/")[:-1]
    return any((root / "/".join(parts[: n + 1])).is_symlink() for n in range(len(parts)))


def _committed(root: Path, rel: str, size: int) -> str | None:
    """A committed schema's text, or None when it is missing, not a plain file or a link (never followed or read
    past the expected size: a link to /dev/zero would never end), or reached through a linked folder."""
    if _through_link(root, rel):
        return None
    try:
        fd = os.open(root / rel, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return handle.read(size + 1).decode("utf-8", "replace")
