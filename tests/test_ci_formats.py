"""Formats for CI: SARIF 2.1.0 (validated against the official schema), JUnit XML (read back with
junitparser), GitHub workflow commands, GitLab Code Quality, one-line-per-finding, CSV; and -o
choosing the format from the file name."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from junitparser import Failure, JUnitXml, Skipped

from tests.helpers import EXAMPLE, REPO, run_cli

SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"


def _audit(output_format: str, *options: str | Path, inventory: Path = EXAMPLE) -> str:
    result = run_cli("audit", inventory, "--as-of", "2021-03-10", "--format", output_format, *options)
    assert result.exit_code in (0, 1), result.stderr
    return result.output


def _relative_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example inventory in a working directory of its own, named as a CI job names it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "清单.yaml"
    target.write_bytes(EXAMPLE.read_bytes())
    return Path("data/清单.yaml")


def test_sarif_of_a_real_audit_validates_against_the_official_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory = _relative_example(tmp_path, monkeypatch)
    waivers = tmp_path / "豁免.yaml"
    waivers.write_text(
        "waivers:\n  - rule: web-column-blank\n    item: 下载专区\n    reason: 栏目已申请撤销\n"
        "    approved_by: 李明\n    doc_no: 秦司函〔2021〕5号\n",
        encoding="utf-8",
    )
    log = json.loads(_audit("sarif", "--waivers", waivers, inventory=inventory))
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    late = rules["ogi-26-timeliness"]
    assert "第二十六条" in late["help"]["text"] and late["help"]["markdown"]
    assert late["properties"]["legalReferences"][0] == {
        "source": "ogi-2019",
        "article": 26,
        "item": None,
        "label": "《条例》第二十六条",
    }
    results = run["results"]
    leak = next(r for r in results if r["ruleId"] == "ogi-15-id-number")
    location = leak["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "data/%E6%B8%85%E5%8D%95.yaml"  # data/清单.yaml
    assert location["region"]["startLine"] == 116
    assert leak["level"] == "error" and "6205**********0019" in leak["message"]["text"]
    assert re.fullmatch(r"[0-9a-f]{20}", leak["partialFingerprints"]["complianceAudit/v1"])
    assert rules[leak["ruleId"]] == run["tool"]["driver"]["rules"][leak["ruleIndex"]]
    # a grouped finding is one result per item, each with its own fingerprint
    grouped = [
        r for r in results if r["ruleId"] == "catalogue-index-format" and "groupSize" in r["properties"]
    ]
    assert len(grouped) == 31 and len({r["partialFingerprints"]["complianceAudit/v1"] for r in grouped}) == 31
    missing = next(r for r in results if r["ruleId"] == "enforcement-annual-statistics")
    assert "region" not in missing["locations"][0]["physicalLocation"]  # about the inventory, no row
    (suppressed,) = [r for r in results if "suppressions" in r]
    assert suppressed["ruleId"] == "web-column-blank"
    assert "李明" in suppressed["suppressions"][0]["justification"]


def test_junit_has_a_suite_per_rule_and_failures_where_the_run_fails() -> None:
    text = _audit("junit")
    xml = JUnitXml.fromstring(text.encode("utf-8"))
    suites = {suite.name: suite for suite in xml}
    assert "ogi-26-timeliness" in suites and "moj-plsd-2019:N1" in suites
    leak = suites["ogi-15-id-number"]
    (case,) = list(leak)
    assert case.classname == "ogi-15-id-number"
    assert "2020年第四季度法律援助案件受援人公示" in case.name
    assert isinstance(case.result[0], Failure) and "6205**********0019" in (case.result[0].text or "")
    # a warning does not fail the run (--fail-on error): the case passes and says what was found
    mobile = next(iter(suites["ogi-15-mobile-number"]))
    assert mobile.result == [] and "139****0000" in (mobile.system_out or "")
    # a requirement that does not apply is skipped, with the reason
    statistics = next(iter(suites["ogi-20-04-statistics"]))
    assert isinstance(statistics.result[0], Skipped)
    failures = sum(suite.failures for suite in xml)
    assert failures == sum(
        1 + 0 for suite in xml for case in suite if case.result and isinstance(case.result[0], Failure)
    )
    report = json.loads(_audit("json"))
    errors = sum(max(len(f["items"]), 1) for f in report["findings"] if f["severity"] == "error")
    assert failures == errors
    never = JUnitXml.fromstring(_audit("junit", "--fail-on", "never").encode("utf-8"))
    assert sum(suite.failures for suite in never) == 0


def test_junit_survives_control_characters_from_a_portal(tmp_path: Path) -> None:
    inventory = tmp_path / "清单.yaml"
    inventory.write_text(
        "bureau: {name: 秦州区司法局}\nitems:\n"
        '  - {title: "关于\\u000b印发<通知>&", published: 2021-03-01, summary: ""}\n',
        encoding="utf-8",
    )
    xml = JUnitXml.fromstring(_audit("junit", inventory=inventory).encode("utf-8"))
    names = [case.name for suite in xml for case in suite]
    assert any("关于\ufffd印发<通知>&" in name for name in names)


def test_github_annotations_escape_what_the_runner_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory = _relative_example(tmp_path, monkeypatch)
    lines = _audit("github", inventory=inventory).splitlines()
    assert all(re.match(r"^::(error|warning|notice) ", line) for line in lines)
    leak = next(line for line in lines if "title=ogi-15-id-number" in line)
    assert leak.startswith("::error file=data/清单.yaml,line=116,title=ogi-15-id-number::")
    assert "%0A依据：《条例》第十五条" in leak and "\n" not in leak
    column = next(line for line in lines if "title=web-column-blank" in line)
    assert ",line=" not in column  # a column has no row
    notice = next(line for line in lines if "title=ogi-26-timeliness" in line)
    assert notice.startswith("::notice ")


def test_gitlab_code_quality_entries() -> None:
    issues: list[dict[str, Any]] = json.loads(_audit("gitlab"))
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(fingerprints) == len(set(fingerprints))
    leak = next(issue for issue in issues if issue["check_name"] == "ogi-15-id-number")
    assert leak["severity"] == "major" and leak["location"] == {"path": str(EXAMPLE), "lines": {"begin": 116}}
    assert {issue["severity"] for issue in issues} == {"major", "minor", "info"}
    assert all(issue["description"] for issue in issues)


def test_lines_are_file_row_severity_rule_message() -> None:
    lines = _audit("lines").splitlines()
    pattern = re.compile(
        rf"^{re.escape(str(EXAMPLE))}:(\d+:)? (error|warning|info)(\(provisional\))? \S+ \S.*$"
    )
    assert lines and all(pattern.match(line) for line in lines)
    assert f"{EXAMPLE}:116: error ogi-15-id-number 20230618-164604-408 " in "\n".join(lines)
    assert f"{EXAMPLE}: error enforcement-annual-statistics " in "\n".join(lines)


def test_csv_is_for_a_spreadsheet_and_never_runs_a_formula(tmp_path: Path) -> None:
    inventory = tmp_path / "清单.yaml"
    inventory.write_text(
        "bureau: {name: 秦州区司法局}\nitems:\n"
        "  - {title: '=HYPERLINK(\"http://evil.example\",\"点击\")', published: 2021-03-01, summary: ''}\n",
        encoding="utf-8",
    )
    text = _audit("csv", inventory=inventory)
    assert text.startswith("\ufeff指纹,规则,")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    titles = [row[7] for row in rows[1:] if row[7]]
    assert titles and all(title.startswith("'=HYPERLINK") for title in titles)


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("报告.sarif", lambda text: json.loads(text)["version"] == "2.1.0"),
        ("结果.xml", lambda text: text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')),
        ("报告.json", lambda text: json.loads(text)["schema_version"] == 1),
        ("报告.md", lambda text: text.startswith("# 合规审计报告")),
        ("问题.csv", lambda text: text.startswith("\ufeff指纹")),
        ("报告.txt", lambda text: text.startswith("合规审计报告")),
    ],
)
def test_output_suffix_picks_the_format(tmp_path: Path, name: str, check: Any) -> None:
    target = tmp_path / name
    result = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "-o", target)
    assert result.exit_code == 1 and result.output == ""
    assert check(target.read_text("utf-8"))


def test_dash_is_standard_output_and_an_unknown_suffix_is_explained(tmp_path: Path) -> None:
    result = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "sarif", "-o", "-")
    assert json.loads(result.output)["version"] == "2.1.0"
    result = run_cli("audit", EXAMPLE, "-o", tmp_path / "报告.log")
    assert result.exit_code == 2
    assert "无法从后缀“.log”判断报告格式" in result.stderr and ".sarif（sarif）" in result.stderr
    assert not (tmp_path / "报告.log").exists()
    # --format wins over the suffix
    target = tmp_path / "报告.txt"
    run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json", "-o", target)
    assert json.loads(target.read_text("utf-8"))["schema_version"] == 1


def test_quiet_prints_only_the_summary_line(tmp_path: Path) -> None:
    result = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "-q")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("要求满足 10/21")
    target = tmp_path / "报告.json"
    result = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "-q", "-o", target)
    assert result.output.startswith("要求满足") and json.loads(target.read_text("utf-8"))["findings"]
