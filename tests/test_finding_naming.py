"""How a finding names its item is read once per batch of findings, never once per finding: an
inventory whose every 索引号 is malformed makes one finding per item, and a pass over the columns
for each once made such an audit twenty times slower than the per-item core."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from compliance_audit.judge.context import Context
from tests.helpers import REPO, run_cli


def _audit(example: dict[str, Any], directory: Path) -> tuple[list[dict[str, Any]], int]:
    """The findings of an audit of example, and how many passes named items from the columns."""
    directory.mkdir()
    inventory = directory / "清单.yaml"
    inventory.write_text(yaml.safe_dump(example, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = directory / "报告.json"
    before = len(_PASSES)
    run_cli(
        "audit", inventory, "--as-of", "2021-03-10", "--format", "json", "-o", report, "--fail-on", "never"
    )
    return json.loads(report.read_text(encoding="utf-8"))["findings"], len(_PASSES) - before


_PASSES: list[int] = []


def test_findings_about_single_items_read_no_column_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    identities = Context.identities

    def counted(self: Context, positions: pl.Series) -> list[str]:
        _PASSES.append(len(positions))
        return identities(self, positions)

    monkeypatch.setattr(Context, "identities", counted)
    example = yaml.safe_load(
        (REPO / "examples" / "qinzhou-justice" / "inventory.yaml").read_text(encoding="utf-8")
    )
    as_given, passes_as_given = _audit(example, tmp_path / "as-given")
    for number, item in enumerate(example["items"], start=1):
        item["index_no"] = f"秦司发第{number}号"
    malformed, passes_malformed = _audit(example, tmp_path / "malformed")

    def of_format(findings: list[dict[str, Any]]) -> int:
        return sum(1 for finding in findings if finding["rule"] == "catalogue-index-format")

    assert of_format(as_given) <= 2  # the example has two on purpose
    assert of_format(malformed) >= 30  # one per item published by the day of the audit
    assert passes_malformed <= passes_as_given  # not one more per malformed 索引号
