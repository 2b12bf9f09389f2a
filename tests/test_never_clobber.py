"""Outputs never clobber (issue 9, points 5-7), a bug is never read as findings (point 2), and text
from inputs is safe to print (point 4)."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from compliance_audit import output
from compliance_audit.errors import InputError
from compliance_audit.inventory import load_inventory, sidecar_path
from compliance_audit.output import write_outputs
from tests.helpers import EXAMPLE, REPO, run_cli

BUREAU = "bureau:\n  name: 秦州区司法局\n"
AS_OF = ("--as-of", "2021-03-10")
PAGE = (
    "<html><head><title>秦州区司法局领导信息</title></head><body>"
    "<div class='crumb'>当前位置：首页 > 领导信息</div>"
    "<table><tr><td>索引号：</td><td>20230618-164604-828</td></tr>"
    "<tr><td>发布日期：</td><td>2021-02-01</td></tr></table><h1>秦州区司法局领导信息</h1></body></html>"
)


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def leftovers(directory: Path) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name.endswith((".tmp", ".bak")))


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "ldxx").mkdir(parents=True)
    (site / "ldxx" / "1.html").write_text(PAGE, encoding="utf-8")
    return site


# --- point 5: only regular files ------------------------------------------------------------------


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "管道"
    os.mkfifo(path)
    return path


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "套接字"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    yield path
    server.close()


def _null_device(tmp_path: Path) -> Path:
    """A private copy of /dev/null (as root, which is when replacing a device does harm)."""
    path = tmp_path / "null"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        return Path("/dev/null")
    return path


def test_a_device_is_never_replaced(tmp_path: Path) -> None:
    device = _null_device(tmp_path)
    before = os.stat(device)
    message = one_line(run_cli("audit", EXAMPLE, *AS_OF, "-o", device).stderr)
    assert str(device) in message and "不是普通文件" in message
    assert stat.S_ISCHR(os.stat(device).st_mode) and os.stat(device).st_ino == before.st_ino


def test_fifo_socket_and_directory_are_refused(tmp_path: Path, unix_socket: Path) -> None:
    for target, expected in (
        (_fifo(tmp_path), "不是普通文件"),
        (unix_socket, "不是普通文件"),
        (tmp_path, "目录"),
    ):
        result = run_cli("audit", EXAMPLE, *AS_OF, "-o", target)
        assert result.exit_code == 2
        assert expected in one_line(result.stderr)
    assert stat.S_ISFIFO(os.stat(tmp_path / "管道").st_mode) and stat.S_ISSOCK(os.stat(unix_socket).st_mode)


def test_proc_fd_and_unwritable_folders(tmp_path: Path) -> None:
    fd = run_cli("audit", EXAMPLE, *AS_OF, "-o", "/proc/self/fd/1")
    assert fd.exit_code == 2 and "符号链接" in one_line(fd.stderr)
    # /proc/self is a folder where nobody, root included, can create a file
    unwritable = run_cli("audit", EXAMPLE, *AS_OF, "-o", "/proc/self/报告.json")
    assert unwritable.exit_code == 2 and "无法在输出目录中写入" in one_line(unwritable.stderr)
    missing = run_cli("audit", EXAMPLE, *AS_OF, "-o", tmp_path / "没有" / "报告.json")
    assert missing.exit_code == 2 and "输出目录不存在" in one_line(missing.stderr)


def test_dash_is_standard_output(tmp_path: Path) -> None:
    result = run_cli("audit", EXAMPLE, *AS_OF, "--format", "json", "-o", "-", "--fail-on", "never")
    assert result.exit_code == 0 and result.stdout.startswith("{") and not (Path.cwd() / "-").exists()
    table = tmp_path / "目录.html"
    table.write_bytes((REPO / "tests" / "fixtures" / "catalogue_import" / "dongyang.html").read_bytes())
    imported = run_cli("catalogue", "import", table, "-o", "-", "--id", "dongyang-test")
    assert imported.exit_code == 0 and "id: dongyang-test" in imported.stdout


def test_a_symlink_is_neither_followed_nor_replaced(tmp_path: Path) -> None:
    target = tmp_path / "别处.json"
    target.write_text("原有内容", encoding="utf-8")
    link = tmp_path / "报告.json"
    link.symlink_to(target)
    result = run_cli("audit", EXAMPLE, *AS_OF, "--format", "json", "-o", link)
    assert result.exit_code == 2 and "符号链接" in one_line(result.stderr)
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "原有内容"


# --- point 5: never over an input of the same run -------------------------------------------------


def test_audit_output_is_never_one_of_its_inputs(tmp_path: Path, mirror: Path) -> None:
    inventory = tmp_path / "清单.csv"
    inventory.write_text("标题,发布日期\n秦州区司法局领导信息,2021-02-01\n", encoding="utf-8")
    sidecar = sidecar_path(inventory)
    sidecar.write_text(BUREAU, encoding="utf-8")
    waivers = tmp_path / "豁免.yaml"
    waivers.write_text("waivers:\n  - rule: ogi-26-timeliness\n    reason: 已整改\n", encoding="utf-8")
    calendar = tmp_path / "日历.yaml"
    calendar.write_text("source: 通知\nyears:\n  2027:\n    holidays: [2027-01-01]\n", encoding="utf-8")
    catalogue = tmp_path / "目录.yaml"
    imported = run_cli(
        "catalogue", "import", REPO / "tests/fixtures/catalogue_import/dongyang.html", "-o", catalogue
    )
    assert imported.exit_code == 0
    options = ("--waivers", waivers, "--calendar", calendar, "--catalogue", catalogue)
    protected = [inventory, sidecar, waivers, calendar, catalogue]
    contents = {path: path.read_bytes() for path in protected}
    for target in protected:
        result = run_cli("audit", inventory, *AS_OF, *options, "-o", target)
        assert result.exit_code == 2, target
        assert "不会覆盖输入" in one_line(result.stderr)
    hard_link = tmp_path / "硬链接.csv"
    os.link(inventory, hard_link)
    assert run_cli("audit", inventory, *AS_OF, "-o", hard_link).exit_code == 2
    assert {path: path.read_bytes() for path in protected} == contents

    site_files = sorted(mirror.rglob("*"))
    for target in (mirror / "ldxx" / "1.html", mirror / "报告.json", mirror / "ldxx" / "新.json"):
        result = run_cli("audit", mirror, "--bureau-name", "秦州区司法局", *AS_OF, "-o", target)
        assert result.exit_code == 2 and "输入目录" in one_line(result.stderr)
    assert sorted(mirror.rglob("*")) == site_files and (mirror / "ldxx" / "1.html").read_text("utf-8") == PAGE


def test_harvest_never_writes_into_the_mirror_or_over_its_bureau_file(tmp_path: Path, mirror: Path) -> None:
    bureau = tmp_path / "清单.bureau.yaml"
    bureau.write_text(BUREAU, encoding="utf-8")
    inside = run_cli("harvest", mirror, "-o", mirror / "清单.yaml", "--bureau-name", "秦州区司法局")
    assert inside.exit_code == 2 and "输入目录" in one_line(inside.stderr)
    # 清单.csv's sidecar would be the --bureau file itself
    over = run_cli("harvest", mirror, "-o", tmp_path / "清单.csv", "--bureau", bureau)
    assert over.exit_code == 2 and "不会覆盖输入" in one_line(over.stderr)
    assert bureau.read_text(encoding="utf-8") == BUREAU and not (tmp_path / "清单.csv").exists()


def test_a_hand_written_sidecar_is_only_replaced_with_force(tmp_path: Path, mirror: Path) -> None:
    inventory = tmp_path / "清单.csv"
    sidecar = sidecar_path(inventory)
    harvest = ("harvest", mirror, "-o", inventory, "--bureau-name", "秦州区司法局")

    assert run_cli(*harvest).exit_code == 0
    assert run_cli(*harvest).exit_code == 0  # its own sidecar, unchanged since: replaced freely
    edited = sidecar.read_text(encoding="utf-8").replace(
        "level: county", "level: county\n  region: 甘肃省天水市"
    )
    sidecar.write_text(edited, encoding="utf-8")
    refused = run_cli(*harvest)
    assert refused.exit_code == 2 and "手工" in one_line(refused.stderr) and "--force" in refused.stderr
    assert sidecar.read_text(encoding="utf-8") == edited
    hand_written = tmp_path / "手写.csv"
    sidecar_path(hand_written).write_text(BUREAU, encoding="utf-8")
    assert run_cli("harvest", mirror, "-o", hand_written, "--bureau-name", "某县司法局").exit_code == 2
    assert not hand_written.exists() and sidecar_path(hand_written).read_text(encoding="utf-8") == BUREAU

    assert run_cli(*harvest, "--force").exit_code == 0
    assert load_inventory(inventory).bureau.region == ""


# --- point 6: complete or absent, clean on interrupt, permissions ---------------------------------


def test_several_files_are_written_together_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "清单.csv", tmp_path / "清单.bureau.yaml"
    first.write_text("旧清单", encoding="utf-8")
    real_replace = os.replace

    def failing_replace(source: str | Path, target: str | Path) -> None:
        if Path(target) == second:
            raise PermissionError(13, "Permission denied")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(InputError, match="无法写入"):
        write_outputs([(first, "新清单"), (second, BUREAU)])
    assert first.read_text(encoding="utf-8") == "旧清单" and not second.exists()
    assert leftovers(tmp_path) == []


def test_ctrl_c_while_writing_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real_fsync = os.fsync

    def interrupted(descriptor: int) -> None:
        calls.append(descriptor)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_outputs([(tmp_path / "清单.csv", "表"), (tmp_path / "清单.bureau.yaml", BUREAU)])
    assert os.listdir(tmp_path) == []


def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path: Path) -> None:
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from compliance_audit import output\n"
        "real = output._stage\n"
        "def stage(path, *rest):\n"
        "    staged = real(path, *rest)\n"
        "    if path.suffix == '.yaml':\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "    return staged\n"
        "output._stage = stage\n"
        "d = Path(sys.argv[1])\n"
        "output.write_outputs([(d / 'a.csv', 'x'), (d / 'a.bureau.yaml', 'y')])\n"
        "print('not reached')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == -15 and "not reached" not in done.stdout
    assert os.listdir(tmp_path) == []


def test_new_files_follow_the_umask_and_replaced_files_keep_their_mode(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        output.write_output(tmp_path / "新.json", "{}")
        kept = tmp_path / "旧.json"
        kept.write_text("{}", encoding="utf-8")
        kept.chmod(0o604)
        output.write_output(kept, '{"a": 1}')
    finally:
        os.umask(previous)
    assert stat.S_IMODE(os.stat(tmp_path / "新.json").st_mode) == 0o640
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o604 and kept.read_text(encoding="utf-8") == '{"a": 1}'


# --- point 7: a template without a name --------------------------------------------------------


@pytest.mark.parametrize("suffix", ["yaml", "csv", "xlsx"])
def test_init_without_a_name_then_audit_with_one(tmp_path: Path, suffix: str) -> None:
    template = tmp_path / f"模板.{suffix}"
    assert run_cli("init", "-o", template).exit_code == 0
    audited = run_cli("audit", template, "--bureau-name", "天水市秦州区司法局", *AS_OF, "--format", "json")
    assert audited.exit_code in (0, 1), audited.output
    assert json.loads(audited.stdout)["bureau"]["name"] == "天水市秦州区司法局"
    unnamed = run_cli("audit", template, *AS_OF)
    assert unnamed.exit_code == 2 and "--bureau-name" in one_line(unnamed.stderr)


# --- point 2: a bug exits 70, never 1 -------------------------------------------------------------


def test_a_bug_exits_70_and_says_where_the_details_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import compliance_audit.audit

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(compliance_audit.audit, "run_audit", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = run_cli("audit", EXAMPLE, *AS_OF)
    assert result.exit_code == 70
    message = one_line(result.stderr)
    assert "内部错误（ZeroDivisionError）" in message and "请报告" in message
    [crash] = list(tmp_path.glob("compliance-audit-crash-*.txt"))
    assert str(crash) in message and stat.S_IMODE(os.stat(crash).st_mode) == 0o600
    assert "Traceback" in crash.read_text(encoding="utf-8") and "division by zero" in crash.read_text("utf-8")

    debug = run_cli("--debug", "audit", EXAMPLE, *AS_OF)
    assert debug.exit_code == 70
    assert "Traceback" in debug.stderr and "ZeroDivisionError" in debug.stderr.strip().splitlines()[-2]


# --- point 4: text from inputs is safe to print ---------------------------------------------------

HOSTILE_TITLE = "秦州区司法局\x1b[2J\x1b]0;pwned\x07领导\u202e信息\r覆盖"


@pytest.mark.parametrize("report_format", ["table", "markdown"])
def test_reports_show_control_characters_as_codes(tmp_path: Path, report_format: str) -> None:
    path = tmp_path / "清单.json"
    path.write_text(
        '{"bureau": {"name": "秦州区司法局"}, "items": [{"title": '
        + json.dumps(HOSTILE_TITLE)
        + ', "published": "2021-02-01", "formed": "2020-01-01"}]}',
        encoding="utf-8",
    )
    result = run_cli("audit", path, *AS_OF, "--format", report_format)
    assert result.exit_code in (0, 1)
    for unsafe in ("\x1b", "\x07", "\u202e", "\r"):
        assert unsafe not in result.stdout
    # shown as codes (which Markdown escapes once more: \\x1b\\[2J)
    assert "x1b" in result.stdout and "u202e" in result.stdout and "pwned" in result.stdout


def test_error_messages_show_control_characters_as_codes(tmp_path: Path) -> None:
    path = tmp_path / "清单\u202e.csv"
    path.write_text("标题,发布日期\n秦州区司法局领导信息,2021-02-30\x1b[31m\n", encoding="utf-8")
    result = run_cli("audit", path, "--bureau-name", "秦州区司法局", *AS_OF)
    message = one_line(result.stderr)
    assert result.exit_code == 2 and "\x1b" not in message and "\u202e" not in message
    assert "\\x1b[31m" in message and "清单\\u202e.csv" in message


def test_ctrl_c_exits_130_and_a_closed_pipe_141(monkeypatch: pytest.MonkeyPatch) -> None:
    import compliance_audit.audit

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(compliance_audit.audit, "run_audit", interrupted)
    result = run_cli("audit", EXAMPLE, *AS_OF)
    assert result.exit_code == 130 and one_line(result.stderr) == "compliance-audit: 已中断"
    monkeypatch.undo()

    reader_gone = subprocess.Popen(
        [sys.executable, "-m", "compliance_audit", "audit", EXAMPLE, *AS_OF, "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader_gone.stdout is not None and reader_gone.stderr is not None
    reader_gone.stdout.close()
    stderr = reader_gone.stderr.read().decode("utf-8")
    assert reader_gone.wait(timeout=60) == 141
    assert "Traceback" not in stderr and "输出管道已关闭" in stderr


def test_a_streamed_output_replaces_its_target_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "清单.jsonl"
    target.write_text("旧内容\n", encoding="utf-8")
    with pytest.raises(RuntimeError), output.atomic_output(target) as stream:
        stream.write("第一行\n".encode())
        raise RuntimeError("the producer failed halfway")
    assert target.read_text(encoding="utf-8") == "旧内容\n" and leftovers(tmp_path) == []
    with output.atomic_output(target, [tmp_path / "其他输入.csv"]) as stream:
        for line in ("第一行\n", "第二行\n"):
            stream.write(line.encode())
    assert target.read_text(encoding="utf-8") == "第一行\n第二行\n" and leftovers(tmp_path) == []
    with pytest.raises(InputError, match="符号链接"):
        link = tmp_path / "链接.jsonl"
        link.symlink_to(target)
        with output.atomic_output(link):
            pass
