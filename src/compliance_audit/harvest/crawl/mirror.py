"""The mirror a crawl writes: one file per fetched page, laid out like `wget --mirror`
(host/path/name), plus a hidden .crawl/ folder the page reader skips as a file but uses as the
record of where each file came from.

.crawl/log.jsonl holds one JSON object per line, appended as the crawl goes (so an interrupted crawl
keeps what it did): {"kind": "page", "url", "file", "status", "charset", "referer"} for every saved
page, and "error", "robots", "skip", "attachment" entries for everything else the summary reports.
Beside it: config.json (what was asked), state.json (how the last run ended), job/ (Scrapy's
resumable queue, present only while a crawl is unfinished), httpcache/ and crawl.log.

Addresses are untrusted: every path segment is sanitised, hidden names are made visible, long
names are shortened with a hash, and a name two addresses would share gets a hash of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from compliance_audit.harvest.pages import HTML_SUFFIXES, TEXT_SUFFIXES, suffix_of

CRAWL_DIR = ".crawl"
LOG_NAME = "log.jsonl"
CONFIG_NAME = "config.json"
STATE_NAME = "state.json"
JOB_NAME = "job"
CACHE_NAME = "httpcache"
SCRAPY_LOG_NAME = "crawl.log"

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*"<>|]')
_MAX_SEGMENT_BYTES = 150
_MAX_QUERY = 200
# A log line is a few hundred bytes; anything far longer was not written by the crawler.
_MAX_LOG_LINE = 64 * 1024


@dataclass(frozen=True, slots=True)
class PageEntry:
    url: str
    charset: str | None  # from the Content-Type header, when the server said


def crawl_dir(mirror: Path) -> Path:
    return mirror / CRAWL_DIR


def read_log(mirror: Path) -> Iterator[dict[str, Any]]:
    """The crawl's log entries in order; nothing when the mirror was not written by a crawl."""
    path = crawl_dir(mirror) / LOG_NAME
    try:
        handle = path.open("r", encoding="utf-8", errors="replace")
    except OSError:
        return
    with handle:
        for line in handle:
            if len(line) > _MAX_LOG_LINE:
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # the last line of a crawl that was killed mid-write
            if isinstance(entry, dict):
                yield entry


def read_pages(mirror: Path) -> dict[str, PageEntry]:
    """For each page file of a crawled mirror, where it was fetched (the latest fetch wins)."""
    pages: dict[str, PageEntry] = {}
    for entry in read_log(mirror):
        if (
            entry.get("kind") == "page"
            and isinstance(entry.get("file"), str)
            and isinstance(entry.get("url"), str)
        ):
            charset = entry.get("charset")
            pages[entry["file"]] = PageEntry(entry["url"], charset if isinstance(charset, str) else None)
    return pages


def relative_path(url: str, kind: str) -> str:
    """Where a page fetched from url is kept in the mirror: host/path, with index.html for a
    directory, the query after "?" as wget writes it, and .html (or .txt) added to a page whose name
    does not say it is one, so that the reader knows it without sniffing."""
    parts = urlsplit(url)
    host = _segment((parts.hostname or "host") + (f"_{parts.port}" if parts.port else ""))
    segments = [unquote(segment, errors="replace") for segment in (parts.path or "/").split("/")[1:]]
    if not segments or not segments[-1]:
        segments = [*segments[:-1], "index.html"]
    name = segments[-1]
    if parts.query:
        name += "?" + _shorten(unquote(parts.query, errors="replace"), _MAX_QUERY)
    suffix = suffix_of(name)
    if kind == "html" and suffix not in HTML_SUFFIXES:
        name += ".html"
    elif kind == "text" and suffix not in TEXT_SUFFIXES:
        name += ".txt"
    return "/".join([host, *(_segment(segment) for segment in segments[:-1]), _segment(name)])


def _segment(text: str) -> str:
    text = _UNSAFE.sub("_", text).strip()
    if text in ("", ".", ".."):
        return "_"
    if text.startswith("."):
        text = "_" + text[1:]  # the reader skips hidden files
    return _shorten(text, _MAX_SEGMENT_BYTES)


def _shorten(text: str, limit: int) -> str:
    if len(text.encode("utf-8")) <= limit:
        return text
    suffix = os.path.splitext(text)[1] if len(os.path.splitext(text)[1]) <= 8 else ""
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    return text[: limit // 6] + "~" + digest + suffix


class MirrorWriter:
    """Saves fetched pages and appends the log. One per crawl process."""

    def __init__(self, mirror: Path) -> None:
        self.mirror = mirror
        self.root = os.path.realpath(mirror)
        crawl_dir(mirror).mkdir(parents=True, exist_ok=True)
        # file → address, for the files earlier runs of this crawl wrote (a resumed crawl)
        self.files: dict[str, str] = {}
        for entry in read_log(mirror):
            if entry.get("kind") in ("page", "attachment") and isinstance(entry.get("file"), str):
                self.files[entry["file"]] = str(entry.get("url", ""))
        self._log = (crawl_dir(mirror) / LOG_NAME).open("a", encoding="utf-8")

    def save(self, url: str, body: bytes, kind: str) -> str:
        """Write the body; return its path inside the mirror."""
        relative = self._unique(url, relative_path(url, kind))
        target = self._path(relative)
        directory = os.path.dirname(target)
        if os.path.commonpath([self.root, os.path.realpath(directory)]) != self.root:
            raise ValueError(f"mirror path outside the mirror: {relative}")  # _segment makes this impossible
        os.makedirs(directory, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".part-", dir=directory)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(body)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.files[relative] = url
        return relative

    def _unique(self, url: str, relative: str) -> str:
        """Another address already kept under this name, or a directory where the file should go:
        this one gets a name with its own hash. A file where a directory should go: the page is
        kept directly under the host's folder."""
        digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
        stem, suffix = os.path.splitext(relative)
        if self._file_in_the_way(relative):
            return f"{relative.split('/', 1)[0]}/~{digest}{suffix}"
        owner = self.files.get(relative)
        if (owner is None or owner == url) and not os.path.isdir(self._path(relative)):
            return relative
        return f"{stem}~{digest}{suffix}"

    def _path(self, relative: str) -> str:
        return os.path.join(self.root, *relative.split("/"))

    def _file_in_the_way(self, relative: str) -> bool:
        parent = os.path.dirname(self._path(relative))
        while len(parent) > len(self.root):
            if os.path.lexists(parent) and not os.path.isdir(parent):
                return True
            parent = os.path.dirname(parent)
        return False

    def log(self, kind: str, **fields: Any) -> None:
        self._log.write(json.dumps({"kind": kind, **fields}, ensure_ascii=False) + "\n")
        self._log.flush()

    def close(self) -> None:
        self._log.close()
