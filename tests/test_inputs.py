"""Inputs as people write them: every 有效性 wording portals use, every bad row named (up to a limit),
and a template whose 内容概述 column was deleted, as its help sheet allows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from compliance_audit.inventory import MAX_ROW_ERRORS, load_inventory
from compliance_audit.inventory.fields import VALIDITY_SYNONYMS, VALIDITY_VALUES
from tests.helpers import run_cli

HEADER = "索引号,标题,发布日期,成文日期,有效性,有效期至,内容概述\n"


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "清单.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    (tmp_path / "清单.bureau.yaml").write_text(
        "bureau: {name: 天水市秦州区司法局, level: county, sector: justice}\n", encoding="utf-8"
    )
    return path


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("现行有效", "有效"),
        ("有效", "有效"),
        ("失效", "失效"),
        ("废止", "废止"),
        ("已修改", "已修改"),
        ("部分失效", "已修改"),
    ],
)
def test_validity_as_portals_write_it(tmp_path: Path, written: str, meant: str) -> None:
    path = _csv(
        tmp_path,
        [
            f"11620502MB1234567A/2018-00012,秦州区人民调解员补贴管理办法,2018-03-02,2018-02-26,{written},2020-12-31,办法。"
        ],
    )
    (item,) = load_inventory(path).items
    assert item.validity == meant
    result = run_cli("audit", path, "--as-of", "2021-03-10", "--format", "json")
    expired = [f for f in json.loads(result.output)["findings"] if f["rule"] == "ogi-53-expired-validity"]
    # only a document still marked wholly valid after its end date is reported; 部分失效 is not "valid"
    assert bool(expired) == (meant == "有效")


def test_every_wording_maps_to_one_of_the_four_values() -> None:
    assert set(VALIDITY_SYNONYMS.values()) == set(VALIDITY_VALUES)


def test_an_unknown_validity_names_the_accepted_values(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        ["11620502MB1234567A/2018-00012,秦州区人民调解员补贴管理办法,2018-03-02,2018-02-26,有效的,,办法。"],
    )
    result = run_cli("audit", path)
    assert result.exit_code == 2
    assert (
        "第 2 行" in result.stderr
        and "有效性" in result.stderr
        and "有效、失效、废止、已修改" in result.stderr
    )


def test_every_bad_row_is_named_up_to_a_limit(tmp_path: Path) -> None:
    good = "11620502MB1234567A/2021-{:05d},秦州区司法局通知{},2021-03-01,2021-02-26,,,通知。"
    bad_dates = [
        f"11620502MB1234567A/2021-{n:05d},秦州区司法局通知{n},2021-02-30,2021-02-26,,,通知。"
        for n in range(3)
    ]
    path = _csv(tmp_path, [good.format(90, 90), *bad_dates, good.format(91, 91), ",,2021-03-01,,,,无标题"])
    result = run_cli("audit", path)
    assert result.exit_code == 2
    message = result.stderr
    assert "清单.csv：4 处有误" in message
    for row in (3, 4, 5):
        assert f"第 {row} 行，字段 published（发布日期）：“2021-02-30”不是存在的日期" in message
    assert "第 7 行，字段 title（标题）：缺少必填项" in message
    many = [
        f"11620502MB1234567A/2021-{n:05d},秦州区司法局通知{n},2021/13/01,,,,通知。"
        for n in range(MAX_ROW_ERRORS + 7)
    ]
    result = run_cli("audit", _csv(tmp_path, many))
    assert f"{MAX_ROW_ERRORS + 7} 处有误" in result.stderr and "另有 7 处" in result.stderr
    assert result.stderr.count("不是存在的日期") == MAX_ROW_ERRORS


def test_a_template_without_its_summary_column_is_not_asked_for_summaries(tmp_path: Path) -> None:
    template = tmp_path / "清单.xlsx"
    created = run_cli("init", "-o", template, "--bureau-name", "天水市秦州区司法局", "--sector", "justice")
    assert created.exit_code == 0, created.stderr
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    sheet.delete_cols(headers.index("内容概述") + 1)
    headers.remove("内容概述")
    values = {
        "索引号": "11620502MB1234567A/2021-00031",
        "标题": "秦州区司法局2021年法治宣传教育工作要点",
        "主题分类": "普法依法治理",
        "发布机构": "天水市秦州区司法局",
        "成文日期": "2021-02-26",
        "发布日期": "2021-03-02",
    }
    for column, header in enumerate(headers, start=1):
        sheet.cell(row=2, column=column, value=values.get(str(header)))
    workbook.save(template)
    report = json.loads(run_cli("audit", template, "--as-of", "2021-03-10", "--format", "json").output)
    fields = next(c for c in report["checks"] if c["rule"] == "ogi-12-catalogue-fields")
    assert "内容概述" in fields["reason"] and fields["status"] == "passed"
    assert not any("内容概述" in f["message"] for f in report["findings"])
