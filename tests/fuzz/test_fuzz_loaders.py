"""Property-based fuzzing of every loader (issue 9, point 8).

For every input a loader can be handed, however broken or hostile, the command that reads it:
- ends with exit code 0, 1 or 2, never a traceback (a bug would exit 70: see cli/base.py);
- on exit 2 prints one line that names the file;
- finishes (an example running past HANG_SECONDS fails as a hang);
- modifies no input, and writes nothing but its output (no temporary file left either);
- writes text reports with no control character, escape sequence or bidirectional override.
"""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from compliance_audit.cli import main
from compliance_audit.inventory import sidecar_path
from tests.fuzz import stats
from tests.fuzz.loaders import LOADERS, Loader, mirror_names

HANG_SECONDS = 30
_UNSAFE_IN_REPORTS = ("\x00", "\x1b", "\x07", "\u202e", "\u2066", "\r")


class Hang(BaseException):
    """Raised by the alarm: BaseException, so that no handler in the tool can take it for a bug."""


@contextmanager
def alarm(seconds: int) -> Iterator[None]:
    def ring(number: int, frame: FrameType | None) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def snapshot(workspace: Path) -> dict[str, tuple[str, int]]:
    """Every file under the workspace: its content hash and mode (FIFOs and sockets: their mode)."""
    files: dict[str, tuple[str, int]] = {}
    for directory, _, names in os.walk(workspace):
        for name in names:
            path = os.path.join(directory, name)
            status = os.lstat(path)
            if stat.S_ISREG(status.st_mode):
                with open(path, "rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
            else:
                digest = ""
            files[os.path.relpath(path, workspace)] = (digest, status.st_mode)
    return files


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.name)
@given(data=st.data())
def test_bad_input_never_crashes_hangs_or_clobbers(loader: Loader, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as directory:
        workspace = Path(directory)
        seeds = loader.seeds()
        for name, content in seeds.items():
            _write(workspace / name, content)
        for name in loader.fuzzed:
            _write(workspace / name, loader.bad_content(data, seeds[name]))
        if loader.mirror is not None:
            page = seeds[loader.fuzzed[0]]
            for raw_name in mirror_names(data):
                _write(workspace / loader.mirror / "extra" / os.fsdecode(raw_name), page)
            if data.draw(st.booleans(), label="a FIFO in the mirror"):
                os.mkfifo(workspace / loader.mirror / "管道.html")
        output = workspace / loader.output
        output.parent.mkdir(exist_ok=True)
        command = [str(part) for part in loader.command(workspace, output, data)]
        before = snapshot(workspace)

        started = time.perf_counter()
        hang = False
        crash_folder = tempfile.tempdir  # a bug's details go into the workspace, not the system's /tmp
        tempfile.tempdir = directory
        try:
            with alarm(HANG_SECONDS):
                result = CliRunner().invoke(main, ["--debug", *command])
        except Hang:
            hang = True
        finally:
            tempfile.tempdir = crash_folder
        seconds = time.perf_counter() - started
        case = " ".join(part.replace(directory, "…") for part in command)
        if hang:
            stats.record(loader.name, None, seconds, case, traceback=False, hang=True)
            pytest.fail(f"no answer after {HANG_SECONDS} s: {case}")
        traceback = "Traceback" in result.stderr or result.exit_code not in (0, 1, 2)
        stats.record(loader.name, result.exit_code, seconds, case, traceback=traceback, hang=False)

        assert not traceback, f"exit {result.exit_code} for {case}\n{result.stderr}"
        if result.exit_code == 2:
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1, result.stderr
            # by its path (the run's files are all in the workspace), or by the fuzzed file's name
            named = (directory, *(Path(name).name for name in loader.fuzzed))
            assert any(name in lines[0] for name in named), f"the message names no file: {lines[0]}"
        after = snapshot(workspace)
        for name, (digest, mode) in before.items():
            assert after.get(name) == (digest, mode), f"input {name} was modified or removed"
        written = set(after) - set(before)
        allowed = {loader.output, str(sidecar_path(Path(loader.output)))}
        assert written <= allowed, f"written outside the output: {sorted(written - allowed)}"
        text_report = "--format" in command and command[command.index("--format") + 1] in (
            "table",
            "markdown",
        )
        if result.exit_code in (0, 1) and text_report and output.exists():
            report = output.read_text(encoding="utf-8")
            assert not any(char in report for char in _UNSAFE_IN_REPORTS), (
                "unsafe characters in a text report"
            )
