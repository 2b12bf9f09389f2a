"""The summary formats as a person opens them: the workbook in a spreadsheet (openpyxl), the 整改通知
in a word processor (python-docx), the page's source (escaping); `audit --format html|xlsx|docx`
uses the same renderers for one bureau."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from compliance_audit.audit import run_audit
from compliance_audit.catalogue_import.own import choose_catalogue
from compliance_audit.inventory import load_inventory
from compliance_audit.report import docx as official
from compliance_audit.report.model import Report
from compliance_audit.report.notice import render_notice
from compliance_audit.ruleset.catalogue import CatalogueLibrary
from compliance_audit.ruleset.loader import load_rulebook
from compliance_audit.workcalendar import WorkCalendar
from tests.helpers import AS_OF, EXAMPLE, copy_examples, run_cli

FORMULA_NAME = '=HYPERLINK("http://example.invalid","点此")司法局'
HOSTILE_NAME = '<script>alert("x")</script><img src=x onerror=alert(1)>司法局'


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example batch plus two bureaus with hostile names (the 秦州 inventory under other names)."""
    base = tmp_path_factory.mktemp("summary")
    manifest = copy_examples(base)
    with manifest.open("a", encoding="utf-8") as handle:
        for name in (FORMULA_NAME, HOSTILE_NAME):
            escaped = name.replace('"', '\\"')
            handle.write(f'  - name: "{escaped}"\n    inventory: ../qinzhou-justice/inventory.yaml\n')
    out = base / "out"
    result = run_cli("batch", manifest, "-o", out, "--as-of", AS_OF, "-j", "2", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    return out


def _rows(sheet: Worksheet) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(values_only=True))


def test_the_workbook_has_its_sheets_frozen_filtered_and_sized(summary: Path) -> None:
    book = load_workbook(summary / "汇总.xlsx")
    assert book.sheetnames == ["概况", "排名", "问题", "要求矩阵", "趋势"]
    ranking = book["排名"]
    assert ranking.freeze_panes == "C2"
    rows = _rows(ranking)
    headers = rows[0]
    assert headers[:6] == ("排名", "机关", "地区", "层级", "得分", "已满足/能判断的要求")
    assert ranking.auto_filter.ref == f"A1:{get_column_letter(len(headers))}{len(rows)}"
    assert ranking.column_dimensions["B"].width == 26
    # ranked by score, the failed bureau last with its reason
    scores = [row[4] for row in rows[1:] if row[0] is not None]
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    assert [row[0] for row in rows[1:]][:3] == [1, 2, 3]
    last = dict(zip(headers, rows[-1], strict=True))
    assert last["机关"] == "清水县司法局" and last["状态"] == "审计失败"
    assert "2021年2月30日" in str(last["说明"])
    gangu = next(dict(zip(headers, row, strict=True)) for row in rows if row[1] == "甘谷县司法局")
    assert (gangu["得分"], gangu["已满足/能判断的要求"], gangu["地区"]) == (
        79.2,
        "12/18",
        "甘肃省天水市甘谷县",
    )
    assert gangu["问题：缺失"] == 7 and gangu["问题：栏目不更新"] == 2
    rules = {str(cf.sqref): [rule.type for rule in cf.rules] for cf in ranking.conditional_formatting}
    assert rules[f"E2:E{len(rows)}"] == ["colorScale"]
    assert rules[f"K2:K{len(rows)}"] == ["cellIs"]


def test_the_findings_sheet_carries_every_finding_with_its_basis_and_fix(summary: Path) -> None:
    sheet = load_workbook(summary / "汇总.xlsx")["问题"]
    rows = _rows(sheet)
    assert rows[0] == (
        "机关",
        "严重程度",
        "类别",
        "规则",
        "信息",
        "问题",
        "依据",
        "期限",
        "整改建议",
        "指纹",
        "与上次相比",
    )
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == f"A1:K{len(rows)}"
    late = next(
        row for row in rows if row[0] == "天水市秦州区司法局" and "秦司罚决字〔2020〕1号" in str(row[4])
    )
    assert late[1:4] == ("错误", "逾期公开", "enforcement-decisions-licensing-penalty")
    assert late[6] == "国办发〔2018〕118号 二（六）加强事后公开"
    assert late[7] == "2020-11-11"
    assert "7个工作日" in str(late[8])
    severities = [cf for cf in sheet.conditional_formatting if str(cf.sqref) == f"B2:B{len(rows)}"]
    assert [rule.formula for cf in severities for rule in cf.rules] == [
        ['LEFT($B2,2)="错误"'],
        ['LEFT($B2,2)="警告"'],
    ]


def test_the_requirements_matrix_is_coloured_by_state(summary: Path) -> None:
    sheet = load_workbook(summary / "汇总.xlsx")["要求矩阵"]
    rows = _rows(sheet)
    assert sheet.freeze_panes == "B2"
    assert rows[0][0] == "机关"
    assert "政府信息公开指南" in "".join(str(h) for h in rows[0])
    states = {str(value) for row in rows[1:] for value in row[1:]}
    assert {"已满足", "缺失", "不适用"} <= states
    colours = {
        rule.formula[0]: rule.dxf.fill.fgColor.rgb[-6:]
        for cf in sheet.conditional_formatting
        for rule in cf.rules
    }
    assert (
        colours['"缺失"'] == "FFC7CE"
        and colours['"已满足"'] == "C6EFCE"
        and colours['"部分满足"'] == "FFEB9C"
    )


def test_a_bureau_name_that_looks_like_a_formula_stays_text(summary: Path) -> None:
    book = load_workbook(summary / "汇总.xlsx")
    cells = [cell for row in book["排名"].iter_rows(min_col=2, max_col=2) for cell in row]
    cell = next(cell for cell in cells if cell.value == FORMULA_NAME)
    assert cell.data_type == "s"
    assert cell.quotePrefix
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for each in row:
                assert each.data_type != "f", (sheet.title, each.coordinate)


def test_the_page_escapes_everything_from_the_bureaus(summary: Path) -> None:
    page = (summary / "汇总.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "onerror=alert(1)>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;司法局" in page
    assert page.count("<script>") == 1  # the page's own, inline
    assert "http://" not in page.replace("http://example.invalid", "").replace("http://www.", "")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def _report() -> Report:
    inventory = load_inventory(EXAMPLE)
    library = CatalogueLibrary.bundled()
    catalogue = choose_catalogue(None, inventory, library)
    return run_audit(inventory, load_rulebook(None), catalogue, WorkCalendar.bundled(), date(2021, 3, 10))


def _paragraphs(data: bytes) -> list[Paragraph]:
    """The paragraphs that hold text (the layout's blank lines left out)."""
    return [paragraph for paragraph in docx.Document(io.BytesIO(data)).paragraphs if paragraph.text]


def _east_asian_font(run: Run) -> str | None:
    font: str | None = run.element.xpath("string(./w:rPr/w:rFonts/@w:eastAsia)") or None
    return font


def test_the_notice_is_in_the_official_layout_and_lists_each_finding(summary: Path) -> None:
    paragraphs = _paragraphs((summary / "整改通知" / "天水市秦州区司法局.docx").read_bytes())
    texts = [p.text for p in paragraphs]
    title = paragraphs[0]
    assert title.text == "关于天水市秦州区司法局政府信息公开问题整改的通知"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert _east_asian_font(run) == "方正小标宋简体"
    assert texts[1] == "天水市秦州区司法局："
    assert texts[2].startswith(
        "根据《中华人民共和国政府信息公开条例》和《公共法律服务领域基层政务公开标准目录》，天水市司法局"
    )
    body = paragraphs[2]
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert body.style is not None and body.style.paragraph_format.line_spacing == official.LINE
    assert _east_asian_font(body.runs[0]) == "仿宋_GB2312"
    assert "一、存在的问题" in texts and "二、整改要求" in texts
    late = next(text for text in texts if "秦司罚决字〔2020〕1号" in text and "逾期" in text)
    assert late.startswith(tuple(f"{n}．【错误】" for n in range(1, 40)))
    assert "依据：国办发〔2018〕118号 二（六）加强事后公开。" in late
    assert "期限：2020年11月11日。" in late
    assert "整改：行政许可、行政处罚决定作出后7个工作日内" in late
    # 15 working days after 2021-03-10 (no holiday falls in between)
    assert any("于2021年3月31日前将整改情况" in text and "书面报送天水市司法局" in text for text in texts)
    assert texts[-2:] == ["天水市司法局", "2021年3月10日"]
    assert paragraphs[-1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    numbered = [text for text in texts if re.match(r"\d+．【(错误|警告)", text)]
    summary_counts = json.loads((summary / "报告" / "天水市秦州区司法局.json").read_text(encoding="utf-8"))[
        "summary"
    ]
    assert len(numbered) == summary_counts["errors"] + summary_counts["warnings"]


def test_a_bureau_with_nothing_to_fix_gets_no_notice_in_a_batch_and_a_clean_one_on_request() -> None:
    report = _report()
    only_infos = replace(report, findings=[f for f in report.findings if f.severity == "info"])
    texts = [p.text for p in _paragraphs(render_notice(only_infos))]
    assert "未发现需要整改的问题" in texts[2]
    assert "一、存在的问题" not in texts
    assert "另有提示性问题2个，详见审计报告，请一并核对。" in texts
    assert texts[-2] == "（发文机关署名）"  # no issuer given: the line is left to sign


def test_the_reply_deadline_skips_the_spring_festival() -> None:
    report = replace(_report(), as_of=date(2021, 2, 5))
    texts = [p.text for p in _paragraphs(render_notice(report, issuer="天水市司法局", reply_days=5))]
    # 2021-02-07 (Sunday) and 02-20 (Saturday) are make-up working days; 02-11..17 are the holiday
    assert any("于2021年2月18日前将整改情况" in text for text in texts)


@pytest.mark.parametrize("suffix", [".html", ".xlsx", ".docx"])
def test_audit_writes_the_same_formats_for_one_bureau(tmp_path: Path, suffix: str) -> None:
    output = tmp_path / f"报告{suffix}"
    fmt = suffix[1:]
    result = run_cli("audit", EXAMPLE, "--as-of", AS_OF, "--format", fmt, "-o", output, "--fail-on", "never")
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    if suffix == ".html":
        text = data.decode("utf-8")
        assert "<title>合规审计报告：天水市秦州区司法局</title>" in text
        assert '<details class="bureau" id="b-1" open>' in text
    elif suffix == ".xlsx":
        book = load_workbook(io.BytesIO(data))
        assert book.sheetnames == ["概况", "排名", "问题", "要求矩阵"]
        assert _rows(book["排名"])[1][1] == "天水市秦州区司法局"
    else:
        assert _paragraphs(data)[0].text == "关于天水市秦州区司法局政府信息公开问题整改的通知"


def test_a_binary_format_needs_an_output_file() -> None:
    result = run_cli("audit", EXAMPLE, "--as-of", AS_OF, "--format", "xlsx")
    assert result.exit_code == 2
    assert "xlsx 格式须写入文件" in result.stderr
