"""Waivers: a requirement or a single finding accepted with its reason, until a day."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import EXAMPLE, run_cli


def _audit(waivers: Path) -> dict[str, Any]:
    result = run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json", "--waivers", waivers)
    assert result.exit_code in (0, 1), result.stderr
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_waivers_for_a_requirement_and_for_one_finding(tmp_path: Path) -> None:
    before = json.loads(run_cli("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json").output)
    late = next(f for f in before["findings"] if f["rule"] == "ogi-26-timeliness")
    waivers = tmp_path / "豁免.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - rule: ogi-49-annual-report\n"
        "    reason: 2020年度报告已报送区政府办，网站改版期间暂未上线\n"
        "    until: 2021-04-30\n"
        f"  - rule: ogi-26-timeliness\n    fingerprint: {late['fingerprint']}\n    reason: 春节前集中审核\n"
        "  - rule: ogi-12-guide\n    reason: 已过期的豁免\n    until: 2021-01-31\n"
        "  - rule: catalogue-index-unique\n    item: 不存在的索引号\n    reason: 匹配不到\n",
        encoding="utf-8",
    )
    after = _audit(waivers)
    report = next(r for r in after["requirements"] if r["rule"] == "ogi-49-annual-report")
    assert report["status"] == "waived" and "网站改版" in report["reason"]
    assert all(f["rule"] != "ogi-49-annual-report" for f in after["findings"])
    assert all(f["fingerprint"] != late["fingerprint"] for f in after["findings"])
    assert after["summary"]["waived"] == 1
    assert any("ogi-12-guide" in n and "到期" in n for n in after["notices"])
    assert any("catalogue-index-unique" in n and "没有匹配任何结果" in n for n in after["notices"])
    guide = next(r for r in after["requirements"] if r["rule"] == "ogi-12-guide")
    assert guide["status"] == "stale"


def test_bad_waiver_file_exits_2(tmp_path: Path) -> None:
    waivers = tmp_path / "豁免.yaml"
    waivers.write_text("waivers:\n  - rule: ogi-49-annual-report\n", encoding="utf-8")
    result = run_cli("audit", EXAMPLE, "--waivers", waivers)
    assert result.exit_code == 2 and "reason" in result.stderr and "豁免.yaml" in result.stderr
