"""The JSON report: exactly its shipped schema, reproducible, and saying what a careful auditor
would of the bundled example (the seed page: a work summary published late, which 第二十六条 binds
only if it is within the scope of proactive disclosure, so a note; an empty 主题分类; an 索引号
generated years after publication)."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import jsonschema
import pytest

from tests.helpers import EXAMPLE, run_cli


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    result = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json")
    assert result.exit_code == 1  # the example has errors, and --fail-on defaults to error
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_report_validates_against_the_shipped_schema(report: dict[str, Any]) -> None:
    schema = json.loads(files("compliance_audit").joinpath("schemas/report.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)


def _about(finding: dict[str, Any], index_no: str) -> bool:
    return any(item and item["index_no"] == index_no for item in [finding["item"], *finding["items"]])


def test_seed_item_late_work_summary_is_a_note_and_its_metadata_defects_are_reported(
    report: dict[str, Any],
) -> None:
    seed = [f for f in report["findings"] if _about(f, "20230618-164604-828")]
    late = next(f for f in seed if f["kind"] == "late")
    assert late["rule"] == "ogi-26-timeliness"
    assert late["refs"] == [{"source": "ogi-2019", "article": 26, "item": None}]
    assert late["due"] == "2021-01-06"
    assert late["severity"] == "info" and "主动公开范围" in late["message"]
    topic = next(f for f in seed if f["kind"] == "metadata" and f["element"] == "topic")
    assert topic["rule"] == "catalogue-topic" and topic["message"] == "缺少主题分类"
    index = next(f for f in seed if f["rule"] == "catalogue-index-format")
    assert "2023-06-18" in index["message"] and len(index["items"]) == 31


def test_a_gap_over_many_items_is_one_finding_listing_them_with_their_own_fingerprints(
    report: dict[str, Any],
) -> None:
    grouped = next(f for f in report["findings"] if f["rule"] == "catalogue-index-format" and f["items"])
    assert grouped["item"] is None
    fingerprints = {item["index_no"]: item["fingerprint"] for item in grouped["items"]}
    # 31 items, two of which share the 索引号 20230618-164605-503 (and so the identity an item has)
    assert len(grouped["items"]) == 31 and len(set(fingerprints.values())) == len(fingerprints) == 30
    assert grouped["fingerprint"] not in fingerprints.values()
    output = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10").output
    assert "等31条" in output


def test_every_kind_of_finding_and_state_appears(report: dict[str, Any]) -> None:
    kinds = {finding["kind"] for finding in report["findings"]}
    assert kinds == {
        "missing",
        "stale",
        "late",
        "metadata",
        "expired",
        "personal-data",
        "column-empty",
        "column-stale",
    }
    states = {requirement["status"] for requirement in report["requirements"]}
    assert {"satisfied", "partial", "late", "missing", "stale", "not-applicable", "not-evaluated"} <= states


def test_element_level_gaps_of_a_catalogue_row(report: dict[str, Any]) -> None:
    # N1 lists its elements with 等: a missing example is noted, the row is met
    row = next(r for r in report["requirements"] if r["rule"] == "moj-plsd-2019:N1")
    assert row["status"] == "satisfied"
    assert {e["name"]: e["status"] for e in row["elements"]} == {
        "法律法规资讯": "satisfied",
        "普法动态资讯": "satisfied",
        "普法讲师团信息": "missing",
    }
    gap = next(f for f in report["findings"] if f["rule"] == "moj-plsd-2019:N1")
    assert gap["kind"] == "missing" and gap["elements"] == ["普法讲师团信息"] and gap["item"] is None
    assert gap["severity"] == "info"


def test_summary_counts_agree_with_the_lists(report: dict[str, Any]) -> None:
    summary = report["summary"]
    states = [r["status"] for r in report["requirements"]]
    assert summary["requirements"] == sum(
        states.count(s) for s in ("satisfied", "partial", "late", "missing", "stale")
    )
    assert summary["findings"] == len(report["findings"])
    assert summary["errors"] + summary["warnings"] + summary["infos"] == summary["findings"]
    assert 0 < summary["score"] < 100


def test_report_stamps_rule_files_calendar_and_version(report: dict[str, Any]) -> None:
    ids = [ruleset["id"] for ruleset in report["rulesets"]]
    assert "ogi-2019" in ids and "moj-plsd-2019" in ids
    assert all(len(ruleset["sha256"]) == 64 for ruleset in report["rulesets"])
    assert report["calendar"]["source"].startswith("chinesecalendar ")
    assert report["calendar"]["fallback_years"] == []
    assert report["tool"]["name"] == "compliance-audit"
    assert any("6/18" in notice for notice in report["notices"])


def test_identical_inputs_give_byte_identical_json() -> None:
    first = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json").output
    second = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json").output
    assert first == second


def test_fingerprints_are_unique_and_stable(report: dict[str, Any]) -> None:
    fingerprints = [finding["fingerprint"] for finding in report["findings"]]
    assert len(fingerprints) == len(set(fingerprints))
    again = json.loads(run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json").output)
    assert [f["fingerprint"] for f in again["findings"]] == fingerprints


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on_sets_the_exit_code(fail_on: str, code: int) -> None:
    result = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--fail-on", fail_on)
    assert result.exit_code == code


def test_table_groups_findings_by_kind_in_chinese() -> None:
    output = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10").output
    for heading in (
        "【缺失",
        "【未更新",
        "【逾期公开",
        "【元数据缺陷",
        "【已过有效期",
        "【个人信息",
        "【空白栏目",
        "【栏目不更新",
    ):
        assert heading in output
    assert "收录 6/18 项" in output
    assert "要求满足" in output and "得分" in output
    assert output.count("收录 6/18 项") == 1


def test_markdown_report_escapes_portal_text(tmp_path: Any) -> None:
    inventory = tmp_path / "清单.yaml"
    inventory.write_text(
        "bureau: {name: 秦州区司法局}\nitems:\n"
        "  - {title: '关于<script>alert(1)</script>|通知', published: 2021-03-01, formed: 2021-01-04}\n",
        encoding="utf-8",
    )
    output = run_cli("audit", inventory, "--as-of", "2021-03-10", "--format", "markdown").output
    assert "<script>" not in output
    assert "&lt;script&gt;" in output and "\\|通知" in output


def test_output_file_is_written_and_never_over_the_input(tmp_path: Any) -> None:
    target = tmp_path / "报告.json"
    result = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json", "-o", target)
    assert result.exit_code == 1 and result.output == ""
    assert json.loads(target.read_text("utf-8"))["bureau"]["name"] == "天水市秦州区司法局"
    copy = tmp_path / "清单.yaml"
    copy.write_bytes(EXAMPLE.read_bytes())
    result = run_cli("audit", copy, "--as-of", "2021-03-10", "-o", copy)
    assert result.exit_code == 2 and "不会覆盖输入" in result.stderr
    assert copy.read_bytes() == EXAMPLE.read_bytes()


def _bare_county_bureau(tmp_path: Any, sector: str = "justice") -> Any:
    inventory = tmp_path / "清单.yaml"
    inventory.write_text(
        f"bureau: {{name: 天水市麦积区司法局, level: county, sector: {sector}}}\nitems:\n"
        "  - {index_no: 620503-2021-00008, title: 麦积区司法局召开2021年全区司法行政工作会议,"
        " summary: 部署工作。, formed: 2021-02-20, published: 2021-02-26}\n",
        encoding="utf-8",
    )
    return inventory


@pytest.mark.parametrize("output_format", ["table", "markdown", "json"])
def test_a_bureau_without_profile_is_audited_with_the_default_one_and_every_format_says_so(
    tmp_path: Any, output_format: str
) -> None:
    inventory = _bare_county_bureau(tmp_path)
    result = run_cli("audit", inventory, "--as-of", "2021-03-10", "--format", output_format)
    assert result.exit_code == 1, result.stderr
    assert "按默认职能档案“县（区）司法局”评估" in result.output
    if output_format == "json":
        report = json.loads(result.output)
        budget = next(r for r in report["requirements"] if r["rule"] == "ogi-20-07-budget")
        assert budget["status"] == "missing"  # the default profile holds the budget function
        assert report["bureau"]["functions"] == ["budget", "enforcement", "penalty", "public-services"]


def test_a_declared_profile_is_overridable_on_the_command_line(tmp_path: Any) -> None:
    inventory = _bare_county_bureau(tmp_path)
    result = run_cli(
        "audit",
        inventory,
        "--as-of",
        "2021-03-10",
        "--format",
        "json",
        "--profile",
        "township-justice-office",
    )
    report = json.loads(result.output)
    assert report["bureau"]["profile_source"] == "declared"
    budget = next(r for r in report["requirements"] if r["rule"] == "ogi-20-07-budget")
    assert budget["status"] == "not-applicable"
    assert not any("按默认职能档案" in notice for notice in report["notices"])


def test_a_misspelt_sector_is_bad_input_naming_the_choices(tmp_path: Any) -> None:
    inventory = _bare_county_bureau(tmp_path)
    result = run_cli("audit", inventory, "--sector", "justic")
    assert result.exit_code == 2
    assert "未知的领域 justic" in result.stderr and "justice" in result.stderr
    in_file = run_cli("audit", _bare_county_bureau(tmp_path, sector="justic"))
    assert in_file.exit_code == 2 and "bureau.sector" in in_file.stderr


def _audit_items(tmp_path: Any, items: str, *options: str) -> dict[str, Any]:
    inventory = tmp_path / "清单.yaml"
    inventory.write_text(
        "bureau: {name: 天水市秦州区司法局, level: county, region: 甘肃省天水市秦州区, sector: justice}\n"
        f"items:\n{items}",
        encoding="utf-8",
    )
    result = run_cli(
        "audit", inventory, "--as-of", "2021-03-10", "--format", "json", "--fail-on", "never", *options
    )
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_a_stricter_deadline_is_cited_from_its_own_instrument_and_the_general_one_only_when_also_exceeded(
    tmp_path: Any,
) -> None:
    report = _audit_items(
        tmp_path,
        "  - {index_no: 620502-2021-00012, title: 秦州区司法局准予行政许可决定书（秦司许准〔2021〕2号）,"
        " formed: 2021-01-25, published: 2021-02-08}\n"
        "  - {index_no: 620502-2021-00021, title: 秦州区司法局行政处罚决定书（秦司罚决〔2021〕3号）,"
        " formed: 2021-01-04, published: 2021-02-18}\n",
    )
    late = {f["item"]["index_no"]: f for f in report["findings"] if f["kind"] == "late"}
    within_20 = late["620502-2021-00012"]
    assert within_20["rule"] == "enforcement-decisions-licensing-penalty"
    assert [ref["source"] for ref in within_20["refs"]] == ["enforcement-2018"]
    beyond_20 = late["620502-2021-00021"]
    assert {"source": "ogi-2019", "article": 26, "item": None} in beyond_20["refs"]
    assert "亦超过20个工作日的一般期限" in beyond_20["message"]


@pytest.mark.parametrize("output_format", ["table", "markdown", "json"])
def test_personal_numbers_are_masked_in_every_format(tmp_path: Any, output_format: str) -> None:
    inventory = tmp_path / "清单.yaml"
    inventory.write_text(
        "bureau: {name: 天水市秦州区司法局, level: county, sector: justice}\nitems:\n"
        "  - {title: 关于李某某（620502198503120015，电话13893812345）申请法律援助的公示,"
        " summary: 卡号6222021203456780, formed: 2021-01-04, published: 2021-03-01}\n",
        encoding="utf-8",
    )
    result = run_cli("audit", inventory, "--as-of", "2021-03-10", "--format", output_format)
    assert result.exit_code == 1
    for number in ("620502198503120015", "13893812345", "6222021203456780"):
        assert number not in result.output
    assert "6205" in result.output and "0015" in result.output
