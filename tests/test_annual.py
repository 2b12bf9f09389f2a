"""`report check` on realistic annual reports written from known numbers as .txt, .docx, .html and
.pdf, in both formats: the correct report gives no findings, and each deliberate error is found
(by the rule that owns it, with the same fingerprint whatever the file format)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from compliance_audit.annual import read_report
from compliance_audit.annual.layout import NEW
from compliance_audit.annual.run import ReportOptions, check_report_files
from compliance_audit.inventory import load_inventory
from compliance_audit.report.model import Report
from compliance_audit.ruleset.loader import load_rulebook
from tests.annual_reports import Figures, correct_2020, correct_2021, row, write
from tests.helpers import run_cli

FORMATS = (".txt", ".docx", ".html", ".pdf")
AS_OF = date(2022, 3, 10)


def check(path: Path, **options: Any) -> Report:
    previous = options.pop("previous", ())
    inventory = options.pop("inventory", None)
    return check_report_files(
        [path],
        load_rulebook(),
        options=ReportOptions(**options),
        previous=previous,
        inventory=load_inventory(inventory) if inventory else None,
        as_of=AS_OF,
    )


def statuses(report: Report) -> dict[str, str]:
    return {result.rule: result.status for result in report.checks}


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("make", [correct_2021, correct_2020], ids=["2021年格式", "试行格式"])
def test_a_correct_report_reads_completely_and_gives_no_findings(
    tmp_path: Path, suffix: str, make: Callable[[], Figures]
) -> None:
    figures = make()
    path = write(figures, tmp_path / f"年报{suffix}")
    parsed = read_report(path)
    assert (parsed.year, parsed.bureau, parsed.layout.id) == (
        figures.year,
        "天水市秦州区司法局",
        "2021" if figures.year == 2021 else "2019",
    )
    assert parsed.notices == []
    assert len(parsed.table3) == len(parsed.layout.t3_keys())
    assert [cell.number for cell in parsed.table3[NEW]] == [int(value) for value in figures.new]
    assert [str(cell.value) for cell in parsed.table4 or ()] == figures.table4
    assert len(parsed.table2) == sum(len(columns) * len(rows) for _, columns, rows in figures.table2)
    report = check(path, published=date(figures.year + 1, 1, 20))
    assert report.findings == []
    judged = statuses(report)
    assert judged.pop("ogi-report-carryover") == "not-evaluated"  # no --previous
    assert judged.pop("ogi-report-documents") == "not-evaluated"  # no --inventory
    assert judged.pop("ogi-report-template") == ("passed" if figures.year >= 2021 else "not-applicable")
    assert set(judged.values()) == {"passed"}, judged


def _missing_section(figures: Figures) -> None:
    del figures.sections[4]


def _sections_swapped(figures: Figures) -> None:
    figures.sections[3], figures.sections[4] = figures.sections[4], figures.sections[3]


def _carried_out(figures: Figures) -> None:
    figures.carried_out = row(2, 0, 0, 0, 0, 0)


def _partly(figures: Figures) -> None:
    figures.partly = row(2, 0, 0, 0, 0, 0)


def _row_total(figures: Figures) -> None:
    figures.opened = ["3", "1", "0", "0", "0", "0", "5"]


def _t4_total(figures: Figures) -> None:
    figures.table4[4] = "2"


def _fraction(figures: Figures) -> None:
    figures.table2[1] = ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", ["12.5"])])


def _unit(figures: Figures) -> None:
    figures.table2[3] = ("第二十条第（八）项", ["本年收费金额（单位：元）"], [("行政事业性收费", ["3500"])])


def _old_template(figures: Figures) -> None:
    figures.table2 = correct_2020().table2


ERRORS: dict[str, tuple[Callable[[Figures], None], str, str, str]] = {
    # name: (the error, the rule that must find it, the finding's kind, a word of its message)
    "缺少第五部分": (_missing_section, "ogi-report-sections", "missing", "五、存在的主要问题及改进情况"),
    "第四、五部分顺序颠倒": (
        _sections_swapped,
        "ogi-report-sections",
        "format",
        "“五、存在的主要问题及改进情况”排在“四、政府信息公开行政复议、行政诉讼情况”之前",
    ),
    "勾稽关系不成立": (
        _carried_out,
        "ogi-report-t3-balance",
        "inconsistent",
        "一、本年新收 5 + 二、上年结转 1 = 6",
    ),
    "办理结果之和不等于总计": (_partly, "ogi-report-t3-results", "inconsistent", "各项之和为 6"),
    "行的总计算错": (_row_total, "ogi-report-t3-row-totals", "inconsistent", "合计 4，“总计”填为 5"),
    "表四总计算错": (_t4_total, "ogi-report-t4-totals", "inconsistent", "“行政复议”合计 1，“总计”填为 2"),
    "决定数量不是整数": (_fraction, "ogi-report-values", "format", "12.5"),
    "收费金额单位为元": (_unit, "ogi-report-values", "format", "单位：元"),
    "2021年度用试行格式": (_old_template, "ogi-report-template", "format", "本年新制作数量"),
}


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("error", list(ERRORS))
def test_each_deliberate_error_is_found_by_its_rule(tmp_path: Path, suffix: str, error: str) -> None:
    change, rule, kind, words = ERRORS[error]
    figures = correct_2021()
    change(figures)
    report = check(write(figures, tmp_path / f"年报{suffix}"))
    found = [finding for finding in report.findings if finding.rule == rule]
    assert found, [finding.message for finding in report.findings]
    assert {finding.kind for finding in found} == {kind}
    assert any(words in finding.message for finding in found), [finding.message for finding in found]
    assert found[0].subject.startswith("天水市秦州区司法局2021年政府信息公开工作年度报告")
    assert found[0].refs and found[0].fix


def test_the_same_error_has_the_same_fingerprint_in_every_format(tmp_path: Path) -> None:
    figures = correct_2021()
    _carried_out(figures)
    prints = {
        suffix: sorted(
            finding.fingerprint for finding in check(write(figures, tmp_path / f"年报{suffix}")).findings
        )
        for suffix in FORMATS
    }
    assert len(set(map(tuple, prints.values()))) == 1, prints
    assert len(prints[".pdf"]) == 1  # one gap, though it shows in the 自然人 and the 总计 columns


@pytest.mark.parametrize("suffix", [".docx", ".html", ".pdf"])
def test_a_blank_total_beside_nonzero_parts_is_a_warning(tmp_path: Path, suffix: str) -> None:
    figures = correct_2021()
    figures.unable[0] = ["1", "0", "0", "0", "0", "0", ""]
    report = check(write(figures, tmp_path / f"年报{suffix}"))
    blank = [finding for finding in report.findings if finding.rule == "ogi-report-t3-row-totals"]
    assert [(finding.severity, "“总计”栏空白" in finding.message) for finding in blank] == [("warning", True)]


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_carry_over_is_compared_with_last_years_report(tmp_path: Path, suffix: str) -> None:
    last_year = write(correct_2020(), tmp_path / f"2020年报{suffix}")
    this_year = correct_2021()
    assert check(write(this_year, tmp_path / f"2021年报{suffix}"), previous=[last_year]).findings == []
    this_year.carried_in = row(2, 0, 0, 0, 0, 0)
    this_year.new = row(4, 1, 0, 0, 0, 0)  # keeps this year's own identity true
    report = check(write(this_year, tmp_path / f"2021年报{suffix}"), previous=[last_year])
    (finding,) = report.findings
    assert finding.rule == "ogi-report-carryover" and finding.elements == ("自然人", "总计")
    assert (
        "与 2020 年度报告“四、结转下年度继续办理”不一致：“自然人”列本年为 2，上年报告为 1" in finding.message
    )


def test_the_normative_documents_are_compared_with_the_inventory(tmp_path: Path) -> None:
    inventory = tmp_path / "清单.yaml"
    documents = "".join(
        f"  - {{index_no: 620502-2021-0010{n}, title: 秦州区司法局{name}, formed: 2021-0{n}-02, "
        f"published: 2021-0{n}-05, validity: 有效}}\n"
        for n, name in ((1, "法律援助经济困难证明告知承诺实施办法"), (2, "人民调解员以案定补管理办法"))
    )
    inventory.write_text(f"bureau: {{name: 天水市秦州区司法局}}\nitems:\n{documents}", encoding="utf-8")
    path = write(correct_2021(), tmp_path / "年报.html")
    assert statuses(check(path, inventory=inventory))["ogi-report-documents"] == "passed"
    figures = correct_2021()
    figures.table2[0] = (
        "第二十条第（一）项",
        ["本年制发件数", "本年废止件数", "现行有效件数"],
        [("规章", ["0", "0", "0"]), ("行政规范性文件", ["0", "0", "5"])],
    )
    report = check(write(figures, tmp_path / "年报.html"), inventory=inventory)
    (finding,) = report.findings
    assert (finding.rule, finding.severity) == ("ogi-report-documents", "info")
    assert "清单中 2021 年成文的规范性文件有 2 件" in finding.message and "以案定补" in finding.message


def test_publication_after_31_january_is_late(tmp_path: Path) -> None:
    path = write(correct_2021(), tmp_path / "年报.docx")
    (late,) = check(path, published=date(2022, 2, 10)).findings
    assert (late.rule, late.kind, late.due) == ("ogi-49-annual-report", "late", date(2022, 1, 31))
    assert "逾期 10 日" in late.message
    # a saved page says its own 发布日期
    page = tmp_path / "年报.html"
    from tests.annual_reports import write_html

    write_html(correct_2021(), page, published="2022-02-08")
    assert [finding.rule for finding in check(page).findings] == ["ogi-49-annual-report"]
    assert statuses(check(page, level="township"))["ogi-49-annual-report"] == "not-applicable"


def test_cli_json_report_follows_the_report_schema_and_fails_on_errors(tmp_path: Path) -> None:
    figures = correct_2021()
    _carried_out(figures)
    path = write(figures, tmp_path / "年报.pdf")
    result = run_cli("report", "check", path, "--as-of", "2022-03-10", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    schema = json.loads(files("compliance_audit").joinpath("schemas/report.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert {finding["rule"] for finding in data["findings"]} == {"ogi-report-t3-balance"}
    assert data["findings"][0]["item"] is None and "年报.pdf" in data["findings"][0]["subject"]
    markdown = run_cli("report", "check", path, "--as-of", "2022-03-10", "--format", "markdown")
    assert "### 数据不符（1）" in markdown.output


def test_a_superior_checks_many_reports_at_once(tmp_path: Path) -> None:
    """Each report is paired with last year's report of the same organ; one check line per rule."""
    qinzhou, maiji = correct_2021(), correct_2021()
    maiji.bureau = "天水市麦积区司法局"
    _t4_total(maiji)
    last_year = correct_2020()
    last_year.carried_out = row(0, 0, 0, 0, 0, 0)  # 秦州区 carried 1 into 2021: a mismatch
    reports = (write(qinzhou, tmp_path / "秦州.docx"), write(maiji, tmp_path / "麦积.pdf"))
    previous = write(last_year, tmp_path / "秦州2020.html")
    result = run_cli(
        "report", "check", *reports, "--previous", previous, "--as-of", "2022-03-10", "--format", "json"
    )
    data = json.loads(result.output)
    assert data["bureau"]["name"] == "天水市秦州区司法局、天水市麦积区司法局"
    found = sorted((finding["rule"], finding["subject"][:9]) for finding in data["findings"])
    assert found == [
        ("ogi-report-carryover", "天水市秦州区司法局"),
        ("ogi-report-t4-totals", "天水市麦积区司法局"),
    ]
    assert [check["rule"] for check in data["checks"]].count("ogi-report-carryover") == 1
    assert any(
        "麦积.pdf：--previous 中没有 2020 年度、同一机关的报告" in notice for notice in data["notices"]
    )


def test_a_waiver_by_fingerprint_accepts_one_finding(tmp_path: Path) -> None:
    figures = correct_2021()
    _carried_out(figures)
    _t4_total(figures)
    path = write(figures, tmp_path / "年报.txt")
    first = next(finding for finding in check(path).findings if finding.rule == "ogi-report-t3-balance")
    waivers = tmp_path / "豁免.yaml"
    waivers.write_text(
        f"waivers:\n  - rule: {first.rule}\n    fingerprint: {first.fingerprint}\n"
        "    reason: 已在更正公告中说明\n",
        encoding="utf-8",
    )
    result = run_cli(
        "report", "check", path, "--as-of", "2022-03-10", "--format", "json", "--waivers", waivers
    )
    kept = json.loads(result.output)["findings"]
    assert [finding["rule"] for finding in kept] == ["ogi-report-t4-totals"] and result.exit_code == 1


def test_a_pdf_table_without_rules_is_read_as_text_and_never_misread(tmp_path: Path) -> None:
    """Without rules pdfplumber finds no table: 表二 and 表四 read from the text lines; 表三's
    wrapped labels put numbers out of the printed order, so it is reported unread, not judged."""
    from tests.annual_reports import write_pdf

    figures = correct_2021()
    _t4_total(figures)
    report = check(write_pdf(figures, tmp_path / "无边框.pdf", ruled=False))
    assert [finding.rule for finding in report.findings] == ["ogi-report-t4-totals"]
    judged = statuses(report)
    assert judged["ogi-report-t3-balance"] == "not-evaluated"
    assert any("表三的行与格式的次序不符" in notice for notice in report.notices)


def test_a_cell_that_is_not_a_number_is_named_and_not_counted_as_zero(tmp_path: Path) -> None:
    figures = correct_2021()
    figures.table2[0] = (
        "第二十条第（一）项",
        ["本年制发件数", "本年废止件数", "现行有效件数"],
        [("规章", ["0", "0", "0"]), ("行政规范性文件", ["见附件", "0", "5"])],
    )
    inventory = tmp_path / "清单.yaml"
    inventory.write_text(
        "bureau: {name: 天水市秦州区司法局}\nitems:\n"
        "  - {title: 秦州区司法局人民调解员以案定补管理办法, formed: 2021-09-10, published: 2021-09-15}\n",
        encoding="utf-8",
    )
    report = check(write(figures, tmp_path / "年报.html"), inventory=inventory)
    assert report.findings == []
    assert any("“行政规范性文件”“本年制发件数”填为“见附件”" in notice for notice in report.notices)


def test_what_could_not_be_read_is_said_and_not_judged(tmp_path: Path) -> None:
    path = tmp_path / "年报.txt"
    path.write_text(
        "天水市秦州区司法局2021年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n（表格为图片）\n"
        "三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n"
        "六、其他需要报告的事项\n",
        encoding="utf-8",
    )
    report = check(path)
    assert report.findings == []
    assert any("未能读到表三" in notice for notice in report.notices)
    judged = statuses(report)
    assert judged["ogi-report-sections"] == "passed"
    assert judged["ogi-report-t3-balance"] == judged["ogi-report-t4-totals"] == "not-evaluated"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("年报.doc", b"\xd0\xcf\x11\xe0", "请另存为 .docx"),
        ("年报.pdf", b"%PDF-1.4\nnot really a pdf", "不是有效的 PDF"),
        ("年报.docx", b"PK\x03\x04broken", "不是有效的 docx"),
        ("年报.txt", "本局今年工作很好。".encode(), "无法从标题或正文确定报告所属年度"),
        ("年报.txt", "秦州区司法局2017年政府信息公开工作年度报告".encode(), "早于2019年"),
        ("年报.odt", b"x", "不支持的文件类型"),
    ],
)
def test_bad_report_files_end_in_one_clear_line(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("report", "check", path)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert name in lines[0] and words in lines[0], lines[0]


def test_an_image_only_pdf_is_refused_plainly(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "扫描件.pdf"
    canvas = Canvas(str(path))
    canvas.rect(100, 100, 200, 200, fill=1)
    canvas.save()
    result = run_cli("report", "check", path, "--year", "2021")
    assert result.exit_code == 2 and "可能是扫描件" in result.stderr


def test_audit_runs_the_same_checks_on_a_report_body(tmp_path: Path) -> None:
    from tests.annual_reports import text_body

    figures = correct_2021()
    _partly(figures)
    body = "\n".join("      " + line for line in text_body(figures).splitlines())
    inventory = tmp_path / "清单.yaml"
    inventory.write_text(
        "bureau: {name: 天水市秦州区司法局, level: county}\nitems:\n"
        "  - index_no: 620502-2022-00006\n    title: 天水市秦州区司法局2021年政府信息公开工作年度报告\n"
        "    column: 政府信息公开年报\n    published: 2022-01-20\n    body: |\n" + body + "\n",
        encoding="utf-8",
    )
    result = run_cli("audit", inventory, "--as-of", "2022-03-10", "--format", "json")
    data = json.loads(result.output)
    annual = [finding for finding in data["findings"] if finding["rule"].startswith("ogi-report-")]
    assert {finding["rule"] for finding in annual} == {"ogi-report-t3-results"}
    assert all(finding["item"]["index_no"] == "620502-2022-00006" for finding in annual)
    checks = {check["rule"]: check["status"] for check in data["checks"]}
    assert checks["ogi-report-t3-balance"] == "passed" and checks["ogi-report-t3-results"] == "failed"
