"""harvest → inventory file → audit, without hand edits; the harvest command's options and
messages; load_mirror for auditing a saved site directly."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from compliance_audit.audit import run_audit
from compliance_audit.harvest import harvest, load_mirror, mirror_sidecar_path
from compliance_audit.inventory import BureauOverrides, load_inventory, sidecar_path
from compliance_audit.inventory.model import Column, Item
from compliance_audit.ruleset.catalogue import CatalogueLibrary
from compliance_audit.ruleset.loader import load_rulebook
from compliance_audit.workcalendar import WorkCalendar
from tests.helpers import run_cli

SITE = Path(__file__).resolve().parent / "fixtures" / "harvest" / "site"
BUREAU = "郎溪县住房和城乡建设局"


def _without_row(item: Item) -> dict[str, object]:
    values = dataclasses.asdict(item)
    del values["row"]
    return values


@pytest.mark.parametrize("suffix", ["yaml", "csv", "xlsx"])
def test_harvest_then_audit_without_hand_edits(tmp_path: Path, suffix: str) -> None:
    output = tmp_path / f"清单.{suffix}"
    harvested = run_cli(
        "harvest", SITE, "-o", output, "--bureau-name", BUREAU, "--region", "安徽省宣城市郎溪县"
    )

    assert harvested.exit_code == 0, harvested.output
    assert harvested.stdout == ""
    assert "读取文件 14 个，其中页面 12 个；收录信息 11 条。" in harvested.stderr
    loaded = load_inventory(output)
    expected = harvest(SITE)
    assert [_without_row(item) for item in loaded.items] == [_without_row(item) for item in expected.items]
    assert loaded.fields_present == expected.fields
    assert (loaded.bureau.name, loaded.bureau.region) == (BUREAU, "安徽省宣城市郎溪县")
    assert loaded.bureau.columns == expected.columns

    audited = run_cli("audit", output, "--as-of", "2025-10-01", "--format", "json")
    assert audited.exit_code in (0, 1), audited.output
    report = json.loads(audited.stdout)
    assert report["bureau"]["name"] == BUREAU


def test_summary_counts_skips_and_empty_fields_and_verbose_lists_each(tmp_path: Path) -> None:
    quiet = run_cli("harvest", SITE, "-o", tmp_path / "a.yaml", "--bureau-name", BUREAU)
    assert quiet.stderr.splitlines() == [
        "读取文件 14 个，其中页面 12 个；收录信息 11 条。",
        "跳过 3 个文件：列表页或首页 1；附件（PDF、Word、Excel 等） 1；静态资源（样式、脚本、图片等） 1。",
        "字段为空：索引号 1 条，主题分类 5 条，成文日期 5 条，栏目 1 条，"
        "文号 7 条，有效性 10 条，内容概述 11 条。",
        "警告 1 条。",
        "用 -v 列出每个跳过的文件及原因、每条警告。",
        f"已写出 {tmp_path / 'a.yaml'}",
    ]

    verbose = run_cli("harvest", SITE, "-o", tmp_path / "b.yaml", "--bureau-name", BUREAU, "-v")
    assert verbose.stderr.splitlines()[:4] == [
        "跳过 www.ahlx.gov.cn/index.html：列表页或首页（文件名为列表页/首页）",
        "跳过 www.ahlx.gov.cn/group1/M00/12/jc-2023-12.pdf：附件（PDF、Word、Excel 等）（.pdf）",
        "跳过 www.ahlx.gov.cn/static/css/openness.css：静态资源（样式、脚本、图片等）（.css）",
        "警告 www.jindong.gov.cn/art/2019/3/25/art_1229404637_26754.html："
        "声明的字符集为 gb2312，但内容是 utf-8，已按 utf-8 读取",
    ]


def test_bureau_file_column_kinds_and_options(tmp_path: Path) -> None:
    facts = tmp_path / "bureau.yaml"
    facts.write_text(
        "bureau:\n"
        "  name: 郎溪县住建局\n"
        "  level: county\n"
        "  sector: housing\n"
        "  columns:\n"
        "    - {name: 通知公告, kind: notice}\n"
        "    - {name: 工作推进, kind: plans}\n",
        encoding="utf-8",
    )
    output = tmp_path / "清单.csv"

    result = run_cli(
        "harvest", SITE, "-o", output, "--bureau", facts, "--bureau-name", BUREAU,
        "--column-kind", "工作推进=news", "--column-kind", "政府网站管理=other",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    bureau = load_inventory(output).bureau
    assert (bureau.name, bureau.sector) == (BUREAU, "housing")
    columns = dict((column.name, column.kind) for column in bureau.columns)
    assert list(columns)[:3] == ["通知公告", "工作推进", "部门动态"]
    assert columns["通知公告"] == "notice"  # declared, though not seen on the portal
    assert columns["工作推进"] == "news"  # --column-kind wins over the file
    assert columns["部门动态"] == "news"  # guessed from the name
    assert columns["政府信息公开年报"] == "report"
    assert sidecar_path(output).exists()


def test_base_url_and_host_directory(tmp_path: Path) -> None:
    host = SITE / "www.ahlx.gov.cn"
    by_host = harvest(host)
    assert [item.url for item in by_host.items] == [
        "http://www.ahlx.gov.cn/OpennessContent/show/2625129.html"
    ]
    by_option = harvest(host, base_url="https://www.ahlx.gov.cn/")
    assert [item.url for item in by_option.items] == [
        "https://www.ahlx.gov.cn/OpennessContent/show/2625129.html"
    ]
    dumps = harvest(SITE / "dumps", base_url="https://www.tianshui.gov.cn/saved")
    assert [item.url for item in dumps.items] == [
        "https://www.tianshui.gov.cn/saved/langxi-housing-2022-11-monitoring.txt",
        "https://www.tianshui.gov.cn/saved/qinzhou-justice-2020-summary.txt",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "清单.docx", "--bureau-name", BUREAU], "不支持的清单输出格式“.docx”"),
        (["-o", "清单.yaml"], "缺少公开主体名称（bureau.name）"),
        (
            ["-o", "清单.yaml", "--bureau-name", BUREAU, "--column-kind", "工作动态=新闻"],
            "栏目类型“工作动态=新闻”无法识别",
        ),
        (["-o", "清单.yaml", "--bureau-name", BUREAU, "--sector", "司法"], "sector"),
    ],
)
def test_bad_options_exit_2_with_one_paragraph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("harvest", SITE, *args)

    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("compliance-audit: ") and result.stderr.count("\n") == 1
    assert not (tmp_path / "清单.yaml").exists()


def test_a_mirror_without_items_exits_2_and_says_why(tmp_path: Path) -> None:
    mirror = tmp_path / "www.example.gov.cn"
    mirror.mkdir()
    (mirror / "index.html").write_text("<html><body><a href='/a'>首页</a></body></html>", encoding="utf-8")

    result = run_cli("harvest", mirror, "-o", tmp_path / "清单.yaml", "--bureau-name", BUREAU)

    assert result.exit_code == 2
    assert (
        "没有找到可收录的信息页面：读取文件 1 个，其中页面 1 个；收录信息 0 条。"
        "跳过 1 个文件：列表页或首页 1。" in result.stderr
    )
    missing = run_cli("harvest", tmp_path / "nowhere", "-o", tmp_path / "清单.yaml", "--bureau-name", BUREAU)
    assert missing.exit_code == 2 and "网站镜像目录不存在" in missing.stderr


def test_load_mirror_gives_an_inventory_the_audit_runs_on(tmp_path: Path) -> None:
    mirror = tmp_path / "www.ahlx.gov.cn"
    shutil.copytree(SITE / "www.ahlx.gov.cn", mirror)
    mirror_sidecar_path(mirror).write_text(
        "bureau:\n  name: 郎溪县住房和城乡建设局\n  region: 安徽省宣城市郎溪县\n", encoding="utf-8"
    )

    inventory = load_mirror(mirror, BureauOverrides(level="county"))

    assert inventory.source == mirror
    assert inventory.bureau.name == "郎溪县住房和城乡建设局"
    assert inventory.bureau.columns == (Column("工作推进", "other"),)
    (item,) = inventory.items
    assert (item.row, item.index_no, item.published) == (
        1,
        "11341722003251630P/202301-00012",
        date(2023, 1, 4),
    )
    assert inventory.fields_present == {
        "index_no", "title", "topic", "publisher", "formed", "published", "doc_no", "column", "url",
        "mirror_file", "body",
    }  # fmt: skip
    assert inventory.notices == [
        f"清单由网站镜像 {mirror} 即时整理：收录信息 1 条，跳过文件 3 个"
        f"（compliance-audit harvest {mirror} -o 清单.yaml -v 列出原因）"
    ]
    library = CatalogueLibrary.bundled()
    report = run_audit(
        inventory,
        load_rulebook(None),
        library.select(inventory.bureau),
        WorkCalendar.bundled(),
        date(2023, 3, 1),
        (),
    )
    assert report.bureau.name == "郎溪县住房和城乡建设局"


def test_load_mirror_needs_a_bureau_name(tmp_path: Path) -> None:
    from compliance_audit.errors import InputError

    with pytest.raises(InputError, match="缺少公开主体名称") as raised:
        load_mirror(SITE)
    assert "site.bureau.yaml" in str(raised.value)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import pty

    output = tmp_path / "清单.yaml"
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "compliance_audit",
            "harvest",
            str(SITE),
            "-o",
            str(output),
            "--bureau-name",
            BUREAU,
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait(timeout=60) == 0
    shown = b"".join(chunks).decode("utf-8")
    assert "读取页面" in shown and "100%" in shown
    assert "收录信息 11 条" in shown
    assert yaml.safe_load(output.read_text(encoding="utf-8"))["bureau"]["name"] == BUREAU


def test_audit_points_straight_at_a_saved_site() -> None:
    from tests.helpers import REPO, run_cli

    site = REPO / "tests" / "fixtures" / "harvest" / "site"
    result = run_cli(
        "audit",
        site,
        "--bureau-name",
        "秦州区司法局",
        "--sector",
        "justice",
        "--as-of",
        "2025-12-31",
        "--format",
        "json",
    )
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.output)
    assert report["inventory"] == {"file": "site", "items": 11}
    assert any("网站镜像" in notice for notice in report["notices"])
    annual = next(r for r in report["requirements"] if r["rule"] == "ogi-49-annual-report")
    assert annual["status"] == "stale"
    missing_name = run_cli("audit", SITE, "--as-of", "2025-12-31")
    assert missing_name.exit_code == 2 and "--bureau-name" in missing_name.stderr
