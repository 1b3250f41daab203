"""Entry ids: the permanent addresses, so a safe character set, a length cap and no reserved names."""

from __future__ import annotations

import re
import unicodedata

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_ID_LENGTH = 80
RESERVED_IDS = {"index"}  # <kind>/index.md is the kind's A-Z page
WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}


def check_id(entry_id: str) -> str | None:
    """Return why an id is unsafe, or None when it is a good id."""
    if not ID_PATTERN.fullmatch(entry_id):  # fullmatch: '$' alone would accept a trailing newline
        foreign = next((ch for ch in entry_id if not ch.isascii()), None)
        suggestion = slugify(entry_id)
        if foreign:  # often a look-alike (Cyrillic 'а' for 'a'): slugify would just drop it
            hint = f" ('{foreign}' is U+{ord(foreign):04X}, not ASCII)"
        else:
            hint = f" (try '{suggestion}')" if suggestion and suggestion != entry_id else ""
        return f"ids use lower-case ASCII letters, digits and single hyphens{hint}"
    if len(entry_id) > MAX_ID_LENGTH:
        return f"ids are at most {MAX_ID_LENGTH} characters"
    if entry_id in WINDOWS_RESERVED:
        return f"'{entry_id}' is a reserved file name on Windows: choose another id"
    if entry_id in RESERVED_IDS:
        return f"'{entry_id}' is the address of each kind's A-Z page: choose another id"
    return None


def slugify(text: str) -> str:
    """Turn a title into an id: ASCII, lower case, words joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:MAX_ID_LENGTH].strip("-")
