"""`batch`: many bureaus in, one comparable picture out; a bureau that fails is a row, not the end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import Result

from tests.helpers import AS_OF, EXAMPLE, EXAMPLE_BATCH, run_cli

AUDITED = ["天水市秦州区司法局", "天水市麦积区司法局", "甘谷县司法局", "武山县司法局"]


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    base = tmp_path_factory.mktemp("batch")
    out = base / "检查结果"
    result = run_cli("batch", EXAMPLE_BATCH, "-o", out, "--as-of", AS_OF, "--jobs", "2")
    return result, out


def test_every_bureau_is_audited_and_the_broken_one_is_an_error_row(batch_run: tuple[Result, Path]) -> None:
    result, out = batch_run
    assert result.exit_code == 1, result.output  # bureaus have errors, --fail-on error
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (out / "报告").iterdir()) == sorted(
        f"{name}{suffix}" for name in AUDITED for suffix in (".json", ".txt")
    )
    assert sorted(p.name for p in (out / "整改通知").iterdir()) == sorted(f"{name}.docx" for name in AUDITED)
    assert (out / "汇总.xlsx").is_file() and (out / "汇总.html").is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # the details spool is gone
    stderr = result.stderr
    assert "未能审计 清水县司法局" in stderr
    assert "qingshui.csv，第 3 行，字段 published（发布日期）" in stderr
    assert "“2021年2月30日”不是存在的日期" in stderr
    assert "审计完成 4 个机关，未能审计 1 个" in stderr
    # progress: one line a bureau when stderr is not a terminal, with done / failed / time left
    assert "[5/5]" in stderr and "已完成 5/5，失败 1" in stderr
    assert "预计剩余" in stderr


def test_a_bureaus_report_is_the_one_a_single_audit_gives(batch_run: tuple[Result, Path]) -> None:
    _, out = batch_run
    single = run_cli("audit", EXAMPLE, "--as-of", AS_OF, "--format", "json", "--fail-on", "never")
    batch = (out / "报告" / "天水市秦州区司法局.json").read_text(encoding="utf-8")
    # the manifest names the inventory by another path; everything else is the same audit
    assert json.loads(batch) == {**json.loads(single.stdout), "inventory": json.loads(batch)["inventory"]}
    assert json.loads(batch)["inventory"]["file"] == "inventory.yaml"
    table = (out / "报告" / "天水市秦州区司法局.txt").read_text(encoding="utf-8")
    assert table.startswith("合规审计报告：天水市秦州区司法局")


def test_manifest_facts_win_and_a_saved_portal_is_harvested(batch_run: tuple[Result, Path]) -> None:
    _, out = batch_run
    wushan = json.loads((out / "报告" / "武山县司法局.json").read_text(encoding="utf-8"))
    assert wushan["bureau"]["region"] == "甘肃省天水市武山县"
    assert wushan["bureau"]["sector"] == "justice"
    assert wushan["inventory"]["items"] == 6
    assert any("网站镜像" in notice for notice in wushan["notices"])
    maiji = json.loads((out / "报告" / "天水市麦积区司法局.json").read_text(encoding="utf-8"))
    assert maiji["bureau"]["name"] == "天水市麦积区司法局"


def test_one_worker_and_two_give_the_same_reports(tmp_path: Path, batch_run: tuple[Result, Path]) -> None:
    _, out = batch_run
    alone = tmp_path / "one"
    result = run_cli("batch", EXAMPLE_BATCH, "-o", alone, "--as-of", AS_OF, "-j", "1", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    for name in AUDITED:
        for suffix in (".json", ".txt"):
            assert (alone / "报告" / f"{name}{suffix}").read_bytes() == (
                out / "报告" / f"{name}{suffix}"
            ).read_bytes()


def _manifest(tmp_path: Path, bureaus: list[tuple[str, str]]) -> Path:
    lines = ["defaults: {level: county, sector: justice}", "bureaus:"]
    for name, inventory in bureaus:
        lines += [f"  - name: {json.dumps(name, ensure_ascii=False)}", f"    inventory: {inventory}"]
    path = tmp_path / "manifest.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


HOSTILE = [
    "../../逃逸司法局",
    "/tmp/绝对路径司法局",
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>司法局",
    "..",
    "CON",
]


def test_hostile_names_never_put_a_file_outside_the_output_folder(tmp_path: Path) -> None:
    work = tmp_path / "deep" / "work"
    work.mkdir(parents=True)
    shutil.copy(EXAMPLE, work / "inventory.yaml")
    manifest = _manifest(work, [(name, "inventory.yaml") for name in HOSTILE])
    out = work / "out"
    result = run_cli("batch", manifest, "-o", out, "--as-of", AS_OF, "-j", "1", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    reports = sorted(p.name for p in (out / "报告").iterdir())
    assert len(reports) == 2 * len(HOSTILE)
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert {path.parent for path in files} <= {work, out, out / "报告", out / "整改通知"}
    assert {path.name for path in work.iterdir()} == {
        "inventory.yaml",
        "manifest.yaml",
        "out",
        "history.sqlite",
    }
    assert not Path("/tmp/绝对路径司法局.json").exists()
    for path in (out / "报告").iterdir():
        assert path.parent == out / "报告"


def test_a_missing_inventory_is_an_error_row_and_the_batch_goes_on(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "inventory.yaml")
    manifest = _manifest(tmp_path, [("天水市秦州区司法局", "inventory.yaml"), ("秦安县司法局", "qinan.yaml")])
    result = run_cli(
        "batch", manifest, "-o", tmp_path / "out", "--as-of", AS_OF, "-j", "1", "--fail-on", "never"
    )
    assert result.exit_code == 0, result.output
    assert "未能审计 秦安县司法局" in result.stderr
    assert "qinan.yaml：文件不存在" in result.stderr
    assert (tmp_path / "out" / "报告" / "天水市秦州区司法局.json").is_file()


def test_a_bureau_that_fails_now_leaves_no_report_of_an_earlier_run(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    shutil.copy(EXAMPLE, inventory)
    manifest = _manifest(tmp_path, [("天水市秦州区司法局", "inventory.yaml")])
    out = tmp_path / "out"
    assert run_cli("batch", manifest, "-o", out, "--as-of", AS_OF, "-j", "1").exit_code == 1
    assert (out / "整改通知" / "天水市秦州区司法局.docx").is_file()
    inventory.write_text(inventory.read_text(encoding="utf-8").replace("2021-02-01", "2021-02-30"), "utf-8")
    rerun = run_cli("batch", manifest, "-o", out, "--as-of", AS_OF, "-j", "1")
    assert rerun.exit_code == 1
    assert "未能审计 天水市秦州区司法局" in rerun.stderr
    assert list((out / "报告").iterdir()) == [] and list((out / "整改通知").iterdir()) == []


def test_exit_code_follows_fail_on(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "inventory.yaml")
    manifest = _manifest(tmp_path, [("天水市秦州区司法局", "inventory.yaml")])
    out = tmp_path / "out"
    assert run_cli("batch", manifest, "-o", out, "--as-of", AS_OF, "-j", "1").exit_code == 1
    assert (
        run_cli("batch", manifest, "-o", out, "--as-of", AS_OF, "-j", "1", "--fail-on", "never").exit_code
        == 0
    )


def test_a_folder_of_inventories_is_a_batch(tmp_path: Path) -> None:
    folder = tmp_path / "清单"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "秦州区.yaml")
    example_batch = EXAMPLE_BATCH.parent
    shutil.copy(example_batch / "maiji.csv", folder / "麦积区.csv")
    shutil.copy(example_batch / "maiji.bureau.yaml", folder / "麦积区.bureau.yaml")
    out = tmp_path / "out"
    result = run_cli("batch", folder, "-o", out, "--as-of", AS_OF, "-j", "2", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "报告").iterdir()) == [
        "秦州区.json",
        "秦州区.txt",
        "麦积区.json",
        "麦积区.txt",
    ]
    report = json.loads((out / "报告" / "麦积区.json").read_text(encoding="utf-8"))
    assert report["bureau"]["name"] == "天水市麦积区司法局"  # facts from the sidecar


def test_a_portal_address_is_crawled_into_the_output_folder_and_audited(tmp_path: Path) -> None:
    """A bureau given by its portal section's address: crawled politely (127.0.0.1 only, served and
    stopped by the test) into OUTDIR/镜像/, then audited as a saved portal; an address that answers
    nothing becomes an error row."""
    from tests.portal_server import PortalServer

    site = tmp_path / "site"
    portal = Path(__file__).resolve().parent / "fixtures" / "harvest" / "portal" / "xxgk"
    (site / "xxgk" / "202301").mkdir(parents=True)
    shutil.copy(portal / "202301" / "t20230110_1001.html", site / "xxgk" / "202301")
    (site / "xxgk" / "index.html").write_text(
        '<html><body><a href="202301/t20230110_1001.html">文章</a></body></html>', encoding="utf-8"
    )
    with PortalServer(site) as server:
        manifest = tmp_path / "manifest.yaml"
        manifest.write_text(
            "bureaus:\n"
            f"  - {{name: 天水市秦州区司法局, level: county, sector: justice, url: '{server.url}/xxgk/'}}\n"
            "  - {name: 甘谷县司法局, level: county, sector: justice, url: 'http://127.0.0.1:9/xxgk/'}\n",
            encoding="utf-8",
        )
        out = tmp_path / "结果"
        result = run_cli(
            "batch", manifest, "-o", out, "--as-of", "2023-12-31", "--jobs", "1", "--fail-on", "never"
        )
        asked = server.total()
    assert result.exit_code == 0, result.output
    assert asked <= 10
    mirrored = list((out / "镜像" / "天水市秦州区司法局").rglob("t20230110_1001.html"))
    assert len(mirrored) == 1
    report = json.loads((out / "报告" / "天水市秦州区司法局.json").read_text(encoding="utf-8"))
    assert report["inventory"]["items"] == 1
    assert not (out / "报告" / "甘谷县司法局.json").exists()
