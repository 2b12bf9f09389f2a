"""catalogue import: published tables in each format give the rows a person reading them would
write down, the file validates and loads, and an audit works with it at once.

The .html fixtures are built in the layouts of shared/reference/catalogue-tables.md (东阳, 三门);
the .xlsx, .csv and .docx tables are built here, in the layouts of 嘉荫, 东莞 and 奉节.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import Workbook

from compliance_audit.catalogue_import import ImportResult, import_catalogue, import_table
from compliance_audit.ruleset.catalogue import CatalogueLibrary, load_catalogue
from compliance_audit.schemas import validate_document
from compliance_audit.yamlsafe import load_yaml_file
from tests.helpers import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "catalogue_import"
DONGYANG = FIXTURES / "dongyang.html"
SANMEN = FIXTURES / "sanmen.html"
INVENTORY = FIXTURES / "inventory.yaml"

PLAN_7 = (
    "《中共中央、国务院转发〈中央宣传部、司法部关于在公民中开展法治宣传教育的第七个五年规划(2016-2020年)〉》"
)
DEADLINE_20 = {
    "working_days": 20,
    "from": "formed_or_obtained",
    "text": "自制作或获取该信息之日起20个工作日内公开",
}
CHANNELS_7 = [
    "政府网站",
    "两微一端",
    "广播电视",
    "纸质媒体",
    "入户/现场",
    "社区/企事业单位/村公示栏(电子屏)",
    "其他法律服务网",
]
CHANNEL_NOTE = "公开渠道和载体注：有关公开信息可推送或归集至本省级法律服务网。"


def _import(path: Path, **options: Any) -> ImportResult:
    return import_table(path, catalogue_id=options.pop("catalogue_id", "test-import"), **options)


def _rows(result: ImportResult) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in result.document["rows"]}


def _names(row: dict[str, Any]) -> list[str]:
    return [element["name"] for element in row["elements"]]


# ---- .html like 东阳: rowspan on 序号 and 一级事项, 同上, ■ run together, 五公开, three level columns


def test_dongyang_html_reads_merged_rows_and_same_as_above() -> None:
    result = _import(DONGYANG)
    rows = _rows(result)
    # 序号 1 is merged over three rows, so it cannot name them: R1 …
    assert list(rows) == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert rows["R1"] == {
        "id": "R1",
        "level1": "法治宣传教育",
        "level2": "法律知识普及服务",
        "elements": [{"name": "法律法规资讯"}, {"name": "普法动态资讯"}, {"name": "普法讲师团信息"}],
        "basis": [PLAN_7.replace("〈", "<").replace("〉", ">"), "各省“七五”普法规划"],
        "deadline": DEADLINE_20,
        "subject": "市司法局(行政复议局)",
        "channels": CHANNELS_7,
        "audience": ["全社会"],
        "mode": "主动",
        "levels": ["county", "township"],  # 东阳市级 is the county-level city; 镇街乡 and 村 are township
        "confidence": "high",
        "inferred": [],
        "sources": ["dongyang.html"],
        "notes": CHANNEL_NOTE,
        "extra": {"公开": "■文本", "五公开": "□决策"},
        "elements_illustrative": True,  # the cell ends in 等
    }
    # rows 2 and 3 have neither 序号 nor 一级事项 (merged), and write 同上 for basis and channels
    for row_id, level2 in (("R2", "推广法治文化服务"), ("R3", "法治宣传教育表彰奖励")):
        assert rows[row_id]["level1"] == "法治宣传教育"
        assert rows[row_id]["level2"] == level2
        assert rows[row_id]["basis"] == rows["R1"]["basis"]
        assert rows[row_id]["channels"] == CHANNELS_7
    assert _names(rows["R2"]) == ["辖区内法治文化阵地信息", "法治文化作品、产品"]
    # a line break in the page source inside the cell is wrapping, not a separator
    assert _names(rows["R3"]) == [
        "评选表彰通知",
        "先进集体和个人申报表(空白表)",
        "拟表彰的先进集体先进个人名单",
        "表彰决定",
    ]
    assert rows["R3"]["levels"] == ["county"]


def test_dongyang_html_special_cells() -> None:
    result = _import(DONGYANG)
    rows = _rows(result)
    aid = rows["R4"]
    assert _names(aid) == ["给予法律援助决定书", "不予法律援助决定书", "指派通知书"]  # one <p> each
    assert aid["basis"] == ["《中华人民共和国法律援助法》", "《法律援助条例》"]
    assert aid["deadline"] == {"working_days": 7, "from": "decision", "text": "自作出决定之日起7个工作日内"}
    assert aid["channels"] == ["精准推送"]  # □政府网站 is not selected
    # the 特定群众 cell names the group instead of a √
    assert aid["audience"] == ["特定群众"]
    assert aid["audience_note"] == "法律援助申请人、受指派的法律援助人员"
    assert (aid["mode"], aid["levels"]) == ("主动", ["county"])
    mediation = rows["R5"]
    assert _names(mediation) == ["人民调解委员会名称、地址、联系方式", "人民调解员名单"]  # <br> separates
    assert mediation["deadline"] == {"working_days": None, "text": "长期"}
    # ○ is no tick this importer knows, and 按上级要求 no deadline: kept verbatim and listed
    notary = rows["R6"]
    assert notary["mode"] is None
    assert notary["deadline"] == {"working_days": None, "text": "按上级要求"}
    assert notary["notes"] == "公开方式/主动（原文）：○"
    assert [(cell.row_id, cell.column, cell.text) for cell in result.unparsed] == [
        ("R6", "公开时限", "按上级要求"),
        ("R6", "公开方式/主动", "○"),
    ]
    assert result.rows_without_mode == ("R6",)
    assert any("审计时列为未评估：R6" in warning for warning in result.warnings)


def test_page_title_names_the_catalogue_without_the_site_and_the_series_number() -> None:
    assert _import(DONGYANG).document["catalogue"]["title"] == "公共法律服务领域基层政务公开标准目录"
    assert (
        _import(DONGYANG, title="东阳市公共法律服务目录").document["catalogue"]["title"]
        == "东阳市公共法律服务目录"
    )


def test_gbk_page_reads_the_same(tmp_path: Path) -> None:
    page = tmp_path / "dongyang.html"
    text = DONGYANG.read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="gb2312"')
    page.write_bytes(text.encode("gb18030"))
    assert _import(page).document["rows"] == _import(DONGYANG).document["rows"]


# ---- .html like 三门: level group labelled 公开方式 twice, 三级事项 declared, four √ with empty cells


def test_sanmen_html_reads_levels_under_the_mislabelled_group() -> None:
    result = _import(SANMEN)
    rows = _rows(result)
    assert list(rows) == ["1", "2", "3", "4"]  # 序号 on every row names the rows
    first = rows["1"]
    assert first["seq"] == 1
    assert "level3" not in first  # declared, never filled
    assert first["basis"] == [PLAN_7, "浙江省“七五”普法规划"]
    assert first["channels"] == CHANNELS_7
    assert first["notes"] == CHANNEL_NOTE
    for row_id in ("1", "2", "3"):
        assert rows[row_id]["level1"] == "法治宣传教育"
        assert (rows[row_id]["audience"], rows[row_id]["mode"]) == (["全社会"], "主动")
        assert rows[row_id]["levels"] == ["county", "township"]
    assert rows["3"]["level2"] == "对在法治宣传教育工作中做出显著成绩的单位和个人进行表彰奖励"
    assert "notes" not in rows["3"]
    lawyers = rows["4"]
    assert (lawyers["level1"], _names(lawyers)) == ("律师", ["行政处罚决定或行政处罚决定书"])
    assert (lawyers["audience"], lawyers["mode"], lawyers["levels"]) == ([], None, [])
    assert result.rows_without_mode == ("4",)
    assert result.unparsed == ()
    assert result.document["catalogue"]["title"] == "公共法律服务领域基层政务公开标准目录(试行)"


# ---- .xlsx like 嘉荫 with merged ranges


def _cells(line: str) -> list[str | None]:
    """A table row written as the reference writes page text: cells separated by "|"."""
    return [cell.strip() or None for cell in line.split("|")]


JIAYIN_BASIS = (
    "《中共中央、国务院转发〈中央宣传部、司法部关于在公民中开展法治宣传教育的第七个五年规划（2016—2020年）〉》"
    "《黑龙江省“七五”普法规划》"
)
JIAYIN_ROWS = [
    "（二）嘉荫县公共法律服务领域基层政务公开标准目录",
    "序号|公开事项| |公开内容（要素）|公开依据|公开时限|公开主体|公开渠道和载体"
    "|公开对象| |公开方式| |公开层级| ",
    " |一级事项|二级事项| | | | | |全社会|特定群体|主动|依申请|县级|乡级",
    f"1|法治宣传教育|法律知识普及服务|1.法律法规咨询\n2.普法动态咨询|{JIAYIN_BASIS}|{DEADLINE_20['text']}"
    "|嘉荫县司法局|■嘉荫县司法局公众号|√| |√| |√|√",
    f" | |推广法治文化服务|1.县域内法治文化阵地信息；2.法治文化作品、产品| |{DEADLINE_20['text']}"
    "|嘉荫县司法局|同上|√| |√| |√|√",
    f"2|法律援助|法律援助服务|1.给予法律援助决定书；2.不予法律援助决定书；3.指派通知书|《法律援助条例》"
    f"|{DEADLINE_20['text']}|嘉荫县法律援助中心|■精准推送| |法律援助申请人、受指派的法律援助人员|√| |√|",
    "3|行政许可|基层法律服务工作者执业、变更、注销许可|办事指南(依据、条件、程序)、准予行政许可决定"
    "|《基层法律服务工作者管理办法》（司法部令第138号）|制作或获取信息之日起7个工作日内|县司法局|县政府门户网站"
    "|√| |√| |√|",
    "注：本目录由县司法局负责解释。",
]
JIAYIN_MERGED = "A1:N1 A2:A3 B2:C2 D2:D3 E2:E3 F2:F3 G2:G3 H2:H3 I2:J2 K2:L2 M2:N2 A4:A5 B4:B5 E4:E5 A8:N8"


def _xlsx(path: Path) -> Path:
    """A sheet like 嘉荫's table: a merged title row, a two-row header with merged group headers,
    序号, 一级事项 and 公开依据 merged over the rows of a group, a merged note row at the end."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "标准目录"
    for line in JIAYIN_ROWS:
        sheet.append(_cells(line))
    sheet["A4"] = 1  # a number cell, as Excel stores a typed 序号
    for merged in JIAYIN_MERGED.split():
        sheet.merge_cells(merged)
    workbook.save(path)
    return path


def test_xlsx_merged_ranges_give_each_row_its_merged_values(tmp_path: Path) -> None:
    result = _import(_xlsx(tmp_path / "jiayin.xlsx"))
    rows = _rows(result)
    # 序号 numbers the 一级事项 groups (1, 1, 2, 3), not the rows
    assert list(rows) == ["R1", "R2", "R3", "R4"]
    assert "seq" not in rows["R1"]
    first, second = rows["R1"], rows["R2"]
    assert (first["level1"], second["level1"]) == ("法治宣传教育", "法治宣传教育")
    assert _names(first) == ["法律法规咨询", "普法动态咨询"]
    assert _names(second) == ["县域内法治文化阵地信息", "法治文化作品、产品"]
    # the basis cell is merged over both rows
    assert (
        first["basis"]
        == second["basis"]
        == [
            "《中共中央、国务院转发〈中央宣传部、司法部关于在公民中开展法治宣传教育的第七个五年规划（2016—2020年）〉》",
            "《黑龙江省“七五”普法规划》",
        ]
    )
    assert first["channels"] == second["channels"] == ["嘉荫县司法局公众号"]
    for row in (first, second):
        assert (row["audience"], row["mode"], row["levels"]) == (["全社会"], "主动", ["county", "township"])
    aid = rows["R3"]
    assert _names(aid) == ["给予法律援助决定书", "不予法律援助决定书", "指派通知书"]
    assert (aid["audience"], aid["audience_note"]) == (["特定群众"], "法律援助申请人、受指派的法律援助人员")
    assert (aid["mode"], aid["levels"]) == ("主动", ["county"])
    licence = rows["R4"]
    assert _names(licence) == ["办事指南(依据、条件、程序)", "准予行政许可决定"]
    assert licence["deadline"] == {
        "working_days": 7,
        "from": "formed_or_obtained",
        "text": "制作或获取信息之日起7个工作日内",
    }
    assert licence["channels"] == ["县政府门户网站"]
    assert result.document["catalogue"]["title"] == "嘉荫县公共法律服务领域基层政务公开标准目录"
    assert any("第 8 行是通栏文字" in warning for warning in result.warnings)
    assert result.rows_without_mode == () and result.unparsed == ()


# ---- .csv (GB18030) like 东莞: no level columns, a 政府网站 column, merged cells exported empty


def test_gb18030_csv_carries_the_first_level_down_and_keeps_extra_columns(tmp_path: Path) -> None:
    url = "http://sfj.example.gov.cn/"
    basis = "《中共中央、国务院转发〈……第八个五年规划（2021－2025年）〉》、《广东省“八五”普法规划》"
    deadline = "自制作或获取该信息之日起20个工作日内公开"
    channels = "■两微一端 ■入户/现场 ■其他法律服务网"
    lines = [
        "序号,公开事项,,公开内容（要素）,公开依据,公开时限,公开主体,公开渠道和载体,公开对象,,公开方式,,政府网站",
        ",一级事项,二级事项,,,,,,全社会,特定群众,主动,依申请公开,",
        f"1,法治宣传教育,法律知识普及服务,法律法规资讯;普法动态资讯,{basis},{deadline},司法分局,{channels},√,,√,,{url}",
        f"2,,推广法治文化服务,辖区内法治文化阵地信息;法治文化作品、产品,同上,{deadline},司法分局,同上,√,,√,,{url}",
        "3,法律咨询服务,公共法律服务实体平台、热线平台、网络平台咨询服务,"
        f"公共法律服务实体、热线、网络平台法律咨询服务指南,《中华人民共和国政府信息公开条例》,{deadline},"
        f'"司法分局\n公共法律服务中心",■两微一端,√,,√,,{url}',
    ]
    path = tmp_path / "dongcheng.csv"
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    rows = _rows(_import(path))
    assert list(rows) == ["1", "2", "3"]
    assert rows["2"]["level1"] == "法治宣传教育"  # exported empty under the merged cell
    assert rows["2"]["basis"] == [
        "《中共中央、国务院转发〈……第八个五年规划（2021－2025年）〉》",
        "《广东省“八五”普法规划》",
    ]
    assert rows["2"]["channels"] == ["两微一端", "入户/现场", "其他法律服务网"]
    assert _names(rows["3"]) == ["公共法律服务实体、热线、网络平台法律咨询服务指南"]
    assert rows["3"]["subject"] == "司法分局、公共法律服务中心"
    for row in rows.values():
        assert (row["audience"], row["mode"], row["levels"]) == (["全社会"], "主动", [])
        assert row["extra"] == {"政府网站": url}


# ---- .docx like 奉节: vertical and horizontal merges, 公开对象/方式/层级 written as text


FENGJIE_ROWS = [
    "序号|公开事项| |公开内容（要素）|公开依据|公开时限|公开主体|公开渠道和载体|公开对象|公开方式|公开层级",
    " |一级事项|二级事项| | | | | | | | ",
    "1|行政许可|基层法律服务工作者执业、变更、注销许可|办事指南(依据、条件、程序)、准予行政许可决定"
    "|《基层法律服务工作者管理办法》|制作或获取信息之日起7个工作日内|县司法局|县政府门户网站|全社会|主动|县级",
    "2| |律师事务所设立许可|办事指南；准予许可决定|《律师事务所管理办法》|制作或获取信息之日起7个工作日内"
    "|县司法局|县政府门户网站|全社会|主动公开|县级、乡级",
    "3|行政处罚|对律师违法行为的行政处罚|行政处罚决定书|《中华人民共和国律师法》"
    "|自作出行政处罚决定之日起7个工作日内|县司法局|县政府门户网站|特定群众（当事人）|依申请|县级",
]


def _docx(path: Path) -> Path:
    """A Word table like 奉节's, with 公开对象/方式/层级 written as text: single headers merged
    down over the two header rows, 公开事项 merged across, 行政许可 merged down over two rows."""
    document = docx.Document()
    document.add_paragraph("奉节县公共法律服务领域政务公开标准目录（2024年版）")
    rows = [_cells(line) for line in FENGJIE_ROWS]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row_index, values in enumerate(rows):
        for column, text in enumerate(values):
            table.cell(row_index, column).text = text or ""
    table.cell(0, 1).merge(table.cell(0, 2)).text = "公开事项"
    for column in (0, *range(3, len(rows[0]))):
        top = table.cell(0, column)
        text = top.text
        top.merge(table.cell(1, column)).text = text
    table.cell(2, 1).merge(table.cell(3, 1)).text = "行政许可"
    document.save(str(path))
    return path


def test_docx_merges_and_text_columns(tmp_path: Path) -> None:
    result = _import(_docx(tmp_path / "fengjie.docx"))
    rows = _rows(result)
    assert list(rows) == ["1", "2", "3"]
    assert rows["2"]["level1"] == "行政许可"  # vertically merged
    assert _names(rows["2"]) == ["办事指南", "准予许可决定"]
    assert (rows["1"]["audience"], rows["1"]["mode"], rows["1"]["levels"]) == (["全社会"], "主动", ["county"])
    assert (rows["2"]["mode"], rows["2"]["levels"]) == ("主动", ["county", "township"])
    penalty = rows["3"]
    assert (penalty["audience"], penalty["audience_note"]) == (["特定群众"], "特定群众（当事人）")
    assert penalty["mode"] == "依申请"
    assert penalty["deadline"]["from"] == "decision"
    assert result.document["catalogue"]["title"] == "奉节县公共法律服务领域政务公开标准目录（2024年版）"


# ---- the file: valid, loadable, reproducible; the command line and the audit


def test_written_file_validates_loads_and_is_reproducible(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    first = import_catalogue(DONGYANG, tmp_path / "a" / "dongyang-plsd.yaml", region="浙江省金华市东阳市")
    second = import_catalogue(DONGYANG, tmp_path / "dongyang-plsd.yaml", region="浙江省金华市东阳市")
    assert first.text == second.text
    assert (tmp_path / "dongyang-plsd.yaml").read_bytes() == (
        tmp_path / "a" / "dongyang-plsd.yaml"
    ).read_bytes()
    data = load_yaml_file(tmp_path / "dongyang-plsd.yaml")
    assert data == first.document
    validate_document(data, "ruleset", tmp_path / "dongyang-plsd.yaml", definition="catalogue_file")
    head = data["catalogue"]
    assert head["id"] == "dongyang"  # from the table's file name, not the output's
    assert head["version"].startswith("sha256:")
    assert (head["sector"], head["region"], head["imported_from"]) == (
        "justice",
        "浙江省金华市东阳市",
        "dongyang.html",
    )
    assert head["covers"] == {"rows": 6, "of": None, "note": "导入自 dongyang.html"}
    catalogue = load_catalogue(str(tmp_path / "dongyang-plsd.yaml"), CatalogueLibrary.bundled())
    assert len(catalogue.rows) == 6
    assert [row.id for row in catalogue.rows if row.required] == ["R1", "R2", "R3", "R4", "R5"]
    # elements come without match keywords; the loader derives them
    assert all(element.match is not None for row in catalogue.rows for element in row.elements)


def test_source_url_and_id_options(tmp_path: Path) -> None:
    url = "http://www.sanmen.gov.cn/col/col1229468253/index.html"
    result = import_catalogue(SANMEN, tmp_path / "x.yaml", catalogue_id="sanmen-plsd-2020", source_url=url)
    assert result.document["catalogue"]["id"] == "sanmen-plsd-2020"
    assert result.document["catalogue"]["sources"] == [url]
    assert all(row["sources"] == [url] for row in result.document["rows"])
    assert result.document["catalogue"]["imported_from"] == "sanmen.html"


def test_cli_import_then_audit_judges_the_rows_as_the_table_means_them(tmp_path: Path) -> None:
    output = tmp_path / "dongyang-plsd.yaml"
    imported = run_cli("catalogue", "import", DONGYANG, "-o", output)
    assert imported.exit_code == 0, imported.stderr
    assert "已导入 6 行" in imported.stderr and "目录编号 dongyang）" in imported.stderr
    assert "未勾选公开方式 1 行" in imported.stderr
    assert "无法解析的单元格 2 个" in imported.stderr and "按上级要求" in imported.stderr
    shown = run_cli("catalogue", "show", output)
    assert shown.exit_code == 0 and "法律援助服务" in shown.output
    audited = run_cli("audit", INVENTORY, "--as-of", "2021-03-10", "--catalogue", output, "--format", "json")
    assert audited.exit_code in (0, 1), audited.stderr
    report = json.loads(audited.output)
    requirements = {requirement["rule"]: requirement for requirement in report["requirements"]}
    # R1 lists its elements with 等: the examples not found are noted, the row is met
    assert requirements["dongyang:R1"]["status"] == "satisfied"
    (note,) = [f for f in report["findings"] if f["rule"] == "dongyang:R1"]
    assert note["severity"] == "info" and set(note["elements"]) == {"法律法规资讯", "普法讲师团信息"}
    # R2's elements are owed: the 法治文化作品 are missing
    culture = requirements["dongyang:R2"]
    assert culture["status"] == "partial"
    assert {element["name"]: element["status"] for element in culture["elements"]} == {
        "辖区内法治文化阵地信息": "satisfied",
        "法治文化作品、产品": "missing",
    }
    # R3 (表彰奖励) is owed only when an award was made: nothing in the inventory shows one
    assert requirements["dongyang:R3"]["status"] == "not-evaluated"
    assert "仅在作出相关决定时公开" in requirements["dongyang:R3"]["reason"]
    # R4 (法律援助 decisions) goes to 特定群众 by 精准推送: not owed on the website
    aid = requirements["dongyang:R4"]
    assert aid["status"] == "not-applicable" and "第十五条" in aid["reason"]
    assert requirements["dongyang:R6"]["status"] == "not-evaluated"
    # the bureau's own catalogue is in use: no advice to import one
    assert not any("catalogue import" in notice for notice in report["notices"])
    assert any("导入自 dongyang.html" in notice for notice in report["notices"])


def _bad(tmp_path: Path, name: str, content: bytes, *options: str) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("catalogue", "import", path, "-o", tmp_path / "out.yaml", *options)
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert not (tmp_path / "out.yaml").exists()
    return lines[0]


NO_CATALOGUE = "<table><tr><td>序号</td><td>公开事项</td><td>公开依据</td></tr></table>".encode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.html", b"", "文件为空"),
        ("blank.csv", b" \r\n", "文件为空"),
        ("page.html", NO_CATALOGUE, "没有找到标准目录表格"),
        ("junk.xlsx", b"PK\x03\x04 not really a workbook", "不是有效的 xlsx 工作簿"),
        ("junk.docx", b"\x00\x01\x02 binary", "不是有效的 docx 文档"),
        ("binary.csv", b"\x00\x01\x02\x03", "含二进制内容"),
        ("table.pdf", b"%PDF-1.4", "不支持的文件类型"),
        ("table.xls", b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
        ("level2-only.csv", "二级事项,公开内容\n法律援助服务,指派通知书\n".encode(), "没有“一级事项”列"),
        ("header-only.csv", "一级事项,二级事项,公开内容\n".encode(), "没有事项行"),
    ],
)
def test_bad_tables_exit_2_with_one_clear_message(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    assert message in _bad(tmp_path, name, content)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--id", "东阳目录"), "目录编号“东阳目录”不合格式"),
        (("--id", "moj-plsd-2019"), "与内置目录重复"),
        (("--sector", "Justice"), "领域“Justice”不合格式"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, options: tuple[str, ...], message: str) -> None:
    assert message in _bad(tmp_path, "table.html", DONGYANG.read_bytes(), *options)


def test_output_must_be_yaml_and_never_the_input(tmp_path: Path) -> None:
    result = run_cli("catalogue", "import", DONGYANG, "-o", tmp_path / "out.html")
    assert result.exit_code == 2 and "应以 .yaml 为扩展名" in result.stderr
    table = tmp_path / "table.html"
    table.write_bytes(DONGYANG.read_bytes())
    link = tmp_path / "table.yaml"
    link.symlink_to(table)
    result = run_cli("catalogue", "import", table, "-o", link)
    assert result.exit_code == 2 and "不会覆盖输入" in result.stderr
    assert table.read_bytes() == DONGYANG.read_bytes()


# ---- point 7: the sub-headers and tick layouts real tables use; rows a merged cell may have shifted


VARIANT_HEADERS = [
    "序号,公开事项,,公开内容（要素）,公开时限,公开对象,,公开方式,,公开层级,",
    ",一级事项,二级事项,,,社会公众,特定对象,主动公开（√）,依申请公开事项,县（市、区）级,乡（镇）级",
    "1,法律援助,法律援助服务,申请条件；所需材料；办理流程等信息,20个工作日,√,,√,,√,√",
    "2,公证,公证机构信息,公证机构名称、地址、执业区域,20个工作日,,√,,√,√,",
]


def test_sub_header_variants_place_the_tick_columns(tmp_path: Path) -> None:
    path = tmp_path / "variants.csv"
    path.write_text("\n".join(VARIANT_HEADERS), encoding="utf-8")
    rows = _rows(_import(path))
    aid, notary = rows["1"], rows["2"]
    assert (aid["audience"], aid["mode"], aid["levels"]) == (["全社会"], "主动", ["county", "township"])
    assert (notary["audience"], notary["mode"], notary["levels"]) == (["特定群众"], "依申请", ["county"])
    # 等信息 closes the list: its elements are examples
    assert _names(aid) == ["申请条件", "所需材料", "办理流程"] and aid["elements_illustrative"] is True
    assert "elements_illustrative" not in notary


def test_check_boxes_in_one_cell_select_only_the_ticked_values(tmp_path: Path) -> None:
    lines = [
        "一级事项,二级事项,公开内容,公开对象,公开方式,公开层级",
        "人民调解,人民调解组织信息,人民调解委员会名录,■全社会□特定群众,■主动□依申请,■县级□乡级",
        "法律援助,法律援助服务,指派通知书,□全社会■特定群众,□主动■依申请,■县级■乡级",
    ]
    path = tmp_path / "boxes.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    rows = _rows(_import(path))
    assert (rows["R1"]["audience"], rows["R1"]["mode"], rows["R1"]["levels"]) == (
        ["全社会"],
        "主动",
        ["county"],
    )
    assert (rows["R2"]["audience"], rows["R2"]["mode"], rows["R2"]["levels"]) == (
        ["特定群众"],
        "依申请",
        ["county", "township"],
    )
    assert "notes" not in rows["R1"]  # only one mode is ticked: no "both ticked" note


SHIFTED = """<table>
<tr><td rowspan="2">序号</td><td colspan="2">公开事项</td><td rowspan="2">公开内容（要素）</td>
<td colspan="2">公开对象</td><td colspan="2">公开方式</td><td colspan="2">公开层级</td></tr>
<tr><td>一级事项</td><td>二级事项</td><td>全社会</td><td>特定群众</td><td>主动</td><td>依申请</td>
<td>县级</td><td>乡级</td></tr>
<tr><td>1</td><td>法治宣传教育</td><td>法律知识普及服务</td><td>法律法规资讯；普法动态资讯</td>
<td>√</td><td></td><td>√</td><td></td><td>√</td><td>√</td></tr>
<tr><td>2</td><td>推广法治文化服务</td><td>法治文化阵地信息</td>
<td>√</td><td></td><td>√</td><td></td><td>√</td><td>√</td></tr>
</table>"""


def test_a_row_a_merged_cell_may_have_shifted_is_named_and_not_judged(tmp_path: Path) -> None:
    """The page dropped the cell 一级事项 is merged over: row 2's cells sit one column to the left,
    so its √ under 全社会 reads as 特定群众. The row is named, its ticks are not used."""
    path = tmp_path / "shifted.html"
    path.write_text(SHIFTED, encoding="utf-8")
    result = _import(path)
    rows = _rows(result)
    assert (rows["1"]["audience"], rows["1"]["mode"]) == (["全社会"], "主动")
    shifted = rows["2"]
    assert (shifted["audience"], shifted["mode"], shifted["levels"]) == ([], None, [])
    assert "少 1 个单元格" in shifted["notes"] and "读到的是" in shifted["notes"]
    assert any(
        warning.startswith("第 4 行（2“法治文化阵地信息”）比表头少 1 个单元格") for warning in result.warnings
    ), result.warnings
    assert result.rows_without_mode == ("2",)
    library = CatalogueLibrary.bundled()
    written = tmp_path / "shifted.yaml"
    written.write_text(result.text, encoding="utf-8")
    catalogue = load_catalogue(str(written), library)
    assert [row.id for row in catalogue.rows if row.required] == ["1"]


def test_a_short_csv_row_is_named_too(tmp_path: Path) -> None:
    lines = [*VARIANT_HEADERS[:3], "2,公证,公证机构信息,公证机构名称,20个工作日,√"]
    path = tmp_path / "short.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = _import(path)
    assert any("第 4 行（2“公证机构信息”）比表头少 5 个单元格" in warning for warning in result.warnings)
    assert _rows(result)["2"]["mode"] is None
    assert not any("第 3 行" in warning for warning in result.warnings)
