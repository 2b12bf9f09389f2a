"""Shared by the tests: where the bundled example is, and running the command line."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner, Result

from compliance_audit.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "qinzhou-justice" / "inventory.yaml"


def run_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def assert_valid_report(report: dict[str, Any]) -> None:
    """The JSON report against the schema the package ships."""
    schema = json.loads(files("compliance_audit").joinpath("schemas/report.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)


EXAMPLE_BATCH = REPO / "examples" / "tianshui-batch" / "manifest.yaml"
AS_OF = "2021-03-10"


def copy_examples(target: Path) -> Path:
    """The example manifest and the inventories it names, copied (tests that change an inventory
    never change the repository); returns the copied manifest."""
    import shutil

    for name in ("tianshui-batch", "qinzhou-justice"):
        shutil.copytree(REPO / "examples" / name, target / "examples" / name)
    return target / "examples" / "tianshui-batch" / "manifest.yaml"
