"""The one writer of outputs: only regular files, atomically, never over an input, clean on interrupt.

- `-o -` is standard output. Any other target must be a regular file or not exist yet: a
  directory, device, FIFO or socket is refused (replacing /dev/null with a report, as root, is
  how a careless writer breaks a machine), and so is a symbolic link (it is neither followed nor
  replaced: say the real path). Nothing is written over an input of the same run, or into an
  input folder (a saved portal).
- A file appears complete or not at all: the data goes to a temporary file beside the target,
  which then replaces it. Several files written together (an inventory and its sidecar) are
  replaced together: if one cannot be, those already replaced get their old content back.
- An interrupted run (SIGINT, SIGTERM) leaves no temporary file behind; the renames themselves run
  with both signals held back, so an interrupt comes after them, never between them.
- A new file gets the permissions the umask gives; a replaced file keeps its own.
"""

from __future__ import annotations

import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import BinaryIO

from compliance_audit.errors import InputError

STDOUT = "-"
_HELD = {signal.SIGINT, signal.SIGTERM}


def is_stdout(path: Path | str | None) -> bool:
    return path is not None and str(path) == STDOUT


def check_output(path: Path, inputs: Iterable[Path | None] = ()) -> None:
    """Refuse, before any work is done, an output that cannot or must not be written."""
    if is_stdout(path):
        return
    for source in inputs:
        if source is not None:
            _refuse_input(path, source)
    _refuse_special(path)
    directory = _directory(path)
    if not directory.is_dir():
        raise InputError("输出目录不存在", file=directory)


def write_output(path: Path, data: str | bytes, inputs: Iterable[Path | None] = ()) -> None:
    """Write one output (or standard output for `-`)."""
    if is_stdout(path):
        stream = sys.stdout.buffer
        stream.write(_payload(data))
        stream.flush()
        return
    write_outputs([(path, data)], inputs)


def write_outputs(files: Sequence[tuple[Path, str | bytes]], inputs: Iterable[Path | None] = ()) -> None:
    """Write files that belong together: afterwards all of them are written, or none has changed."""
    sources = list(inputs)
    for path, _ in files:
        if is_stdout(path):
            raise InputError("这一输出含多个文件，不能写到标准输出", field="-o", expected="文件名")
        check_output(path, sources)
    temporaries: list[Path] = []
    with _terminate_as_exception():
        try:
            staged = [(_stage(path, _payload(data), temporaries), path) for path, data in files]
            _commit(staged)
        finally:
            for temporary in temporaries:
                temporary.unlink(missing_ok=True)


@contextmanager
def atomic_output(
    path: Path, inputs: Iterable[Path | None] = (), companions: Sequence[tuple[Path, str | bytes]] = ()
) -> Iterator[BinaryIO]:
    """A file to write one output into bit by bit (a large inventory is streamed, not held in
    memory), with the checks of write_outputs; it replaces path only when the block ends without
    an error, and `-` is standard output. Small files that belong with it (a CSV inventory's
    sidecar) are replaced together with it, all or none."""
    if is_stdout(path) and not companions:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    sources = list(inputs)
    for target in [path, *(companion for companion, _ in companions)]:
        if is_stdout(target):
            raise InputError("这一输出含多个文件，不能写到标准输出", field="-o", expected="文件名")
        check_output(target, sources)
    temporaries: list[Path] = []
    with _terminate_as_exception():
        try:
            temporary = _stage(path, b"", temporaries)
            try:
                with temporary.open("wb") as stream:  # not append: a zip writer seeks back
                    yield stream
                    stream.flush()
                    os.fsync(stream.fileno())
            except OSError as error:
                raise InputError(f"无法写入（{error.strerror}）", file=path) from None
            staged = [(_stage(target, _payload(data), temporaries), target) for target, data in companions]
            _commit([(temporary, path), *staged])
        finally:
            for temporary in temporaries:
                temporary.unlink(missing_ok=True)


def write_output_chunks(
    path: Path, chunks: Iterable[str | bytes], inputs: Iterable[Path | None] = ()
) -> None:
    """As write_output, for an output produced piece by piece (a large HTML summary): never whole
    in memory, still never seen half-written."""
    with atomic_output(path, inputs) as stream:
        for chunk in chunks:
            stream.write(_payload(chunk))


def _payload(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _directory(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _refuse_special(path: Path) -> None:
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise InputError(f"无法访问输出路径（{error.strerror}）", file=path) from None
    if stat.S_ISLNK(status.st_mode):
        raise InputError(
            "输出路径是符号链接，不会替换或跟随它",
            file=path,
            expected="链接指向的实际文件路径，或 -o - 写到标准输出",
        )
    if stat.S_ISDIR(status.st_mode):
        raise InputError("输出路径是一个目录", file=path, expected="文件路径")
    if not stat.S_ISREG(status.st_mode):
        raise InputError(
            "输出路径不是普通文件（设备、管道或套接字），不会写入",
            file=path,
            expected="普通文件路径，或 -o - 写到标准输出",
        )


def _refuse_input(output: Path, source: Path) -> None:
    real_output = os.path.realpath(output)
    if source.is_dir():
        inside = os.path.realpath(source)
        if os.path.commonpath([real_output, inside]) == inside:
            raise InputError(f"输出位于输入目录 {source} 之中，不会改动输入", file=output)
        return
    if not source.exists():
        return
    same = os.path.realpath(source) == real_output
    if not same and output.exists():
        same = os.path.samefile(source, output)
    if same:
        raise InputError(f"输出文件就是本次运行的输入 {source}，不会覆盖输入", file=output)


def _stage(path: Path, payload: bytes, temporaries: list[Path]) -> Path:
    """The payload in a temporary file beside path, with the permissions path will have; the file
    is in `temporaries` (for the caller to remove) from the moment it exists."""
    directory = _directory(path)
    held = _hold_signals()
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        temporary = Path(name)
        temporaries.append(temporary)
    except OSError as error:
        raise InputError(f"无法在输出目录中写入（{error.strerror}）", file=directory) from None
    finally:
        _release_signals(held)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fchmod(stream.fileno(), _mode_for(path))
            os.fsync(stream.fileno())
    except OSError as error:
        raise InputError(f"无法写入（{error.strerror}）", file=path) from None
    return temporary


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _commit(staged: Sequence[tuple[Path, Path]]) -> None:
    """Rename every temporary file over its target, with SIGINT and SIGTERM held back; on failure
    put back what was replaced."""
    held = _hold_signals()
    done: list[tuple[Path, Path | None]] = []
    try:
        for temporary, target in staged:
            _refuse_special(target)  # it may have changed while the output was prepared
            backup = _backup(target) if len(staged) > 1 else None
            try:
                os.replace(temporary, target)
            except OSError as error:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                _roll_back(done)
                raise InputError(f"无法写入（{error.strerror}）", file=target) from None
            done.append((target, backup))
        for _, backup in done:
            if backup is not None:
                backup.unlink(missing_ok=True)
    except InputError:
        _roll_back(done)
        raise
    finally:
        _release_signals(held)


def _backup(target: Path) -> Path | None:
    """A second name for the file about to be replaced, so that it can be put back."""
    if not target.exists():
        return None
    backup = target.with_name(f".{target.name}.{os.getpid()}.bak")
    try:
        backup.unlink(missing_ok=True)
        os.link(target, backup)
    except OSError:
        return None
    return backup


def _roll_back(done: list[tuple[Path, Path | None]]) -> None:
    for target, backup in reversed(done):
        if backup is not None:
            os.replace(backup, target)
        else:
            target.unlink(missing_ok=True)
    done.clear()


def _hold_signals() -> set[int | signal.Signals] | None:
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)


def _release_signals(previous: set[int | signal.Signals] | None) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class Terminated(BaseException):
    """SIGTERM arrived while an output was being written (raised so that clean-up code runs)."""


@contextmanager
def _terminate_as_exception() -> Iterator[None]:
    """While outputs are written, SIGTERM unwinds the stack like Ctrl-C does, so the temporary
    files are removed; then the process ends by the signal, as it would have."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(number: int, frame: FrameType | None) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    except Terminated:
        signal.signal(signal.SIGTERM, previous)
        os.kill(os.getpid(), signal.SIGTERM)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
