"""The same inventory as YAML, JSON, JSONL, CSV (GB18030, Chinese headers) and XLSX gives the same
findings; only the row numbers differ, because each is the item's place in its own file."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook

from compliance_audit.inventory import load_inventory
from compliance_audit.inventory.fields import FIELD_LABELS, ITEM_FIELDS
from compliance_audit.report.json_report import report_data
from tests.helpers import EXAMPLE, run_cli


def _example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for item in data["items"]:
        for key, value in item.items():
            if isinstance(value, date):
                item[key] = value.isoformat()
    return data


def _rows(data: dict[str, Any]) -> list[list[str]]:
    rows = [[FIELD_LABELS[name] for name in ITEM_FIELDS]]
    for item in data["items"]:
        row = []
        for name in ITEM_FIELDS:
            value = item.get(name, "")
            row.append(";".join(value) if isinstance(value, list) else str(value or ""))
        rows.append(row)
    return rows


def _write_sidecar(path: Path, data: dict[str, Any]) -> None:
    sidecar = path.with_suffix(".bureau.yaml")
    sidecar.write_text(yaml.safe_dump({"bureau": data["bureau"]}, allow_unicode=True), encoding="utf-8")


def write_as(suffix: str, directory: Path) -> Path:
    data = _example()
    path = directory / f"inventory{suffix}"
    if suffix == ".yaml":
        path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    elif suffix == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    elif suffix == ".jsonl":
        lines = [json.dumps({"bureau": data["bureau"]}, ensure_ascii=False)]
        lines += [json.dumps(item, ensure_ascii=False) for item in data["items"]]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif suffix == ".csv":
        with path.open("w", encoding="gb18030", newline="") as handle:
            csv.writer(handle).writerows(_rows(data))
        _write_sidecar(path, data)
    else:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        for row in _rows(data):
            sheet.append(row)
        workbook.save(path)
        _write_sidecar(path, data)
    return path


def _findings(path: Path) -> list[dict[str, Any]]:
    result = run_cli("audit", path, "--as-of", "2021-03-10", "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    findings: list[dict[str, Any]] = json.loads(result.output)["findings"]
    for finding in findings:
        for item in [finding["item"], *finding["items"]]:
            if item is not None:
                del item["row"]
    return findings


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".csv", ".xlsx"])
def test_every_format_gives_the_findings_of_the_yaml(suffix: str, tmp_path: Path) -> None:
    reference = _findings(write_as(".yaml", tmp_path))
    assert len(reference) > 15
    assert _findings(write_as(suffix, tmp_path)) == reference


def test_csv_in_gb18030_keeps_chinese_text(tmp_path: Path) -> None:
    path = write_as(".csv", tmp_path)
    assert path.read_bytes().decode("gb18030").startswith("索引号,标题,主题分类")
    inventory = load_inventory(path)
    seed = inventory.items[0]
    assert seed.title == "秦州区司法局2020年度信息工作总结"
    assert seed.row == 2  # the header is row 1
    assert seed.topic == ""
    assert inventory.bureau.name == "天水市秦州区司法局"


def test_utf8_csv_with_bom_and_date_forms(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_text(
        "\ufeff信息名称,发布时间,生成日期,有效性\n"
        "秦州区司法局关于开展2021年“法律明白人”培训的通知,2021/3/4,2021年2月1日,有效\n"
        "秦州区司法局召开2021年全区司法行政工作会议,2021-02-24 09:30:00,,\n",
        encoding="utf-8",
    )
    inventory = load_inventory(path, overrides=_overrides())
    first, second = inventory.items
    assert (first.published, first.formed, first.validity) == (date(2021, 3, 4), date(2021, 2, 1), "有效")
    assert (second.published, second.formed) == (date(2021, 2, 24), None)
    assert inventory.fields_present == frozenset({"title", "published", "formed", "validity"})


def test_unknown_columns_are_ignored_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "导出.csv"
    path.write_text("标题,发布日期,浏览次数\n秦州区司法局领导信息,2020-03-05,128\n", encoding="utf-8")
    inventory = load_inventory(path, overrides=_overrides())
    assert inventory.items[0].title == "秦州区司法局领导信息"
    assert inventory.notices == ["导出.csv：已忽略不认识的列 浏览次数"]


def test_bureau_options_win_over_the_sidecar(tmp_path: Path) -> None:
    path = write_as(".csv", tmp_path)
    inventory = load_inventory(path, overrides=_overrides(name="麦积区司法局"))
    assert inventory.bureau.name == "麦积区司法局"
    assert inventory.bureau.region == "甘肃省天水市秦州区"


def _overrides(name: str = "秦州区司法局") -> Any:
    from compliance_audit.inventory import BureauOverrides

    return BureauOverrides(name=name)


def test_report_schema_fields_of_items_come_from_the_file(tmp_path: Path) -> None:
    data = report_data_for(write_as(".xlsx", tmp_path))
    rows = {finding["item"]["row"] for finding in data["findings"] if finding["item"]}
    assert min(rows) >= 2


def report_data_for(path: Path) -> dict[str, Any]:
    from compliance_audit.audit import run_audit
    from compliance_audit.ruleset.catalogue import CatalogueLibrary
    from compliance_audit.ruleset.loader import load_rulebook
    from compliance_audit.workcalendar import WorkCalendar

    inventory = load_inventory(path)
    library = CatalogueLibrary.bundled()
    report = run_audit(
        inventory,
        load_rulebook(),
        library.select(inventory.bureau),
        WorkCalendar.bundled(),
        date(2021, 3, 10),
    )
    return report_data(report)
