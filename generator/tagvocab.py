"""The tag vocabulary: the project's controlled list of topic tags, and a warning for any tag outside it.

The list lives in content/tags.txt, one `tag: what it covers` per line (`#` starts a comment). A
project without the file has no vocabulary and gets no warnings; with it, `kb check` warns on each tag
an entry uses that the list does not hold, and on a malformed line of the list itself.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Diagnostic, SourceLocation, did_you_mean
from .fields import MAX_TAGS
from .links import KnowledgeBase

VOCABULARY_FILE = "tags.txt"
# The list is read whole: a cap keeps a hostile or mistaken file from costing more than a small one.
MAX_VOCABULARY_BYTES = 64 * 1024
MAX_VOCABULARY_TAGS = 40 * MAX_TAGS
MAX_HINTED = 100  # as for references: only the first hundred unknown tags get a did-you-mean
MAX_LINE_PROBLEMS = 20  # malformed lines reported one by one; the rest in one warning


def read_vocabulary(root: Path, content_dir: str = "content") -> tuple[dict[str, str] | None, list[Diagnostic]]:
    """The vocabulary (tag -> what it covers) from the content folder's tags.txt, or None when it has none."""
    path = root / content_dir / VOCABULARY_FILE
    where = f"{content_dir}/{VOCABULARY_FILE}"
    if path.is_symlink() or not path.is_file():
        return None, []
    if path.stat().st_size > MAX_VOCABULARY_BYTES:
        return None, [
            _warning(where, 1, f"the tag list is over {MAX_VOCABULARY_BYTES} bytes: keep it to the tags in use")
        ]
    vocabulary: dict[str, str] = {}
    problems: list[Diagnostic] = []
    lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()  # -sig: an editor's BOM is no tag
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        tag, colon, meaning = text.partition(":")
        if not colon or not tag.strip() or not meaning.strip():
            problems.append(_warning(where, number, "write each tag as 'tag: what it covers', one per line"))
        elif len(vocabulary) < MAX_VOCABULARY_TAGS:
            vocabulary[tag.strip()] = meaning.strip()
    if len(problems) > MAX_LINE_PROBLEMS:  # a list of anything but tags: a few located lines say it, not thousands
        more = f"and {len(problems) - MAX_LINE_PROBLEMS} more lines not written as 'tag: what it covers'"
        problems[MAX_LINE_PROBLEMS:] = [_warning(where, problems[MAX_LINE_PROBLEMS].location.line, more)]
    return vocabulary, problems


def tags_outside(kb: KnowledgeBase, vocabulary: dict[str, str] | None) -> list[Diagnostic]:
    """A warning for each tag an entry uses that the vocabulary does not list."""
    if vocabulary is None:
        return []
    found = []
    for entry in kb.entries.values():
        for index, tag in enumerate(entry.model.tags):
            if tag not in vocabulary:
                hint = did_you_mean(tag, vocabulary) if len(found) < MAX_HINTED else ""
                message = f"tag '{tag}' is not in the tag list content/{VOCABULARY_FILE}.{hint or _ADD}"
                found.append(Diagnostic(entry.raw.locate(("tags", index)), message, severity="warning"))
    return found


_ADD = f" Use a tag from the list, or add the new one to content/{VOCABULARY_FILE} with what it covers."


def _warning(where: str, line: int, message: str) -> Diagnostic:
    """A warning located on a line of the tag list."""
    return Diagnostic(SourceLocation(where, line), message, severity="warning")
