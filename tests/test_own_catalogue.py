"""The bureau's own 标准目录 as the yardstick: found in the inventory (an item whose body holds the
table as page text) or in a saved portal (the page holding the table), imported and used, with
the reason in the report; the bundled catalogue and a notice when no table can be read;
--catalogue still decides. The table and the inventory are made up in the published layouts
(fixtures/catalogue_import: county-page.txt is county.html as a portal's page text renders it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "catalogue_import"
PAGE_TEXT = (FIXTURES / "county-page.txt").read_text(encoding="utf-8")
OWN_TITLE = "示例县司法局公共法律服务领域基层政务公开标准目录"
OWN_ID = "shili-xian-sifaju-gonggongfalvfuwu-lingyu-jiceng"


def _inventory(tmp_path: Path, *extra: dict[str, Any]) -> Path:
    data = yaml.safe_load((FIXTURES / "county-inventory.yaml").read_text(encoding="utf-8"))
    data["items"].extend(extra)
    path = tmp_path / "清单.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _item(title: str, body: str, published: str = "2021-01-05") -> dict[str, Any]:
    return {
        "index_no": "SL-2021-0200",
        "title": title,
        "publisher": "县司法局",
        "formed": "2020-12-30",
        "published": published,
        "column": "基层政务公开标准目录",
        "body": body,
    }


def _audit(inventory: Path, *options: str) -> dict[str, Any]:
    result = run_cli("audit", inventory, "--as-of", "2021-03-10", "--format", "json", *options)
    assert result.exit_code in (0, 1), result.stderr
    report: dict[str, Any] = json.loads(result.output)
    return report


def test_the_catalogue_in_the_inventory_is_imported_and_used(tmp_path: Path) -> None:
    report = _audit(_inventory(tmp_path, _item(OWN_TITLE, PAGE_TEXT)))
    assert report["catalogue"]["id"] == OWN_ID
    assert report["notices"][0].startswith(f"标准目录：使用本机关公布的《{OWN_TITLE}》（清单第 ")
    assert "导入 12 行" in report["notices"][0]
    assert not any("catalogue import" in notice for notice in report["notices"])
    states = {r["rule"]: r["status"] for r in report["requirements"] if r["rule"].startswith(OWN_ID)}
    assert states[f"{OWN_ID}:7"] == "satisfied"  # 法律援助申请指南: a local row
    assert states[f"{OWN_ID}:5"] == "not-applicable"  # 特定群众, 精准推送
    assert states[f"{OWN_ID}:12"] == "not-applicable"  # 依申请


def test_a_catalogue_item_without_a_readable_table_falls_back_with_a_notice(tmp_path: Path) -> None:
    body = "根据国办发〔2019〕54号文件要求，现将本局公共法律服务领域基层政务公开标准目录予以公布（见附件）。"
    report = _audit(_inventory(tmp_path, _item(OWN_TITLE, body)))
    assert report["catalogue"]["id"] == "moj-plsd-2019"
    notice = report["notices"][0]
    assert notice.startswith(
        "标准目录：按领域（justice）和地区选用内置的《公共法律服务领域基层政务公开标准目录》"
    )
    assert f"行“{OWN_TITLE}”：没有找到标准目录表格" in notice
    assert "用 catalogue import 导入后以 --catalogue 指定" in notice


def test_a_table_whose_ticks_cannot_be_placed_falls_back(tmp_path: Path) -> None:
    # page text that dropped the empty cells, as 三门's does: no row's 主动 tick can be placed
    dropped = "\n".join(
        line.replace("|   |", "|") if line.startswith("| 1") else line for line in PAGE_TEXT.split("\n")[:4]
    )
    report = _audit(_inventory(tmp_path, _item(OWN_TITLE, dropped)))
    assert report["catalogue"]["id"] == "moj-plsd-2019"
    assert "读出 1 行，但没有一行的“主动公开”勾选可读" in report["notices"][0]


def test_another_fields_catalogue_and_an_interpretation_are_not_the_bureaus(tmp_path: Path) -> None:
    report = _audit(
        _inventory(
            tmp_path,
            _item("示例县安全生产领域基层政务公开标准目录", PAGE_TEXT),
            _item("《示例县公共法律服务领域基层政务公开标准目录》解读", PAGE_TEXT),
        )
    )
    assert report["catalogue"]["id"] == "moj-plsd-2019"
    assert "清单中未见本机关公布的公共法律服务领域标准目录" in report["notices"][0]


def test_catalogue_option_still_decides(tmp_path: Path) -> None:
    report = _audit(_inventory(tmp_path, _item(OWN_TITLE, PAGE_TEXT)), "--catalogue", "moj-plsd-2019")
    assert report["catalogue"]["id"] == "moj-plsd-2019"
    assert (
        report["notices"][0]
        == "标准目录：按 --catalogue 指定，使用《公共法律服务领域基层政务公开标准目录》（moj-plsd-2019）"
    )


PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_示例县人民政府</title></head>
<body>
<div class="nav">当前位置：首页 &gt; 政府信息公开 &gt; {column}</div>
<div class="xxgk-info">
  <p><b>索&nbsp;引&nbsp;号：</b>{index}</p>
  <p><b>发布机构：</b>示例县司法局</p>
  <p><b>成文日期：</b>{formed}</p>
  <p><b>发布日期：</b>{published}</p>
  <p><b>标　　题：</b>{title}</p>
</div>
<div class="content">{content}</div>
</body></html>
"""


def _page(path: Path, **values: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(**values), encoding="utf-8")


def test_the_catalogue_page_of_a_saved_portal_is_imported_and_used(tmp_path: Path) -> None:
    mirror = tmp_path / "www.shili.gov.cn"
    table = (FIXTURES / "county.html").read_text(encoding="utf-8")
    content = table[table.index("<table") : table.index("</table>") + len("</table>")]
    _page(
        mirror / "art" / "2021" / "1" / "5" / "art_1.html",
        title=OWN_TITLE,
        column="基层政务公开标准目录",
        index="11331000MB0000000X/2021-00001",
        formed="2020-12-30",
        published="2021-01-05",
        content=content,
    )
    _page(
        mirror / "art" / "2021" / "3" / "1" / "art_2.html",
        title="示例县法律援助申请指南",
        column="办事指南",
        index="11331000MB0000000X/2021-00002",
        formed="2021-02-25",
        published="2021-03-01",
        content="<p>申请条件、所需材料和办理流程。</p>",
    )
    options = ("--bureau-name", "示例县司法局", "--sector", "justice", "--region", "浙江省示例县")
    report = _audit(mirror, *options)
    assert report["catalogue"]["id"] == OWN_ID
    assert "网站镜像中的 art/2021/1/5/art_1.html" in report["notices"][0]
    states = {r["rule"]: r["status"] for r in report["requirements"]}
    assert states[f"{OWN_ID}:7"] == "satisfied"
    explained = run_cli("audit", mirror, *options, "--explain", OWN_ID)
    assert explained.exit_code == 0, explained.stderr
    assert explained.output.count("匹配条件的来源：") == 12
