"""pre-commit: a repository holding an inventory runs the gate with pre-commit's try-repo, offline
(the -system hook runs the compliance-audit installed here; see .pre-commit-hooks.yaml)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO

CLEAN = """\
bureau: {name: 天水市秦州区司法局, level: county, region: 甘肃省天水市秦州区, sector: justice}
items:
  - index_no: 11620502MB1234567A/2021-00031
    title: 秦州区司法局2021年法治宣传教育工作要点
    topic: 普法依法治理
    publisher: 天水市秦州区司法局
    formed: 2021-02-26
    published: 2021-03-02
    summary: 部署2021年全区法治宣传教育工作。
"""


def _environment(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
        "GIT_AUTHOR_NAME": "测试",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "测试",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def _run(command: list[str], cwd: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)


def test_the_hooks_manifest_is_valid(tmp_path: Path) -> None:
    result = _run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
        tmp_path,
        _environment(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_passes_a_clean_inventory_and_fails_a_leaking_one(tmp_path: Path) -> None:
    environment = _environment(tmp_path)
    portal = tmp_path / "portal"
    portal.mkdir()
    assert _run(["git", "init", "-q"], portal, environment).returncode == 0
    inventory = portal / "清单.yaml"
    inventory.write_text(CLEAN, encoding="utf-8")
    (portal / "README.md").write_text("门户网站内容\n", encoding="utf-8")
    assert _run(["git", "add", "."], portal, environment).returncode == 0
    try_repo = [
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        str(REPO),
        "compliance-audit-check-system",
        "--all-files",
    ]
    passed = _run(try_repo, portal, environment)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    inventory.write_text(
        CLEAN.replace("部署2021年全区法治宣传教育工作。", "联系人张三，身份证号620502198001010019。"),
        encoding="utf-8",
    )
    assert _run(["git", "add", "."], portal, environment).returncode == 0
    failed = _run(try_repo, portal, environment)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert "清单.yaml:3: error ogi-15-id-number" in failed.stdout
    assert "620502198001010019" not in failed.stdout  # masked even in a hook's output
