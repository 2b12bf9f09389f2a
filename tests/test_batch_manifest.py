"""The batch manifest: YAML, an xlsx sheet people fill in, or a folder of inventories; a bad
manifest is one clear error (file, row, field), exit code 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from compliance_audit.batch.manifest import read_manifest
from compliance_audit.errors import InputError
from tests.helpers import REPO, run_cli

EXAMPLE_MANIFEST = REPO / "examples" / "tianshui-batch" / "manifest.yaml"


def test_example_manifest_lists_every_bureau_with_its_source_and_facts() -> None:
    manifest = read_manifest(EXAMPLE_MANIFEST)
    assert manifest.title == "天水市司法系统政务公开检查（2021年第一季度）"
    assert manifest.issuer == "天水市司法局"
    names = [entry.name for entry in manifest.entries]
    assert names == [
        "天水市秦州区司法局",
        "天水市麦积区司法局",
        "甘谷县司法局",
        "武山县司法局",
        "清水县司法局",
    ]
    wushan = manifest.entries[3]
    assert wushan.kind == "portal"
    assert wushan.source == EXAMPLE_MANIFEST.parent / "wushan-portal"
    qinzhou = manifest.entries[0]
    assert qinzhou.kind == "inventory"
    assert qinzhou.source.resolve() == (REPO / "examples" / "qinzhou-justice" / "inventory.yaml").resolve()
    # defaults apply where a bureau says nothing; its own facts win
    assert qinzhou.overrides.sector == "justice"
    assert qinzhou.overrides.level == "county"
    assert qinzhou.overrides.profile == "county-justice-bureau"
    assert manifest.entries[1].overrides.region == "甘肃省天水市麦积区"
    assert [entry.key for entry in manifest.entries] == names


def test_a_catalogue_file_is_relative_to_the_manifest_and_an_id_stays_an_id(tmp_path: Path) -> None:
    path = _yaml(
        tmp_path,
        "defaults: {catalogue: moj-plsd-2019}\nbureaus:\n"
        "  - {name: 东阳市司法局, inventory: a.yaml, catalogue: 目录/东阳.yaml}\n"
        "  - {name: 甘谷县司法局, inventory: b.yaml}\n",
    )
    first, second = read_manifest(path).entries
    assert first.catalogue == str(tmp_path / "目录" / "东阳.yaml")
    assert second.catalogue == "moj-plsd-2019"


def _yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "manifest.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "bureaus:\n  - name: 甘谷县司法局\n    inventory: a.yaml\n    levle: county\n",
            ["第 2 行", "levle"],
        ),
        (
            "bureaus:\n  - name: 甘谷县司法局\n    inventory: a.yaml\n    level: 县\n",
            ["bureaus.0.level", "county"],
        ),
        ("bureaus:\n  - inventory: a.yaml\n", ["缺少必填项 name"]),
        ("bureaus:\n  - name: 甘谷县司法局\n", ["第 2 行", "没有写信息来源", "inventory（清单文件）"]),
        (
            "bureaus:\n  - name: 甘谷县司法局\n    inventory: a.yaml\n    portal: site/\n",
            ["同时写了inventory、portal"],
        ),
        (
            "bureaus:\n  - name: 甘谷县司法局\n    inventory: a.yaml\n"
            "  - name: 甘谷县司法局\n    inventory: b.yaml\n",
            ["第 4 行", "重复", "首次见于第 2 行"],
        ),
        ("bureaus: []\n", ["bureaus"]),
        ("title: 检查\n", ["缺少必填项 bureaus"]),
        ("bureaus:\n  - name: [甘谷\n", ["YAML 语法错误"]),
    ],
)
def test_a_bad_yaml_manifest_is_named_by_line_and_field(tmp_path: Path, text: str, words: list[str]) -> None:
    path = _yaml(tmp_path, text)
    with pytest.raises(InputError) as raised:
        read_manifest(path)
    message = str(raised.value)
    assert str(path) in message
    for word in words:
        assert word in message


def test_a_bad_manifest_exits_2_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    path = _yaml(tmp_path, "bureaus:\n  - name: 甘谷县司法局\n    inventory: a.yaml\n    level: 县\n")
    out = tmp_path / "out"
    result = run_cli("batch", path, "-o", out)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "bureaus.0.level" in result.output
    assert not out.exists()


def _sheet(tmp_path: Path, rows: list[list[str | None]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "机关清单"
    sheet.append(["天水市司法局 2021 年第一季度政务公开检查：每行一个机关"])
    sheet.append(["名称", "层级", "地区", "领域", "职能档案", "职能", "清单文件", "网站镜像"])
    for row in rows:
        sheet.append(row)
    path = tmp_path / "机关清单.xlsx"
    workbook.save(path)
    return path


def test_an_xlsx_sheet_people_fill_in_is_read_row_by_row(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path,
        [
            [
                "甘谷县司法局",
                "县级",
                "甘肃省天水市甘谷县",
                "justice",
                None,
                "licensing、normative-documents",
                "gangu.yaml",
                None,
            ],
            [None, None, None, None, None, None, None, None],
            ["武山县司法局", "county", "甘肃省天水市武山县", "justice", None, None, None, "wushan-portal"],
        ],
    )
    manifest = read_manifest(path)
    first, second = manifest.entries
    assert first.overrides.level == "county"
    assert first.overrides.functions == ("licensing", "normative-documents")
    assert first.source == tmp_path / "gangu.yaml"
    assert second.kind == "portal"
    assert second.where == "工作表“机关清单”第 5 行"


def test_a_bad_row_of_the_sheet_is_named_with_its_row_and_column(tmp_path: Path) -> None:
    path = _sheet(tmp_path, [["甘谷县司法局", "地级", None, "justice", None, None, "gangu.yaml", None]])
    with pytest.raises(InputError) as raised:
        read_manifest(path)
    message = str(raised.value)
    assert "工作表“机关清单”第 3 行" in message
    assert "层级（level）" in message
    assert "county" in message


def test_a_sheet_without_a_header_row_says_what_headers_it_needs(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["机关", "清单"])
    path = tmp_path / "m.xlsx"
    workbook.save(path)
    with pytest.raises(InputError, match=r"没有表头行.*名称"):
        read_manifest(path)


def test_a_file_that_is_not_a_workbook_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    path.write_text("名称,清单文件\n", encoding="utf-8")
    with pytest.raises(InputError, match="不是有效的 xlsx 工作簿"):
        read_manifest(path)


def test_a_folder_is_one_bureau_per_inventory_and_sidecars_are_not_bureaus(tmp_path: Path) -> None:
    (tmp_path / "gangu.yaml").write_text("bureau: {name: 甘谷县司法局}\nitems: []\n", encoding="utf-8")
    (tmp_path / "maiji.csv").write_text("标题,发布日期\n", encoding="utf-8")
    (tmp_path / "maiji.bureau.yaml").write_text("bureau: {name: 天水市麦积区司法局}\n", encoding="utf-8")
    (tmp_path / "说明.txt").write_text("不是清单", encoding="utf-8")
    manifest = read_manifest(tmp_path)
    assert [entry.source.name for entry in manifest.entries] == ["gangu.yaml", "maiji.csv"]


def test_an_empty_folder_and_an_unknown_suffix_are_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="目录中没有清单文件"):
        read_manifest(tmp_path)
    other = tmp_path / "m.toml"
    other.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="不支持的 manifest 格式"):
        read_manifest(other)
