"""`selfassess`: the year-end self-assessment as an official .docx, Markdown and HTML, with the
audit's findings grouped by kind, the annual report's check, a 整改计划 to fill in and a draft of
table 二 marked as a draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document

from tests.annual_reports import correct_2021, write
from tests.helpers import EXAMPLE, run_cli


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("selfassess")
    report = write(correct_2021(), folder / "2021年报.docx")
    out = {}
    for suffix in (".docx", ".md", ".html"):
        target = folder / f"自查报告{suffix}"
        result = run_cli(
            "selfassess", EXAMPLE, "--year", "2021", "--report", report, "--as-of", "2022-01-25",
            "--recipient", "秦州区人民政府办公室", "-o", target,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        out[suffix] = target
    return out


def test_docx_is_in_the_official_register(written: dict[str, Path]) -> None:
    document = Document(str(written[".docx"]))
    texts = [paragraph.text for paragraph in document.paragraphs if paragraph.text]
    assert texts[0] == "天水市秦州区司法局关于2021年度政府信息公开工作的自查报告"
    assert texts[1] == "秦州区人民政府办公室："
    headings = [text for text in texts if text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert headings == [
        "一、自查范围和方法",
        "二、自查总体情况",
        "三、发现的主要问题",
        "四、年度报告检查情况",
        "五、整改计划",
        "六、附：年度报告表二草稿",
    ]
    assert texts[-2:] == ["天水市秦州区司法局", "2022年1月25日"]
    title_run: Any = document.paragraphs[0].runs[0]
    east_asia = title_run._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east_asia == "方正小标宋简体" and title_run.font.size.pt == 22
    section: Any = document.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    plan, draft = document.tables
    assert [cell.text for cell in plan.rows[0].cells] == [
        "序号",
        "问题",
        "整改措施",
        "责任单位（人）",
        "完成时限",
    ]
    assert len(plan.rows) > 5 and all(row.cells[3].text == "" for row in plan.rows[1:])
    assert any("逾期" in row.cells[1].text or "年度报告" in row.cells[1].text for row in plan.rows[1:])
    assert [cell.text for cell in draft.rows[0].cells] == ["项目", "信息内容", "栏目", "草稿数", "依据"]
    assert "草稿" in " ".join(texts)


def test_findings_are_grouped_by_kind_with_basis_and_fix(written: dict[str, Path]) -> None:
    text = written[".md"].read_text(encoding="utf-8")
    assert "### （一）缺失（" in text and "逾期公开（" in text
    assert "依据：《条例》第四十九条" in text and "整改建议：" in text
    assert "规则包为" in text and "moj-plsd-2019" in text and "chinesecalendar" in text
    # the 2021 report checked: all tables read; its 2 规范性文件 are not in the example inventory
    assert "对年度报告（2021年报.docx）逐项检查" in text and "发现问题 1 项" in text
    assert "表二填报本年制发行政规范性文件 2 件，清单中 2021 年成文的规范性文件有 0 件" in text
    assert "| 第二十条第（一）项 | 行政规范性文件 | 本年制发件数 |" in text


def test_html_escapes_portal_text(tmp_path: Path) -> None:
    inventory = tmp_path / "清单.yaml"
    inventory.write_text(
        "bureau: {name: 某县司法局<script>alert(1)</script>, level: county}\nitems:\n"
        "  - {title: '关于<img src=x onerror=alert(1)>的通知', published: 2021-03-01, formed: 2021-01-04}\n",
        encoding="utf-8",
    )
    target = tmp_path / "自查.html"
    result = run_cli("selfassess", inventory, "--year", "2021", "--as-of", "2021-12-30", "-o", target)
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html
    markdown = tmp_path / "自查.md"
    run_cli("selfassess", inventory, "--year", "2021", "--as-of", "2021-12-30", "-o", markdown)
    assert "<img" not in markdown.read_text(encoding="utf-8")


def test_draft_table_counts_what_the_inventory_supports(tmp_path: Path) -> None:
    inventory = tmp_path / "清单.yaml"
    inventory.write_text(
        "bureau: {name: 秦州区司法局, level: county}\nitems:\n"
        "  - {title: 秦州区司法局人民调解员以案定补管理办法, formed: 2021-09-10,\n"
        "     published: 2021-09-15, validity: 有效}\n"
        "  - {title: 秦州区司法局法律援助实施办法, formed: 2019-04-01,\n"
        "     published: 2019-04-10, validity: 有效}\n"
        "  - {title: 秦州区司法局律师执业管理暂行办法, formed: 2018-04-01, published: 2018-04-10,\n"
        "     validity: 废止}\n"
        "  - {title: 秦州区司法局行政处罚决定书（秦司罚决字〔2021〕3号）, formed: 2021-05-06,\n"
        "     published: 2021-05-10}\n",
        encoding="utf-8",
    )
    target = tmp_path / "自查.md"
    assert (
        run_cli("selfassess", inventory, "--year", "2021", "--as-of", "2021-12-30", "-o", target).exit_code
        == 0
    )
    text = target.read_text(encoding="utf-8")
    assert "| 行政规范性文件 | 本年制发件数 | **1** |" in text
    assert "| 行政规范性文件 | 现行有效件数 | **2** |" in text
    assert "| 行政处罚 | 本年处理决定数量 | **1** |" in text
    assert "| 行政规范性文件 | 本年废止件数 | **待填** |" in text
    assert "| 规章 | 本年制发件数 | **0** | 县级以下机关不制定规章 |" in text


def test_unknown_output_suffix_is_bad_input(tmp_path: Path) -> None:
    result = run_cli("selfassess", EXAMPLE, "--year", "2021", "-o", tmp_path / "自查.pdf")
    assert result.exit_code == 2 and "不支持的自查报告格式" in result.stderr
