"""The JSON Schema of each kind, generated from the models, for editors and other validators."""

from __future__ import annotations

import json
from pathlib import Path

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
        if (target.read_text(encoding="utf-8") if target.is_file() else None) == text:
            continue
        stale.append(rel)
        if write:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return len(schemas), stale
