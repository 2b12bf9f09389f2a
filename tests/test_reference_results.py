"""The audit concludes what the per-item core concluded (tests/reference.py): the same findings,
fingerprints, states and notices on the examples, every rule and catalogue case, and a generated
inventory of 200,000 items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.reference import EXAMPLES, REFERENCE, case_digests, example_report, generated_summary


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_examples_are_judged_as_before(tmp_path: Path, name: str) -> None:
    expected = json.loads((REFERENCE / f"example-{name}.json").read_text(encoding="utf-8"))
    assert example_report(name, tmp_path / "report.json") == expected


def test_every_case_is_judged_as_before() -> None:
    lines = (REFERENCE / "cases.txt").read_text(encoding="utf-8").splitlines()
    expected = {key: value for value, key in (line.split("  ", 1) for line in lines)}
    actual = {key: value for key, value in case_digests()}
    assert actual.keys() == expected.keys()
    changed = sorted(key for key in expected if actual[key] != expected[key])
    assert changed == []


def test_a_generated_200k_inventory_is_judged_as_before(tmp_path: Path) -> None:
    expected = json.loads((REFERENCE / "generated-200k.json").read_text(encoding="utf-8"))
    actual = generated_summary(tmp_path)
    assert actual["by_rule"] == expected["by_rule"]
    assert actual == expected
