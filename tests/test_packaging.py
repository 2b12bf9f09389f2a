"""The wheel a plain `pip install .` builds carries the rules and catalogues, and every command
finds them from any directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE, REPO

SOURCES = ("src", "rules", "catalogues", "pyproject.toml", "setup.py", "README.md")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built from a copy of the checkout, so the test never writes into the repository."""
    tree = tmp_path_factory.mktemp("tree")
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, tree / name)
    out = tmp_path_factory.mktemp("wheel")
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*pip_wheel, "-w", out, tree],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("compliance_audit-*.whl")
    return built


def test_wheel_carries_every_rule_catalogue_and_case_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for directory in ("rules", "catalogues"):
        expected = {
            f"compliance_audit/{directory}/{path.relative_to(REPO / directory).as_posix()}"
            for path in (REPO / directory).rglob("*.yaml")
        }
        assert expected, directory
        assert expected <= names, sorted(expected - names)[:5]
    assert "compliance_audit/schemas/ruleset.schema.json" in names
    assert "compliance_audit/report/templates/selfassess.html.j2" in names


def test_installed_wheel_works_from_any_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", target, wheel],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(target)}

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "compliance_audit", *map(str, args)],
            cwd=elsewhere,
            env=environment,
            capture_output=True,
            text=True,
        )

    located = subprocess.run(
        [sys.executable, "-c", "import compliance_audit; print(compliance_audit.__file__)"],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert located.stdout.startswith(str(target))
    validated = run("rules", "validate")
    assert validated.returncode == 0, validated.stderr
    assert "均有效" in validated.stdout
    assert run("rules", "test").returncode == 0
    listed = run("catalogue", "list")
    assert "moj-plsd-2019" in listed.stdout
    audited = run("audit", EXAMPLE, "--as-of", "2021-03-10", "--format", "json", "--fail-on", "never")
    assert audited.returncode == 0, audited.stderr
    assert '"moj-plsd-2019:N1"' in audited.stdout
