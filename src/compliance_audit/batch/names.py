"""File names built from bureau names.

A bureau's name comes from a manifest or an inventory someone else wrote, and every output file of
a batch is named after it: whatever the name holds (path separators, "..", control characters, a
device name, thousands of characters), the file it names stays directly inside the output folder.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

MAX_NAME_BYTES = 120  # well under the 255 bytes of most file systems, with room for suffixes
FALLBACK = "机关"

# separators and the characters Windows and Excel refuse in names, dots and spaces at the ends
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def safe_name(name: str) -> str:
    """A file-name stem made from a bureau name: readable Chinese kept, anything that could move or
    hide the file replaced."""
    text = unicodedata.normalize("NFKC", name)
    # format characters (right-to-left overrides, zero-width joiners) can make a name read as
    # another one in a file manager
    text = "".join("_" if unicodedata.category(char) in ("Cf", "Cc", "Zl", "Zp") else char for char in text)
    text = _FORBIDDEN.sub("_", text)
    text = " ".join(text.split())
    text = text.strip(" .")
    if _RESERVED.match(text):
        text = "_" + text
    text = _truncate(text, MAX_NAME_BYTES)
    return text.strip(" .") or FALLBACK


def _truncate(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", errors="ignore")


def unique_names(names: Iterable[str]) -> list[str]:
    """safe_name of each, made unique (case-insensitively, as on Windows and macOS) by a number."""
    taken: set[str] = set()
    result = []
    for name in names:
        base = safe_name(name)
        candidate, number = base, 1
        while candidate.casefold() in taken:
            number += 1
            candidate = f"{_truncate(base, MAX_NAME_BYTES - 8)}-{number}"
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def inside(directory: Path, stem: str, suffix: str) -> Path:
    """directory/stem+suffix, checked to be directly inside directory (the last line of defence)."""
    path = directory / f"{stem}{suffix}"
    if path.resolve().parent != directory.resolve() or path.name != f"{stem}{suffix}":
        raise ValueError(f"unsafe output name {path!r}")  # safe_name failed: a bug, not bad input
    return path
