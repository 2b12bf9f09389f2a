"""Which deadline binds an item, in the cases a tag or a reprint makes unusual (Context.binding)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import run_cli

BUREAU = {
    "name": "天水市秦州区司法局",
    "level": "county",
    "region": "甘肃省天水市秦州区",
    "sector": "justice",
}


def _audit(tmp_path: Path, items: list[dict[str, Any]], as_of: str) -> dict[str, Any]:
    inventory = tmp_path / "清单.jsonl"
    lines = [{"bureau": BUREAU}, *items]
    inventory.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), "utf-8")
    report = tmp_path / "报告.json"
    result = run_cli(
        "audit", inventory, "--as-of", as_of, "--format", "json", "-o", report, "--fail-on", "never"
    )
    assert result.exit_code == 0, result.output
    loaded: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return loaded


def test_an_item_tagged_with_the_general_deadline_is_judged_as_any_other_item(tmp_path: Path) -> None:
    notice = {
        "title": "秦州区司法局关于调整办公时间的通知",
        "formed": "2021-03-01",
        "published": "2021-06-01",
    }
    tagged = _audit(tmp_path, [{**notice, "tags": ["ogi-26-timeliness"]}], "2021-07-01")["findings"]
    late = [finding for finding in tagged if finding["kind"] == "late"]
    assert [finding["rule"] for finding in late] == ["ogi-26-timeliness"]
    assert late[0]["due"] == "2021-03-29"
    # the general deadline is the one that binds: it is not also "the general deadline exceeded"
    assert "亦超过" not in late[0]["message"]
    assert late[0]["message"].startswith(
        "成文于 2021-03-01，应在20个工作日内即 2021-03-29 前公开，实际 2021-06-01 公开，逾期 44 个工作日"
    )


def test_a_reprint_brings_no_calendar_year_into_the_report(tmp_path: Path) -> None:
    """A reprint's timeliness is its publisher's: its deadline is never counted, so a formed date
    in a year the calendar does not know (here one after its publication) is no notice."""
    reprint = {
        "title": "甘肃省司法厅关于开展法治宣传教育的通知",
        "publisher": "甘肃省司法厅",
        "formed": "2031-01-01",
        "published": "2022-01-31",
    }
    report = _audit(tmp_path, [reprint], "2022-03-01")
    assert report["calendar"]["fallback_years"] == []
    assert not any("日历不含" in notice for notice in report["notices"])
    own = _audit(tmp_path, [{**reprint, "publisher": ""}], "2022-03-01")
    assert own["calendar"]["fallback_years"] == [2031]


def test_a_general_deadline_named_by_a_tag_stays_where_another_tag_replaces_it(tmp_path: Path) -> None:
    """Tagged as the annual report (第四十九条, which replaces the general deadline) and as held to
    the 2007 条例's 第十八条: the earlier of the two binds, 20 working days from 2010-01-29."""
    item = {
        "title": "政府信息公开指南",
        "formed": "2010-01-29",
        "published": "2011-03-05",
        "tags": ["ogi-49-annual-report", "ogi-2007-18-timeliness"],
    }
    late = [f for f in _audit(tmp_path, [item], "2024-02-23")["findings"] if f["kind"] == "late"]
    assert [(f["rule"], f["due"]) for f in late] == [("ogi-2007-18-timeliness", "2010-03-03")]
    assert "亦超过" not in late[0]["message"]
