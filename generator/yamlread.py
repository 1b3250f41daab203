"""From bytes to plain data with positions: strict UTF-8 and characters, then YAML read on its event stream.

Contributor files are untrusted (ARCHITECTURE.md). Everything is checked on the YAML *event*
stream, before any Python object is built: no anchors, aliases, tags or duplicate keys, bounded
nesting. Every scalar stays a string; the schema converts it. A RawEntry keeps where each key and
value is, so every later problem can be located in the file.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Diagnostic, SourceLocation
from .yamlslips import explain, stand_in

# Reading past a slip parses the file again: at most 5 times, and (past 4 KiB) at most its length again in all.
MAX_SLIPS_READ_PAST, REREAD_FREE = 5, 4096
MAX_DEPTH = 6  # entry > list > mapping > list > scalar is the deepest the schema needs
# Bidirectional overrides and isolates reorder how text displays ("trojan source").
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
YamlPath = tuple[str | int, ...]


@dataclass
class RawEntry:
    """One content file as plain data (dicts, lists, strings, None) with where each part is."""

    id: str
    kind: str
    path: str
    data: dict[str, Any]
    text: str = ""
    # (line, column) of every value and key; a SourceLocation is made only when one is asked for.
    values: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    line_starts: list[int] | None = field(default=None, repr=False, compare=False)
    value_starts: list[int] | None = field(default=None, repr=False, compare=False)

    def locate(self, yaml_path: YamlPath, *, key: bool = False) -> SourceLocation:
        """Return the location of a key or value, or of its nearest existing parent."""
        table = self.keys if key else self.values
        for end in range(len(yaml_path), -1, -1):
            prefix = tuple(yaml_path[:end])
            position = table.get(prefix) or self.values.get(prefix)
            if position is not None:
                return SourceLocation(self.path, *position)
        return SourceLocation(self.path)

    def find_in(self, yaml_path: YamlPath, needle: str) -> SourceLocation:
        """Locate text inside a value (such as a block scalar), falling back to the value's start."""
        begin, end = self.span(yaml_path)
        found = self.text.find(needle, begin, end) if needle else -1
        return self.locate(yaml_path) if found < 0 else self.at(found)

    def span(self, yaml_path: YamlPath) -> tuple[int, int]:
        """The offsets in the text where a value (or its nearest existing parent) starts and where the next one does."""
        start = self.locate(yaml_path)
        starts = self._line_starts()
        if start.line > len(starts):
            return len(self.text), len(self.text)
        begin = starts[start.line - 1] + start.column - 1
        return begin, self._value_end(begin)

    def at(self, offset: int) -> SourceLocation:
        """The location of an offset into the text."""
        starts = self._line_starts()
        line = bisect.bisect_right(starts, offset)
        return SourceLocation(self.path, line, offset - starts[line - 1] + 1)

    def _value_end(self, begin: int) -> int:
        """Where the next key or value after an offset starts: the end of the value that starts there."""
        starts = self._line_starts()
        if self.value_starts is None:
            positions = {*self.values.values(), *self.keys.values()}
            self.value_starts = sorted(
                starts[line - 1] + column - 1 for line, column in positions if line <= len(starts)
            )
        index = bisect.bisect_right(self.value_starts, begin)
        return self.value_starts[index] if index < len(self.value_starts) else len(self.text)

    def _line_starts(self) -> list[int]:
        """The offset of each line's start, computed once: a file with many problems is not re-split per problem."""
        if self.line_starts is None:
            self.line_starts = [0, *(match.end() for match in re.finditer("\n", self.text))]
        return self.line_starts


def decode_strict(raw: bytes, rel: str, diagnostics: list[Diagnostic]) -> str | None:
    """Decode UTF-8 (a leading BOM is dropped); report bad bytes and control characters."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        diagnostics.append(
            Diagnostic(
                SourceLocation(rel, line, column),
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8",
            )
        )
        return None
    bad = [(match.start(), match.group()) for match in FORBIDDEN_CHARACTERS.finditer(text)]
    for index, ch in bad[:5]:
        line, column = _position(text, index)
        fix = "save the file with LF line endings" if ch == "\r" else "delete it"
        diagnostics.append(
            Diagnostic(
                SourceLocation(rel, line, column), f"forbidden character U+{ord(ch):04X} ({character_name(ch)}): {fix}"
            )
        )
    return None if bad else text


def character_name(ch: str) -> str:
    """The Unicode name of a character, or what kind of unnamed character it is."""
    return unicodedata.name(ch, None) or ("control" if unicodedata.category(ch) == "Cc" else "not a character")


# Control characters other than tab and newlines, Unicode line separators (PyYAML breaks lines there, git
# does not, so a key could hide on what reviewers see as the title's line), bidi controls, a BOM inside the text,
# U+FFFE/U+FFFF (PyYAML's reader raises on them) and lone surrogates (they cannot be written back as UTF-8), as one
# compiled character class: a per-character Python loop cost ~0.4 ms per file (2 s of `kb check` at
# 5,000 entries). tests/test_performance.py checks it against the rule written out, on every code point.
FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff"
    + "".join(sorted(BIDI_CONTROLS))
    + "]"
    # A lone carriage return: PyYAML starts a new line there, git and GitHub do not,
    # so every line after it would be misreported.
    "|\r(?!\n)"
)


def _position(text: str | bytes, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of an offset into text (characters) or raw bytes."""
    newline = b"\n" if isinstance(text, bytes) else "\n"
    line_start = text.rfind(newline, 0, offset) + 1
    return text.count(newline, 0, offset) + 1, offset - line_start + 1


def parse_yaml(text: str, entry: RawEntry, diagnostics: list[Diagnostic]) -> dict[str, Any] | None:
    """Build plain data from the YAML event stream, refusing what an entry never needs.

    A slip one character explains (a tab, a colon in an unquoted value) is reported and read past, so the
    rest of the file is still checked in the same run (yamlslips.py).
    """
    slips: list[Diagnostic] = []
    reread = 0  # characters parsed before each slip read past
    readable = text
    while True:
        found: list[Diagnostic] = []  # a retry finds the event-level problems again: keep the last try's only
        entry.values.clear()
        entry.keys.clear()
        try:
            root = _build_from_events(_events(readable), entry, found)
            break
        except yaml.MarkedYAMLError as exc:
            slip = explain(readable, exc)
            slips.append(Diagnostic(entry.at(slip.offset), slip.message))
            reread += slip.offset
            if not slip.read_past or reread > max(len(readable), REREAD_FREE) or len(slips) >= MAX_SLIPS_READ_PAST:
                diagnostics.extend(slips)
                return None
            readable = readable[: slip.offset] + stand_in(readable[slip.offset]) + readable[slip.offset + 1 :]
        except yaml.YAMLError as exc:  # a reader error has no mark; decode_strict should have caught its cause
            diagnostics.extend([*slips, Diagnostic(SourceLocation(entry.path), f"YAML error: {exc}")])
            return None
        except _StopFile:
            diagnostics.extend([*slips, *found])
            return None
    diagnostics.extend([*slips, *found])
    if slips:  # read past slips: the data is for finding the file's other problems, never for a build
        return root if isinstance(root, dict) else None
    if root is None:
        diagnostics.append(
            Diagnostic(SourceLocation(entry.path), "file is empty: an entry needs at least title and summary")
        )
        return None
    if not isinstance(root, dict):
        diagnostics.append(Diagnostic(entry.locate(()), "an entry is a mapping of fields (title: ..., summary: ...)"))
        return None
    return root


class _EventLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A loader used only for its parser: it never constructs objects."""


def _events(text: str):
    """The parser's events, like yaml.parse() but without its check_event() call per event."""
    loader = _EventLoader(text)
    try:
        while (event := loader.get_event()) is not None:
            yield event
            if type(event) is yaml.StreamEndEvent:
                return
    finally:
        loader.dispose()


class _StopFile(Exception):
    """This file cannot be read further; its diagnostic is already recorded."""


def _build_from_events(events, entry: RawEntry, diagnostics: list[Diagnostic]) -> Any:
    """Turn parser events into dicts, lists and strings, recording every node's position."""
    stack: list[list[Any]] = []  # frames: [container, yaml path, pending key or None]
    root: Any = None
    documents = 0

    def fail(event, message: str) -> None:
        diagnostics.append(
            Diagnostic(SourceLocation(entry.path, event.start_mark.line + 1, event.start_mark.column + 1), message)
        )

    def place(value: Any, event) -> YamlPath | None:
        """Attach a finished node to its parent; return its path, None for a key or a duplicate."""
        nonlocal root
        mark = event.start_mark
        position = (mark.line + 1, mark.column + 1)
        if not stack:
            root = value
            entry.values[()] = position
            return ()
        frame = stack[-1]
        container, parent_path, pending = frame
        if type(container) is list:
            node_path = (*parent_path, len(container))
            container.append(value)
        elif pending is None:
            if type(value) is not str:
                fail(event, "keys must be plain words, not lists or mappings")
                raise _StopFile
            key_path = (*parent_path, value)
            if value in container:
                first = entry.keys.get(key_path)
                fail(event, f"duplicate key '{value}' (first defined at line {first[0] if first else '?'}): keep one")
                frame[2] = _DUPLICATE
            else:
                entry.keys[key_path] = position
                frame[2] = value
            return None
        else:
            frame[2] = None
            if pending is _DUPLICATE:
                return None
            container[pending] = value
            node_path = (*parent_path, pending)
        entry.values[node_path] = position
        return node_path

    for event in events:
        kind = type(event)  # exact types: dispatching on them costs less than isinstance chains, per event
        if kind is yaml.ScalarEvent or kind in _COLLECTION_STARTS:
            if event.anchor is not None:
                fail(
                    event,
                    f"YAML anchors (&{event.anchor}) are not allowed: write values out in full "
                    "(quote text that starts with '&')",
                )
            if event.tag is not None and not (kind is yaml.ScalarEvent and event.tag == "!"):
                fail(event, f"YAML tags ({event.tag}) are not allowed: quote the value instead")
            if kind is yaml.ScalarEvent:
                plain_empty = (
                    event.value == "" and event.implicit[0] and not event.style
                )  # libyaml says "" for plain, PyYAML None
                place(None if plain_empty else event.value, event)
                continue
            if len(stack) >= MAX_DEPTH:
                fail(event, f"nested more than {MAX_DEPTH} levels deep: no field needs that")
                raise _StopFile
            container: Any = [] if kind is yaml.SequenceStartEvent else {}
            node_path = place(container, event)
            stack.append([container, node_path if node_path is not None else ("?",), None])
        elif kind in _COLLECTION_ENDS:
            stack.pop()
        elif kind is yaml.AliasEvent:
            fail(
                event,
                f"YAML aliases (*{event.anchor}) are not allowed: write the value out "
                "(quote text that starts with '*')",
            )
            raise _StopFile
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                fail(event, "only one YAML document per file: remove the '---' separator and what follows")
                raise _StopFile
    return root


_COLLECTION_STARTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_COLLECTION_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_DUPLICATE = object()  # marks the value of a duplicate key, which is parsed and dropped
