"""Shared by the tests: where the bundled example is, and running the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from compliance_audit.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "qinzhou-justice" / "inventory.yaml"


def run_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
