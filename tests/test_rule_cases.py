"""The YAML cases beside the rules: every case passes, and every rule and every catalogue row has
a case that fires and a case that does not (sqlfluff-style rule cases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance_audit.ruleset.catalogue import CatalogueLibrary
from compliance_audit.ruleset.loader import bundled_rules_directory, load_rulebook
from compliance_audit.selftest import CaseResult, coverage_gaps, run_cases
from compliance_audit.workcalendar import WorkCalendar
from tests.helpers import run_cli


@pytest.fixture(scope="module")
def results() -> list[CaseResult]:
    from importlib.resources import as_file, files

    book = load_rulebook()
    with (
        bundled_rules_directory() as rules,
        as_file(files("compliance_audit").joinpath("catalogues")) as catalogues,
    ):
        return run_cases(book, CatalogueLibrary.bundled(), [rules, catalogues], WorkCalendar.bundled())


def test_every_case_passes(results: list[CaseResult]) -> None:
    failed = [f"{r.rule}：{r.name}：{'；'.join(r.problems)}" for r in results if not r.passed]
    assert not failed, "\n".join(failed)
    assert len(results) > 300


def test_every_rule_and_row_has_a_case_that_fires_and_one_that_does_not(results: list[CaseResult]) -> None:
    assert coverage_gaps(load_rulebook(), CatalogueLibrary.bundled(), results) == []


def test_a_rule_without_cases_is_reported(results: list[CaseResult]) -> None:
    without_timeliness = [result for result in results if result.rule != "ogi-26-timeliness"]
    gaps = coverage_gaps(load_rulebook(), CatalogueLibrary.bundled(), without_timeliness)
    assert gaps == ["ogi-26-timeliness：没有会触发的用例", "ogi-26-timeliness：没有不触发的用例"]


SEED = "{title: 秦州区司法局2020年度信息工作总结, formed: '2020-12-08', published: '2021-02-01'}"


def test_a_wrong_expectation_fails_with_the_reason(tmp_path: Path) -> None:
    case_dir = tmp_path / "cases" / "ogi-2019"
    case_dir.mkdir(parents=True)
    (case_dir / "ogi-26-timeliness.yaml").write_text(
        "rule: ogi-26-timeliness\ncases:\n"
        f"  - name: 逾期却期望不触发\n    items: [{SEED}]\n    expect: {{fires: false}}\n"
        f"  - name: 期望的期限写错\n    items: [{SEED}]\n    expect: {{fires: true, due: '2021-01-07'}}\n",
        encoding="utf-8",
    )
    results = run_cases(load_rulebook(), CatalogueLibrary.bundled(), [tmp_path], WorkCalendar.bundled())
    assert [result.passed for result in results] == [False, False]
    assert "应不触发，实际触发" in results[0].problems[0]
    assert "期限应为 2021-01-07，实际为 ['2021-01-06']" in results[1].problems[0]


def test_rules_test_command_passes() -> None:
    result = run_cli("rules", "test")
    assert result.exit_code == 0, result.output[-2000:]
    assert "0 个失败；缺少用例 0 处" in result.output


def test_imported_rows_that_are_known_rows_run_the_known_rows_cases(tmp_path: Path) -> None:
    output = tmp_path / "sanmen.yaml"
    fixture = Path(__file__).parent / "fixtures" / "catalogue_import" / "sanmen.html"
    assert run_cli("catalogue", "import", fixture, "-o", output).exit_code == 0
    result = run_cli("rules", "test", "--catalogue", output, "-v")
    assert result.exit_code == 0, result.output[-2000:]
    inherited = [line for line in result.output.splitlines() if "（沿用 moj-plsd-2019:" in line]
    # 三门's rows 1-4 are N1-N4 with the same elements: each runs all of that row's cases
    assert {line.split("：")[0] for line in inherited} == {
        "✓ sanmen:1",
        "✓ sanmen:2",
        "✓ sanmen:3",
        "✓ sanmen:4",
    }
    assert len(inherited) == 20
