"""What issue 8 must show: after `catalogue import` of a county's own table, the audit of the same
inventory finds at least as many of the bureau's published items as with the national rows, and
every imported row that is a national row finds the same items that row finds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "catalogue_import"
INVENTORY = FIXTURES / "county-inventory.yaml"


def _catalogue_rows(*options: str) -> dict[str, dict[str, Any]]:
    result = run_cli("audit", INVENTORY, "--as-of", "2021-03-10", "--format", "json", *options)
    assert result.exit_code in (0, 1), result.stderr
    report = json.loads(result.output)
    return {r["rule"]: r for r in report["requirements"] if ":" in r["rule"]}


def test_the_countys_own_table_finds_at_least_what_the_national_rows_find(tmp_path: Path) -> None:
    output = tmp_path / "county.yaml"
    imported = run_cli("catalogue", "import", FIXTURES / "county.html", "-o", output)
    assert imported.exit_code == 0, imported.stderr
    assert "7 行即已知事项" in imported.stderr
    national = _catalogue_rows()
    own = _catalogue_rows("--catalogue", str(output))
    found_national = {item for row in national.values() for item in row["items"]}
    found_own = {item for row in own.values() for item in row["items"]}
    assert found_national <= found_own
    assert (len(found_national), len(found_own)) == (6, 16)
    # rows that are national rows find what those rows find, where the national row is judged
    for own_id, national_id in (("county:1", "N1"), ("county:2", "N2"), ("county:6", "N6")):
        assert own[own_id]["items"] == national[f"moj-plsd-2019:{national_id}"]["items"]
    # the county's ticks make rows judgeable that the national copy could not read
    assert national["moj-plsd-2019:N3"]["status"] == "not-evaluated"
    assert own["county:3"]["status"] == "partial"
    assert own["county:7"]["status"] == "satisfied"  # 法律援助申请指南 for a local row
