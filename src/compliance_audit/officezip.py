"""Opening .xlsx and .docx files (zip packages) from untrusted sources.

An Office file is a zip of XML parts, and everything about it can be broken or hostile: no
sheets, a sheet that is not XML, a shared-string index out of range, a date cell 2021-02-30, a
number cell holding text, a cell reference like ZZZZZZ2, broken deflate data, encrypted entries,
a few kilobytes that unpack to gigabytes. The package is checked before a library opens it
(check_package), and whatever the library raises while it parses the file is the file's fault,
so it is reported as bad input (parsing, used for the PDF library too); nothing but the library's
own calls runs inside.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from compliance_audit.errors import InputError

MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_MEMBERS = 10_000

T = TypeVar("T")
# A password-protected .xlsx/.docx is not a zip but an OLE compound file, like the old formats.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_package(path: Path, what: str, *, max_unpacked: int = MAX_UNPACKED_BYTES) -> list[zipfile.ZipInfo]:
    """The package's members, once it is known to be a zip that is neither encrypted nor too big
    once unpacked (the sizes a zip declares bound what reading it can produce)."""
    try:
        with path.open("rb") as handle:
            if handle.read(len(_OLE_MAGIC)) == _OLE_MAGIC:
                raise InputError(
                    f"不是 {what}：这是旧版 Office 文件（.xls/.doc），或设置了打开密码的文件",
                    file=path,
                    expected="另存为 .xlsx/.docx，不设密码",
                )
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except FileNotFoundError:
        raise InputError("文件不存在", file=path) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise InputError(f"不是有效的 {what}（不是 zip 包：{type(error).__name__}）", file=path) from None
    if len(members) > MAX_MEMBERS:
        raise InputError(
            f"不是有效的 {what}（包内文件过多：{len(members)} 个，上限 {MAX_MEMBERS}）", file=path
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise InputError(
            f"{what}已加密或设置了打开密码", file=path, expected="未加密的文件（另存时不设密码）"
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked:
        raise InputError(f"{what}解压后过大（{unpacked} 字节，上限 {max_unpacked} 字节）", file=path)
    return members


@contextmanager
def parsing(path: Path, what: str, location: str | None = None) -> Iterator[None]:
    """Around a library's parsing calls: any error it raises becomes bad input naming the file."""
    try:
        yield
    except InputError:
        raise
    except Exception as error:  # the library's parser met something it could not read
        raise InputError(f"不是有效的 {what}（{_describe(error)}）", file=path, location=location) from None


def guarded(rows: Iterator[T], path: Path, what: str) -> Iterator[T]:
    """A library's lazy iterator (rows parsed as they are asked for), with parsing() around each step."""
    while True:
        with parsing(path, what):
            try:
                row = next(rows)
            except StopIteration:
                return
        yield row


def _describe(error: Exception) -> str:
    detail = str(error).splitlines()[0][:120] if str(error) else ""
    return f"{type(error).__name__}：{detail}" if detail else type(error).__name__
