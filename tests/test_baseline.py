"""--baseline: new, still open and fixed findings by fingerprint; --fail-on counts new findings only
unless --fail-on-existing; fingerprints that do not move when unrelated items come and go."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import assert_valid_report, run_cli

BUREAU = {
    "name": "天水市麦积区司法局",
    "level": "county",
    "region": "甘肃省天水市麦积区",
    "sector": "justice",
}


def _item(number: int, title: str, **fields: str) -> dict[str, str]:
    return {
        "index_no": f"11620503MB0000000B/2021-{number:05d}",
        "title": title,
        "topic": "综合政务",
        "publisher": "天水市麦积区司法局",
        "formed": "2021-02-01",
        "published": "2021-02-05",
        "summary": f"{title}。",
        **fields,
    }


# realistic news items that no rule has anything to say about
UNRELATED = [
    _item(10, "麦积区司法局召开2021年全区司法行政工作会议"),
    _item(11, "麦积区开展“八五”普法宣传进社区活动"),
    _item(12, "麦积区司法局组织学习民法典婚姻家庭编"),
    _item(13, "麦积区人民调解员业务培训班开班"),
]
PROBLEMS = [
    _item(1, "2021年第一季度法律援助案件受援人公示", body="受援人张某，身份证号620502198001010019，已结案。"),
    _item(2, "麦积区司法局机关党支部召开组织生活会", summary=""),
    _item(3, "麦积区司法局开展法律服务进乡村活动"),
]
PROBLEMS[2]["index_no"] = PROBLEMS[1]["index_no"]  # a 索引号 given twice


def _write(path: Path, items: list[dict[str, str]]) -> Path:
    path.write_text(
        yaml.safe_dump({"bureau": BUREAU, "items": items}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return path


def _report(inventory: Path, *options: str | Path) -> tuple[int, dict[str, Any]]:
    result = run_cli("audit", inventory, "--as-of", "2021-03-10", "--format", "json", *options)
    assert result.exit_code in (0, 1), result.stderr
    data: dict[str, Any] = json.loads(result.output)
    return result.exit_code, data


def _fingerprints(report: dict[str, Any]) -> set[str]:
    found = set()
    for finding in report["findings"]:
        found.add(finding["fingerprint"])
        found.update(item["fingerprint"] for item in finding["items"])
    return found


def test_fingerprints_do_not_move_when_unrelated_items_are_added_removed_or_reordered(tmp_path: Path) -> None:
    _, before = _report(_write(tmp_path / "清单.yaml", [*PROBLEMS, *UNRELATED[:3]]))
    assert {f["rule"] for f in before["findings"]} >= {
        "ogi-15-id-number",
        "ogi-12-catalogue-fields",
        "catalogue-index-unique",
    }
    more = [
        _item(20, "麦积区司法局开展2021年“3·15”消费者权益保护法律咨询活动"),
        _item(21, "麦积区社区矫正工作领导小组召开会议"),
    ]
    changed = [*reversed(UNRELATED[1:]), *more, *reversed(PROBLEMS)]  # one removed, two added, reordered
    _, after = _report(_write(tmp_path / "清单2.yaml", changed))
    assert _fingerprints(after) == _fingerprints(before)
    rows = {f["fingerprint"]: f["item"]["row"] for f in after["findings"] if f["item"]}
    assert rows != {f["fingerprint"]: f["item"]["row"] for f in before["findings"] if f["item"]}  # rows moved
    # and the same fingerprints in every format
    sarif = json.loads(
        run_cli("audit", tmp_path / "清单2.yaml", "--as-of", "2021-03-10", "--format", "sarif").output
    )
    sarif_prints = {r["partialFingerprints"]["complianceAudit/v1"] for r in sarif["runs"][0]["results"]}
    gitlab = json.loads(
        run_cli("audit", tmp_path / "清单2.yaml", "--as-of", "2021-03-10", "--format", "gitlab").output
    )
    assert sarif_prints == {issue["fingerprint"] for issue in gitlab}
    assert sarif_prints <= _fingerprints(after)


def test_only_new_findings_fail_the_run_and_fixed_ones_are_named(tmp_path: Path) -> None:
    _, baseline = _report(_write(tmp_path / "清单.yaml", [*PROBLEMS, *UNRELATED]))
    previous = tmp_path / "上次报告.json"
    previous.write_text(json.dumps(baseline, ensure_ascii=False), encoding="utf-8")

    code, same = _report(tmp_path / "清单.yaml", "--baseline", previous)
    assert code == 0  # errors, but all of them known
    assert {f["baseline"] for f in same["findings"]} == {"open"}
    assert same["baseline"]["new"] == 0 and same["baseline"]["fixed"] == []
    code, _ = _report(tmp_path / "清单.yaml", "--baseline", previous, "--fail-on-existing")
    assert code == 1

    leaked = _item(
        30, "麦积区司法局2021年法律援助补贴发放公示", body="张某某 银行卡号 6222020200112233446 补贴500元"
    )
    fixed_leak = {**PROBLEMS[0], "body": "受援人张某，已结案。"}
    another_without_summary = _item(31, "麦积区司法局党支部开展主题党日活动", summary="")
    items = [fixed_leak, PROBLEMS[1], PROBLEMS[2], *UNRELATED, leaked, another_without_summary]
    code, now = _report(_write(tmp_path / "清单.yaml", items), "--baseline", previous)
    assert code == 1
    assert_valid_report(now)
    states = {f["rule"]: f["baseline"] for f in now["findings"]}
    assert states["ogi-15-bank-card"] == "new"
    assert states["catalogue-index-unique"] == "open"
    # one more item without a 内容概述: the grouped finding is new, because one of its items is
    assert states["ogi-12-catalogue-fields"] == "new"
    fixed = now["baseline"]["fixed"]
    assert [f["rule"] for f in fixed] == ["ogi-15-id-number"]
    assert fixed[0]["item"]["title"] == "2021年第一季度法律援助案件受援人公示"

    table = run_cli("audit", tmp_path / "清单.yaml", "--as-of", "2021-03-10", "--baseline", previous).output
    assert "【已修复（1）】" in table and "（新问题）" in table and "（基线中已有）" in table
    assert "已修复 1 个" in table


def test_a_bad_baseline_is_bad_input(tmp_path: Path) -> None:
    inventory = _write(tmp_path / "清单.yaml", UNRELATED)
    other = tmp_path / "别的.json"
    other.write_text('{"findings": []}', encoding="utf-8")
    result = run_cli("audit", inventory, "--baseline", other)
    assert result.exit_code == 2 and "不是 compliance-audit 的 JSON 报告" in result.stderr
    broken = tmp_path / "坏的.json"
    broken.write_text('{"tool": {"name": "compliance-audit"}, "findings": [', encoding="utf-8")
    result = run_cli("audit", inventory, "--baseline", broken)
    assert result.exit_code == 2 and "坏的.json" in result.stderr and "第 1 行" in result.stderr
