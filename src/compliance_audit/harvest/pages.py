"""The files of a saved portal: which are pages, reading them within bounds, and their charset.

A mirror is untrusted and messy: attachments and images beside the pages, binary files saved
with an .html suffix, huge pages, pages in GBK that declare UTF-8 (or declare nothing). Each file
either becomes page text or is skipped with a reason; nothing here stops the harvest.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# Real article pages are well under 1 MB; a bigger "page" is a data dump or an attack.
MAX_PAGE_BYTES = 16 * 1024 * 1024


class Skip:
    """Why a file is not an item (the summary counts files by these)."""

    ATTACHMENT = "附件（PDF、Word、Excel 等）"
    RESOURCE = "静态资源（样式、脚本、图片等）"
    NOT_A_PAGE = "不是网页或文本页面"
    SYMLINK = "符号链接（未读取）"
    UNREADABLE = "无法读取"
    TOO_LARGE = "页面过大"
    BINARY = "二进制内容，不是网页"
    UNDECODABLE = "无法识别字符编码"
    LIST = "列表页或首页"
    NO_METADATA = "没有元数据块，也没有标题和日期"
    NO_TITLE = "缺少标题"
    NO_DATE = "缺少可识别的发布日期"
    DUPLICATE = "重复页面"


class PageSkipped(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


HTML_SUFFIXES = frozenset(
    {".html", ".htm", ".shtml", ".shtm", ".xhtml", ".jsp", ".php", ".asp", ".aspx", ".do", ".action"}
)
TEXT_SUFFIXES = frozenset({".txt"})
ATTACHMENT_SUFFIXES = frozenset(
    {
        ".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".csv", ".ppt", ".pptx", ".dps", ".odt",
        ".ods", ".ofd", ".rtf", ".zip", ".rar", ".7z", ".gz", ".tar", ".ceb",
    }
)  # fmt: skip
RESOURCE_SUFFIXES = frozenset(
    {
        ".css", ".js", ".json", ".xml", ".map", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".svg", ".ico",
        ".webp", ".tif", ".tiff", ".woff", ".woff2", ".ttf", ".eot", ".otf", ".mp3", ".mp4", ".flv", ".swf",
        ".avi", ".wmv", ".mov", ".wav",
    }
)  # fmt: skip

PageKind = Literal["html", "text"]


@dataclass(frozen=True, slots=True)
class PageFile:
    # Plain strings, not Path objects: pathlib interns every path component for the life of the
    # process, which would make memory grow with the number of files in the mirror.
    path: str
    relative: str  # inside the mirror, with "/" separators


@dataclass(slots=True)
class PageText:
    text: str
    kind: PageKind
    encoding: str
    warnings: list[str] = field(default_factory=list)


def walk(mirror: Path) -> Iterator[PageFile]:
    """Every file of the mirror in a stable order, without hidden files and directories (a .git or
    .DS_Store is not part of the site)."""
    for directory, subdirectories, files in os.walk(mirror):
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith("."))
        inside = os.path.relpath(directory, mirror).replace(os.sep, "/")
        prefix = "" if inside == "." else inside + "/"
        for name in sorted(files):
            if not name.startswith("."):
                yield PageFile(os.path.join(directory, name), file_name_text(prefix + name))


def file_name_text(name: str) -> str:
    """A file name as text. Names are bytes on disk; one that is not UTF-8 (a site unzipped from an
    archive made on Chinese Windows has GBK names) reaches Python with surrogate escapes, which no
    report or file can hold: such a name is read as GB18030, else with the bad bytes replaced."""
    if name.isascii() or not _SURROGATES.search(name):
        return name
    raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")


_SURROGATES = re.compile("[\udc80-\udcff]")


def count_files(mirror: Path) -> int:
    return sum(1 for _ in walk(mirror))


def suffix_of(name: str) -> str:
    """wget saves a dynamic page as "show.jsp?id=3": the suffix is before the query."""
    return os.path.splitext(name.split("?", 1)[0])[1].lower()


def read_page(file: PageFile, header_charset: str | None = None) -> PageText:
    """The page's text, or PageSkipped saying why it is not a page that can be read. A crawled page
    comes with the charset its server sent, which wins over the page's own declaration."""
    suffix = suffix_of(os.path.basename(file.path))
    if suffix in ATTACHMENT_SUFFIXES:
        raise PageSkipped(Skip.ATTACHMENT, suffix)
    if suffix in RESOURCE_SUFFIXES:
        raise PageSkipped(Skip.RESOURCE, suffix)
    if os.path.islink(file.path):
        raise PageSkipped(Skip.SYMLINK)
    kind: PageKind
    if suffix in TEXT_SUFFIXES:
        kind = "text"
    elif suffix in HTML_SUFFIXES or _looks_like_html(_read_bounded(file.path, _HTML_SNIFF)):
        kind = "html"
    else:
        raise PageSkipped(Skip.NOT_A_PAGE, suffix or "无后缀")
    raw = _read_bounded(file.path)
    binary = _binary_kind(raw)
    if binary:
        raise PageSkipped(Skip.BINARY, binary)
    declared = header_charset or (declared_charset(raw) if kind == "html" else None)
    text, encoding, warnings = decode(raw, declared)
    return PageText(text, kind, encoding, warnings)


_HTML_SNIFF = 1024


def _read_bounded(path: str, head: int | None = None) -> bytes:
    """The file's bytes (or its first `head` bytes), refusing files over MAX_PAGE_BYTES and
    anything that is not a regular file (a FIFO would block the harvest forever)."""
    limit = MAX_PAGE_BYTES
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            raise PageSkipped(Skip.NOT_A_PAGE, "不是普通文件")
        size = status.st_size
        if size > limit:
            raise PageSkipped(Skip.TOO_LARGE, f"{size} 字节，上限 {limit} 字节")
        with open(path, "rb") as handle:
            # read(n) allocates n bytes up front: ask for the file's size, not the limit.
            raw = handle.read(min(size + 1, head) if head else size + 1)
    except OSError as error:
        raise PageSkipped(Skip.UNREADABLE, error.strerror or type(error).__name__) from None
    if len(raw) > limit:  # the file grew after stat
        raise PageSkipped(Skip.TOO_LARGE, f"超过 {limit} 字节")
    return raw


def _looks_like_html(raw: bytes) -> bool:
    head = raw[:_HTML_SNIFF].lower()
    return any(marker in head for marker in (b"<html", b"<!doctype html", b"<head", b"<meta", b"<body"))


_MAGIC = (
    (b"%PDF", "PDF 文件"),
    (b"PK\x03\x04", "ZIP/Office 文件"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文件"),
    (b"\x89PNG", "PNG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩内容"),
)
_CONTROL_BYTES = bytes(byte for byte in range(0x20) if byte not in b"\t\n\r\f\x1b")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _binary_kind(raw: bytes) -> str | None:
    for magic, name in _MAGIC:
        if raw.startswith(magic):
            return name
    if raw.startswith(_BOMS):
        return None
    head = raw[:8192]
    if b"\x00" in head:
        return "含空字节"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return "含大量控制字符" if controls * 20 > len(head) else None


_DECLARED = re.compile(
    rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)|<\?xml[^>]{0,200}?encoding\s*=\s*["']([a-z0-9_.:-]+)""",
    re.IGNORECASE,
)
# Portals put long inline scripts in <head>, so look further than the HTML standard's 1 KB.
_DECLARATION_WINDOW = 16 * 1024


def declared_charset(raw: bytes) -> str | None:
    match = _DECLARED.search(raw[:_DECLARATION_WINDOW])
    if match is None:
        return None
    return (match.group(1) or match.group(2)).decode("ascii").lower()


# Pages that say GB2312 or GBK often hold characters only GBK/GB18030 have; GB18030 reads them all.
_GB_FAMILY = frozenset({"gb2312", "gbk", "cp936", "x-gbk", "euc-cn", "gb_2312-80", "csgb2312", "gb18030"})
_DETECTABLE = ["utf_8", "gb18030", "big5"]
# A Western single-byte charset decodes any bytes, so declaring one on a Chinese page (a common
# server default) proves nothing: such a page is detected, and read as declared only if nothing fits.
_SINGLE_BYTE = frozenset({"iso8859-1", "iso8859-15", "cp1252", "ascii"})
_BOM_CODECS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _codec(name: str) -> str | None:
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "gb18030" if codec in _GB_FAMILY else codec


def decode(raw: bytes, declared: str | None) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings). UTF-8 that decodes is UTF-8 whatever the page says (GBK text is
    almost never valid UTF-8); then the declared charset; then detection. A few bad bytes (a page
    cut off inside a character) are replaced and reported rather than failing the page."""
    for bom, codec in _BOM_CODECS:
        if raw.startswith(bom):
            text = raw.decode(codec, errors="replace")
            return text, codec.removesuffix("-sig"), _warnings(None, None, codec, text.count("\ufffd"))
    if raw.isascii():
        return raw.decode("ascii"), "ascii", []
    declared_codec = _codec(declared) if declared else None
    candidates = ["utf-8"]
    if declared_codec and declared_codec not in _SINGLE_BYTE and declared_codec != "utf-8":
        candidates.append(declared_codec)
    for codec in candidates:
        decoded = _try_decode(raw, codec)
        if decoded is not None:
            return decoded[0], codec, _warnings(declared, declared_codec, codec, decoded[1])
    if declared_codec is None:
        # Most undeclared non-UTF-8 pages of mainland portals are GBK: when the bytes are valid
        # GB18030 and read as common simplified words, that is the answer, without the (slow)
        # statistical detection, which still decides everything else (Big5, damaged pages).
        guess = _try_decode(raw, "gb18030")
        if guess is not None and not guess[1] and any(word in guess[0] for word in _COMMON_WORDS):
            return guess[0], "gb18030", []
    from charset_normalizer import from_bytes

    match = from_bytes(raw, cp_isolation=_DETECTABLE).best()
    if match is not None:
        codec = codecs.lookup(match.encoding).name
        return str(match), codec, _warnings(declared, declared_codec, codec, 0)
    if declared_codec is not None and declared_codec in _SINGLE_BYTE:
        return raw.decode(declared_codec, errors="replace"), declared_codec, []
    raise PageSkipped(Skip.UNDECODABLE, f"声明为 {declared}" if declared else "未声明字符集")


_COMMON_WORDS = ("的", "政府", "公开", "信息", "通知")
_MAX_BAD_BYTES = 3


def _try_decode(raw: bytes, codec: str) -> tuple[str, int] | None:
    try:
        return raw.decode(codec), 0
    except UnicodeDecodeError as error:
        position = error.end
    except LookupError:
        return None
    # Text in another charset fails again within a few characters: give up after the fourth bad
    # spot rather than decode the whole page with replacements to count them.
    for _ in range(_MAX_BAD_BYTES):
        try:
            raw[position:].decode(codec)
            break
        except UnicodeDecodeError as error:
            position += error.end
    else:
        return None
    text = raw.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    non_ascii = len(raw.translate(None, bytes(range(128))))
    # A page cut off inside a character has one or two bad bytes among thousands of good ones;
    # text in another charset has bad bytes all through it.
    return (text, bad) if bad <= _MAX_BAD_BYTES and bad * 100 <= non_ascii else None


def _warnings(declared: str | None, declared_codec: str | None, used: str, bad: int) -> list[str]:
    warnings = []
    if declared and declared_codec is None:
        warnings.append(f"声明的字符集“{declared}”无法识别，已按 {used} 读取")
    elif declared and declared_codec != used:
        warnings.append(f"声明的字符集为 {declared}，但内容是 {used}，已按 {used} 读取")
    if bad:
        warnings.append(f"有 {bad} 处字节无法按 {used} 解码，已替换（页面可能不完整）")
    return warnings
