"""The YAML slips contributors make, said in plain words with the fix, and how to read on past them.

The parser's own messages ("found character that cannot start any token", "mapping values are not allowed
in this context") name its grammar, not the slip. Each slip here is recognised from the parser's problem
and the text at its mark. A slip that one character explains (a tab, a colon inside an unquoted value, a
value starting with a character YAML reserves) also says which character to read past: the loader puts a
harmless character of the same width in its place and parses again, so the file's other problems are
reported in the same run, at their true lines and columns. The file itself is never changed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml

# What stands in for a character read past: a letter (same width, no meaning to YAML), or a space for a tab.
_STAND_IN = {"\t": " "}
_RESERVED_START = "`@%&*!|>"  # characters YAML reserves at the start of a plain value
_KEY_LINE = re.compile(r"^(\s*(?:- )?)([^\s:#][^:#]*?):(?:\s|$)")
_NO_SPACE_KEY = re.compile(r"^\s*(?:- )?([A-Za-z_][\w-]*):(\S.*)$")
MAX_SHOWN = 60  # a suggested value longer than this is shown shortened


@dataclass(frozen=True)
class Slip:
    """One YAML problem in a contributor's words: where (0-based offset into the text), what, and what to read past."""

    offset: int
    message: str
    read_past: bool = False  # the character at offset can be replaced to read on


def explain(text: str, error: yaml.MarkedYAMLError) -> Slip:
    """The plain-language slip behind a parser error."""
    mark = error.problem_mark or error.context_mark
    offset = _offset(text, mark.line, mark.column) if mark else 0
    problem, context = error.problem or "", error.context or ""
    char = text[offset] if offset < len(text) else ""
    if char == "\t" or "tab" in problem:
        return Slip(offset, "a tab character: YAML indents with spaces only; replace the tab with spaces", char == "\t")
    if "mapping values are not allowed" in problem and char == ":":
        return _colon(text, offset)
    if ("alias" in context or "anchor" in context) and error.context_mark:
        start = _offset(text, error.context_mark.line, error.context_mark.column)
        return Slip(start, _quote_it(text, start, f"a value starting with '{text[start : start + 1]}'"), True)
    if "cannot start any token" in problem and char and char in _RESERVED_START:
        return Slip(offset, _quote_it(text, offset, f"a value starting with '{char}'"), True)
    if "mapping keys are not allowed" in problem:
        return Slip(offset, _quote_it(text, offset, "a value starting with '? '"))
    if "block scalar" in context:
        return Slip(offset, "after '|' or '>' the text starts on the next line: put it there, indented under the key")
    if "quoted scalar" in context and "end of stream" in problem and error.context_mark:
        start = _offset(text, error.context_mark.line, error.context_mark.column)
        return Slip(start, f"this {text[start : start + 1]} quote is never closed: end the value with the same quote")
    if "flow" in context and error.context_mark:  # "[a, b" or "{a: b" left open
        start = _offset(text, error.context_mark.line, error.context_mark.column)
        closing = "]" if text[start : start + 1] == "[" else "}"
        opened = text[start : start + 1]
        return Slip(start, f"this '{opened}' is never closed: end the list with '{closing}', or quote the value")
    if "expected key" in problem or "expected <block end>" in problem:
        return _trailing_or_indent(text, offset)
    return Slip(offset, f"YAML cannot read this: {problem or context}. {_GENERIC_FIX}")


_GENERIC_FIX = "Check the indentation (spaces, lined up with the lines around it) and quote values with ': ' or ' #'"


def stand_in(char: str) -> str:
    """The character read in place of one a slip explains."""
    return _STAND_IN.get(char, "x")


def _colon(text: str, offset: int) -> Slip:
    """A ':' the parser cannot place: a colon and space inside an unquoted value, or a key with no space after ':'."""
    line_start = text.rfind("\n", 0, offset) + 1
    key = _KEY_LINE.match(text[line_start:])
    if key and line_start + len(key.group(0).rstrip()) - 1 == offset:  # the colon of this line's own key
        previous = text[: max(line_start - 1, 0)].rsplit("\n", 1)[-1]
        glued = _NO_SPACE_KEY.match(previous)
        if glued:
            at = max(line_start - 1 - len(previous), 0) + previous.index(":")
            fixed = f"{glued.group(1)}: {glued.group(2)}"
            return Slip(
                at, f"no space after the colon: write '{_shown(fixed)}' (YAML needs ': ' between key and value)"
            )
        return Slip(offset, f"this line's key does not line up with the keys around it. {_GENERIC_FIX}")
    return Slip(offset, _quote_it(text, offset, "a colon followed by a space inside a value"), True)


def _quote_it(text: str, offset: int, what: str) -> str:
    """'<what> needs quotes: write key: "value"', with the value of the line the offset is on."""
    line_start = text.rfind("\n", 0, offset) + 1
    line = text[line_start:].split("\n", 1)[0]
    key = _KEY_LINE.match(line)
    if key is None:
        return f"{what} needs the whole value in double quotes"
    value = line[key.end() :].strip()
    if len(value) > 1 and value[0] == value[-1] == "'":  # 'it's': an apostrophe ended the single quotes early
        value = value[1:-1]
    quoted = _double_quoted(value)
    if len(quoted) > MAX_SHOWN:  # shortened inside the quotes, so the example still reads as a quoted value
        quoted = _double_quoted(value[: MAX_SHOWN - 20])[:-1] + '…"'
    return f"{what} needs the whole value in quotes: write {key.group(2)}: {quoted}"


def _trailing_or_indent(text: str, offset: int) -> Slip:
    """Text after a closed quote or bracket on the same line, or a line indented unlike its neighbours."""
    line_start = text.rfind("\n", 0, offset) + 1
    if text[line_start:offset].strip():
        return Slip(offset, _quote_it(text, offset, "a value that starts with a quote or bracket and goes on after it"))
    return Slip(
        offset,
        "this line is indented differently from the lines around it: line keys up with the other keys, "
        "list items ('- ') under their key, and every line of a '|' block at least as far as its first line",
    )


def _double_quoted(value: str) -> str:
    """A value as a YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(value, ensure_ascii=False)


def _shown(text: str) -> str:
    """Text as a message shows it: long text shortened."""
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _offset(text: str, line: int, column: int) -> int:
    """The offset of a 0-based line and column (the end of the text for a mark past it)."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return len(text)
    return min(start + column, len(text))
