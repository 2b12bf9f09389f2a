"""Standard catalogues: the bundled rows with their sources, local variants (extends / add /
drop / override), choosing a variant by region, and rows whose 公开方式 was not read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from compliance_audit.errors import InputError
from compliance_audit.inventory.model import Bureau
from compliance_audit.ruleset.catalogue import CatalogueLibrary, load_catalogue
from tests.helpers import run_cli


@pytest.fixture(scope="module")
def library() -> CatalogueLibrary:
    return CatalogueLibrary.bundled()


def test_show_json_lists_every_established_row_with_sources() -> None:
    data = json.loads(run_cli("catalogue", "show", "moj-plsd-2019", "--format", "json").output)
    assert data["id"] == "moj-plsd-2019" and data["extends"] is None
    assert [row["id"] for row in data["rows"]] == ["N1", "N2", "N3", "N4", "N5", "N6"]
    for row in data["rows"]:
        assert row["sources"] and row["level1"] and row["level2"]
        assert set(row["deadline"]) == {"working_days", "from", "text"}
    legal_aid = data["rows"][4]
    assert legal_aid["elements"] == ["给予法律援助决定书", "不予法律援助决定书", "指派通知书"]
    assert legal_aid["deadline"] == {
        "working_days": 20,
        "from": "formed_or_obtained",
        "text": "自制作或获取该信息之日起20个工作日内公开",
    }
    assert legal_aid["mode"] is None and legal_aid["required"] is False
    assert [row["id"] for row in data["rows"] if row["required"]] == ["N1", "N2", "N6"]
    assert "6/18" in data["coverage"]


def test_region_picks_the_most_specific_variant(library: CatalogueLibrary) -> None:
    def chosen(region: str) -> str | None:
        catalogue = library.select(Bureau(name="x", sector="justice", region=region))
        return catalogue.id if catalogue else None

    assert chosen("重庆市奉节县") == "moj-plsd-2019-cq"
    assert chosen("黑龙江省伊春市嘉荫县") == "moj-plsd-2019-hlj-jiayin"
    assert chosen("甘肃省天水市秦州区") == "moj-plsd-2019"
    assert library.select(Bureau(name="x", region="重庆市奉节县")) is None  # no sector, no catalogue


def test_variant_adds_and_drops_rows_keeping_inherited_ids(library: CatalogueLibrary) -> None:
    chongqing = library.resolve("moj-plsd-2019-cq")
    ids = [row.requirement_id for row in chongqing.rows]
    assert "moj-plsd-2019:N5" not in ids
    assert ids[:5] == [
        "moj-plsd-2019:N1",
        "moj-plsd-2019:N2",
        "moj-plsd-2019:N3",
        "moj-plsd-2019:N4",
        "moj-plsd-2019:N6",
    ]
    licensing = next(row for row in chongqing.rows if row.id == "L1")
    assert licensing.requirement_id == "moj-plsd-2019-cq:L1"
    assert licensing.deadline.working_days == 7
    assert chongqing.dropped[0][0] == "N5"
    assert chongqing.chain == ("moj-plsd-2019-cq", "moj-plsd-2019")


def test_variant_overrides_fields_of_an_inherited_row(library: CatalogueLibrary) -> None:
    jiayin = library.resolve("moj-plsd-2019-hlj-jiayin")
    first = jiayin.rows[0]
    assert first.requirement_id == "moj-plsd-2019:N1"
    assert [element.name for element in first.elements] == ["法律法规咨询", "普法动态咨询"]
    assert first.channels == ("嘉荫县司法局公众号",)
    assert first.level2 == "法律知识普及服务"  # not overridden, inherited
    assert "moj-plsd-2019:N4" not in [row.requirement_id for row in jiayin.rows]
    assert jiayin.coverage_note is not None and "6/18" in jiayin.coverage_note


def test_variant_that_overrides_a_missing_row_is_refused(tmp_path: Path, library: CatalogueLibrary) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "catalogue:\n  id: bad-variant\n  title: 坏的版本\n  version: '1'\n  sector: justice\n"
        "  extends: moj-plsd-2019\n  sources: [x]\noverride:\n  - {id: N99, level2: 不存在}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="要修改的行 N99 不在所继承的目录中"):
        load_catalogue(str(path), library)


def test_override_is_checked_as_a_whole_row(tmp_path: Path, library: CatalogueLibrary) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "catalogue:\n  id: bad-override\n  title: 坏的版本\n  version: '1'\n  sector: justice\n"
        "  extends: moj-plsd-2019\n  sources: [x]\noverride:\n  - {id: N1, mode: 必须}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="必须"):
        load_catalogue(str(path), library)


def test_a_file_may_not_take_the_id_of_another_catalogue(tmp_path: Path, library: CatalogueLibrary) -> None:
    path = tmp_path / "my.yaml"
    path.write_text(
        "catalogue:\n  id: moj-plsd-2019\n  title: 自编目录\n  version: '1'\n  sector: justice\n"
        "  sources: [x]\nrows: []\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=re.escape("目录编号 moj-plsd-2019 已被 moj-plsd-2019.yaml 使用")):
        load_catalogue(str(path), library)


def test_audit_reports_the_catalogue_rows_of_the_bureaus_region(tmp_path: Path) -> None:
    inventory = tmp_path / "清单.yaml"
    inventory.write_text(
        "bureau: {name: 奉节县司法局, region: 重庆市奉节县, sector: justice}\n"
        "items:\n"
        "  - {index_no: 11500236MB1234567X/2024-00021, title: 基层法律服务工作者执业核准办事指南,\n"
        "     formed: 2024-03-01, published: 2024-03-05}\n",
        encoding="utf-8",
    )
    result = run_cli("audit", inventory, "--as-of", "2024-06-30", "--format", "json")
    report = json.loads(result.output)
    states = {r["rule"]: r["status"] for r in report["requirements"]}
    assert states["moj-plsd-2019-cq:L1"] == "partial"
    assert states["moj-plsd-2019-cq:L6"] == "not-evaluated"
    assert "moj-plsd-2019:N5" not in states
    assert report["catalogue"]["id"] == "moj-plsd-2019-cq"
    assert report["catalogue"]["extends"] == ["moj-plsd-2019"]


def test_catalogue_option_takes_an_id_or_a_file(tmp_path: Path) -> None:
    inventory = tmp_path / "清单.yaml"
    inventory.write_text("bureau: {name: 秦州区司法局, sector: justice}\nitems: []\n", encoding="utf-8")
    report = json.loads(
        run_cli("audit", inventory, "--catalogue", "moj-plsd-2019-zj-sanmen", "--format", "json").output
    )
    assert report["catalogue"]["id"] == "moj-plsd-2019-zj-sanmen"
    missing = run_cli("audit", inventory, "--catalogue", "no-such-catalogue")
    assert missing.exit_code == 2 and "没有编号为 no-such-catalogue 的标准目录" in missing.stderr
