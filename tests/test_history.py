"""History: every batch and every `audit --history` recorded in SQLite; a later run says per bureau
what is new, still open and fixed; an older database is upgraded, never discarded."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from compliance_audit.batch.history import MIGRATIONS, VERSION, History, Mark
from compliance_audit.errors import InputError
from tests.helpers import AS_OF, EXAMPLE, copy_examples, run_cli

FIXED_ITEM = """  - {index_no: 11620523MB0000000Z/2021-00010, title: 甘谷县司法局行政执法公示栏目更新说明,
     topic: 公安、安全、司法, publisher: 县司法局, formed: 2021-03-01, published: 2021-03-02,
     column: 工作动态, summary: ""}
"""


def _ranking(path: Path) -> dict[str, dict[str, object]]:
    sheet = load_workbook(path)["排名"]
    rows = list(sheet.iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    return {str(row[1]): dict(zip(headers, row, strict=True)) for row in rows[1:]}


def test_a_second_batch_reports_what_is_new_still_open_and_fixed(tmp_path: Path) -> None:
    manifest = copy_examples(tmp_path)
    database = tmp_path / "history.sqlite"
    first = run_cli(
        "batch", manifest, "-o", tmp_path / "q1", "--as-of", AS_OF, "-j", "1", "--history", database
    )
    assert first.exit_code == 1, first.output
    # later: 甘谷 posts a news item (the news column is current again), but without 内容概述
    gangu = manifest.parent / "gangu.yaml"
    gangu.write_text(gangu.read_text(encoding="utf-8") + FIXED_ITEM, encoding="utf-8")
    second = run_cli(
        "batch", manifest, "-o", tmp_path / "q2", "--as-of", AS_OF, "-j", "1", "--history", database
    )
    assert second.exit_code == 1, second.output

    before = _ranking(tmp_path / "q1" / "汇总.xlsx")
    after = _ranking(tmp_path / "q2" / "汇总.xlsx")
    assert before["甘谷县司法局"]["新增"] is None  # first record: nothing to compare with
    gangu_after = after["甘谷县司法局"]
    assert gangu_after["新增"] == 1  # the empty 内容概述
    assert gangu_after["已整改"] == 1  # the stale news column: a news item since
    earlier = before["甘谷县司法局"]
    assert gangu_after["仍未整改"] == sum(int(str(earlier[label])) for label in ("错误", "警告", "提示")) - 1
    qinzhou = after["天水市秦州区司法局"]
    assert (qinzhou["新增"], qinzhou["已整改"]) == (0, 0)
    assert qinzhou["得分趋势"] == "61.4 → 61.4"

    findings = load_workbook(tmp_path / "q2" / "汇总.xlsx")["问题"]
    rows = list(findings.iter_rows(values_only=True))
    change = rows[0].index("与上次相比")
    gangu_changes = sorted(str(row[change]) for row in rows[1:] if row[0] == "甘谷县司法局")
    assert gangu_changes.count("新增") == 1
    assert "已整改" in (tmp_path / "q2" / "汇总.html").read_text(encoding="utf-8")
    trend = load_workbook(tmp_path / "q2" / "汇总.xlsx")["趋势"]
    assert [cell.value for cell in trend[1]] == ["机关", AS_OF]

    listed = run_cli("history", "--history", database)
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.count("批量审计") == 2
    assert "天水市司法系统政务公开检查（2021年第一季度）" in listed.stdout
    one = run_cli("history", "--history", database, "--bureau", "甘谷县司法局", "--format", "json")
    runs = json.loads(one.stdout)
    assert [(run["new"], run["fixed"]) for run in runs] == [(runs[0]["new"], 0), (1, 1)]
    failed = run_cli("history", "--history", database, "--bureau", "清水县司法局")
    assert "未能审计" in failed.stdout and "2021年2月30日" in failed.stdout


def test_history_of_an_unknown_bureau_or_a_missing_database_is_bad_input(tmp_path: Path) -> None:
    missing = run_cli("history", "--history", tmp_path / "none.sqlite")
    assert missing.exit_code == 2
    assert "历史记录数据库不存在" in missing.stderr
    database = tmp_path / "h.sqlite"
    History(database).close()
    unknown = run_cli("history", "--history", database, "--bureau", "秦安县司法局")
    assert unknown.exit_code == 2
    assert "没有机关“秦安县司法局”" in unknown.stderr


def test_audit_with_history_compares_with_the_bureaus_last_run(tmp_path: Path) -> None:
    database = tmp_path / "h.sqlite"
    args = ("audit", EXAMPLE, "--as-of", AS_OF, "--fail-on", "never", "--history", database)
    first = run_cli(*args)
    assert "首次记入" in first.stderr
    second = run_cli(*args)
    assert "与上次（审计日 2021-03-10）相比：新增 0 个" in second.stderr
    assert "已整改 0 个" in second.stderr
    with History(database) as history:
        assert [run.kind for run in history.runs()] == ["audit", "audit"]


def _v1_database(path: Path) -> None:
    """A database as the first version of the schema wrote it."""
    connection = sqlite3.connect(path)
    connection.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    connection.execute(
        "INSERT INTO runs (recorded, as_of, kind, title) "
        "VALUES ('2021-01-05T10:00:00+08:00', '2020-12-31', 'batch', '')"
    )
    connection.execute("INSERT INTO results (run, bureau, score) VALUES (1, '甘谷县司法局', 70.5)")
    connection.executemany(
        "INSERT INTO findings (run, bureau, fingerprint, state) VALUES (1, '甘谷县司法局', ?, 'new')",
        [("aaaaaaaaaaaaaaaaaaaa",), ("bbbbbbbbbbbbbbbbbbbb",)],
    )
    connection.commit()
    connection.close()


def test_a_v1_database_is_upgraded_with_its_records_and_a_copy_kept(tmp_path: Path) -> None:
    database = tmp_path / "history.sqlite"
    _v1_database(database)
    original = database.read_bytes()
    with History(database) as history:
        assert history.version == VERSION == 2
        assert history.trend("甘谷县司法局") == (("2020-12-31", 70.5),)
        run = history.start_run(date(2021, 3, 10), "batch")
        changes = history.record(
            run,
            "甘谷县司法局",
            79.2,
            [Mark("bbbbbbbbbbbbbbbbbbbb", "ogi-12-guide", "warning", "指南缺少传真号码")],
        )
        assert changes is not None
        assert (changes.previous, changes.new, changes.still_open, changes.fixed) == ("2020-12-31", 0, 1, 1)
        assert history.fixed(run, "甘谷县司法局") == ["（旧版本未记录内容）"]
        assert history.trend("甘谷县司法局") == (("2020-12-31", 70.5), ("2021-03-10", 79.2))
    assert (tmp_path / "history.sqlite.v1.bak").read_bytes() == original
    reopened = sqlite3.connect(database)
    assert reopened.execute("PRAGMA user_version").fetchone()[0] == 2
    assert reopened.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == 4
    reopened.close()


def test_a_database_from_a_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    database = tmp_path / "history.sqlite"
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    before = database.read_bytes()
    with pytest.raises(InputError, match=r"更新版本.*格式版本 99"):
        History(database)
    assert database.read_bytes() == before


def test_a_file_that_is_not_a_database_is_bad_input(tmp_path: Path) -> None:
    database = tmp_path / "history.sqlite"
    database.write_text("名称,得分\n甘谷县司法局,79.2\n" * 100, encoding="utf-8")
    with pytest.raises(InputError, match="不是 SQLite 数据库"):
        History(database)
    result = run_cli("batch", EXAMPLE.parent, "-o", tmp_path / "out", "--history", database)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
