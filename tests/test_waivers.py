"""Waivers: a gap accepted with its reason, approver, approving document and expiry (Beijing time),
matched by rule, fingerprint, 索引号, title or column name; reported when expired or unmatched;
never raising a score."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from compliance_audit import dates
from tests.helpers import EXAMPLE, assert_valid_report, run_cli


def _audit(*options: str | Path) -> dict[str, Any]:
    result = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json", *options)
    assert result.exit_code in (0, 1), result.stderr
    data: dict[str, Any] = json.loads(result.output)
    return data


def _waivers(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "豁免.yaml"
    path.write_text("waivers:\n" + text, encoding="utf-8")
    return path


def test_a_requirement_waiver_with_approver_document_and_expiry(tmp_path: Path) -> None:
    before = _audit()
    waivers = _waivers(
        tmp_path,
        "  - rule: ogi-49-annual-report\n"
        "    reason: 2020年度报告已报送区政府办，网站改版期间暂未上线\n"
        "    approved_by: 李明（办公室主任）\n"
        "    doc_no: 秦司函〔2021〕5号\n"
        "    expires: 2021年4月30日\n",
    )
    after = _audit("--waivers", waivers)
    report = next(r for r in after["requirements"] if r["rule"] == "ogi-49-annual-report")
    assert report["status"] == "waived"
    assert (
        "网站改版" in report["reason"]
        and "李明" in report["reason"]
        and "秦司函〔2021〕5号" in report["reason"]
    )
    assert all(f["rule"] != "ogi-49-annual-report" for f in after["findings"])
    (waived,) = after["waived"]
    assert waived["finding"]["rule"] == "ogi-49-annual-report" and waived["waiver"] == 0
    (outcome,) = after["waivers"]
    assert outcome["state"] == "applied" and outcome["expires"] == "2021-04-30"
    assert outcome["approved_by"] == "李明（办公室主任）" and outcome["doc_no"] == "秦司函〔2021〕5号"
    # accepted, not met: the score and its denominator do not move
    assert after["summary"]["score"] == before["summary"]["score"]
    assert after["summary"]["requirements"] == before["summary"]["requirements"]
    assert after["summary"]["waived"] == 1 and after["summary"]["satisfied"] == before["summary"]["satisfied"]


def test_an_item_of_a_grouped_finding_is_taken_out_of_the_group_never_the_whole_group(tmp_path: Path) -> None:
    before = _audit()
    group = next(f for f in before["findings"] if f["rule"] == "catalogue-index-format" and f["items"])
    first, second = group["items"][0], group["items"][1]
    waivers = _waivers(
        tmp_path,
        f"  - rule: catalogue-index-format\n    item: {first['index_no']}\n"
        "    reason: 网站迁移时统一重编，原索引号已无法恢复\n    approved_by: 李明\n"
        f"  - rule: catalogue-index-format\n    fingerprint: {second['fingerprint']}\n"
        "    reason: 同上\n    approved_by: 李明\n",
    )
    after = _audit("--waivers", waivers)
    assert_valid_report(after)
    remaining = next(f for f in after["findings"] if f["fingerprint"] == group["fingerprint"])
    assert len(remaining["items"]) == len(group["items"]) - 2
    assert {first["fingerprint"], second["fingerprint"]}.isdisjoint(
        i["fingerprint"] for i in remaining["items"]
    )
    waived = {w["finding"]["fingerprint"]: w["finding"] for w in after["waived"]}
    assert set(waived) == {first["fingerprint"], second["fingerprint"]}
    assert waived[first["fingerprint"]]["item"]["index_no"] == first["index_no"]
    assert [w["state"] for w in after["waivers"]] == ["applied", "applied"]
    check = next(c for c in after["checks"] if c["rule"] == "catalogue-index-format")
    assert check["status"] == "failed"  # the other items still carry the gap


def test_waivers_by_title_and_by_column_name_as_the_report_shows_them(tmp_path: Path) -> None:
    waivers = _waivers(
        tmp_path,
        "  - rule: ogi-56-superseded-regulation\n    item: 秦州区司法局政府信息公开工作制度\n"
        "    reason: 制度正在按新条例修订，年内重新发布\n    approved_by: 王芳\n"
        "  - rule: web-column-blank\n    item: 下载专区\n    reason: 栏目已申请撤销\n    approved_by: 王芳\n",
    )
    after = _audit("--waivers", waivers)
    rules = {(f["rule"], f["subject"]) for f in after["findings"]}
    assert ("web-column-blank", "下载专区") not in rules and ("web-column-blank", "人大政协提案") in rules
    assert all(f["rule"] != "ogi-56-superseded-regulation" for f in after["findings"])
    # every finding of the check was accepted: the check is waived too
    check = next(c for c in after["checks"] if c["rule"] == "ogi-56-superseded-regulation")
    assert check["status"] == "waived" and "王芳" in check["reason"]


def test_expired_and_unmatched_waivers_are_reported_and_have_no_effect(tmp_path: Path) -> None:
    waivers = _waivers(
        tmp_path,
        "  - rule: ogi-12-guide\n    reason: 指南修订中\n    approved_by: 李明\n    expires: 2021/1/31\n"
        "  - rule: catalogue-index-unique\n    item: 不存在的索引号\n"
        "    reason: 匹配不到\n    approved_by: 李明\n"
        "  - rule: ogi-99-no-such-rule\n    reason: 写错的编号\n    approved_by: 李明\n",
    )
    after = _audit("--waivers", waivers)
    assert_valid_report(after)
    guide = next(r for r in after["requirements"] if r["rule"] == "ogi-12-guide")
    assert guide["status"] == "stale"
    assert [w["state"] for w in after["waivers"]] == ["expired", "unmatched", "unmatched"]
    notices = "\n".join(after["notices"])
    assert "ogi-12-guide" in notices and "2021-01-31（北京时间）到期" in notices
    assert "catalogue-index-unique（不存在的索引号）没有匹配任何结果" in notices
    assert "没有编号为 ogi-99-no-such-rule 的规则或目录项" in notices
    assert after["waived"] == []


def test_expiry_is_judged_by_the_day_in_beijing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 17:30 UTC on 30 April it is already 1 May in Beijing: a waiver that ran to 30 April has
    expired, although the runner's own date is still the 30th."""

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Clock:
            instant = datetime(2021, 4, 30, 17, 30, tzinfo=UTC)
            return instant.astimezone(tz) if tz else instant  # type: ignore[return-value]

    monkeypatch.setattr(dates, "datetime", Clock)
    assert dates.today_in_china().isoformat() == "2021-05-01"
    waivers = _waivers(
        tmp_path,
        "  - rule: ogi-12-guide\n    reason: 指南修订中\n    approved_by: 李明\n    expires: 2021-04-30\n",
    )
    result = run_cli("audit", EXAMPLE, "--format", "json", "--waivers", waivers)
    report = json.loads(result.output)
    assert report["as_of"] == "2021-05-01"
    assert report["waivers"][0]["state"] == "expired"


@pytest.mark.parametrize(
    ("entry", "said", "not_said"),
    [
        ("  - rule: ogi-49-annual-report\n    reason: 年报\n", "缺少必填项 approved_by", None),
        (
            "  - rule: ogi-49-annual-report\n    fingerprint: XYZ\n    reason: 年报\n    approved_by: 李明\n",
            "8 到 64 位数字或小写字母 a–f",
            "正则",
        ),
        (
            "  - rule: ogi-49-annual-report\n    reason: 年报\n    approved_by: 李明\n"
            "    expires: 2021-02-30\n",
            "“2021-02-30”不是存在的日期",
            None,
        ),
        (
            "  - rule: ogi-49-annual-report\n    reason: 年报\n    approved_by: 李明\n"
            "    until: 2021-04-30\n",
            "不认识的键 until",
            None,
        ),
    ],
)
def test_a_bad_waiver_file_is_explained_in_words(
    tmp_path: Path, entry: str, said: str, not_said: str | None
) -> None:
    result = run_cli("audit", EXAMPLE, "--waivers", _waivers(tmp_path, entry))
    assert result.exit_code == 2
    assert "豁免.yaml" in result.stderr and said in result.stderr
    assert "Traceback" not in result.stderr
    if not_said:
        assert not_said not in result.stderr
