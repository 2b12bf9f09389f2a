"""Writing outputs: atomically (a reader never sees half a report) and never over an input."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from compliance_audit.errors import InputError


def write_atomic(path: Path, data: str | bytes) -> None:
    write_atomic_chunks(path, (data,))


def write_atomic_chunks(path: Path, chunks: Iterable[str | bytes]) -> None:
    """As write_atomic, for an output produced piece by piece (a large HTML summary): never whole
    in memory, still never seen half-written."""
    with atomic_output(path) as stream:
        for chunk in chunks:
            stream.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A file to write an output into bit by bit (a large inventory is streamed, not held in
    memory); it replaces path only when the block ends without an error."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("输出目录不存在", file=directory)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise InputError(f"无法写入：{error.strerror}", file=path) from None
        raise


def refuse_overwrite(output: Path, *inputs: Path) -> None:
    for source in inputs:
        if output.exists() and source.exists() and output.resolve() == source.resolve():
            raise InputError("输出文件与输入文件相同，不会覆盖输入", file=output)
