"""Configuration: [tool.compliance-audit] in pyproject.toml or .compliance-audit.yaml, found from
the working directory upwards; the command line wins; --select/--ignore by id or prefix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EXAMPLE, run_cli


def _example_in(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "清单.yaml"
    target.write_bytes(EXAMPLE.read_bytes())
    return target


def _json(*args: str | Path) -> tuple[int, dict[str, Any]]:
    result = run_cli("audit", *args, "--as-of", "2021-03-10", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    data: dict[str, Any] = json.loads(result.output)
    return result.exit_code, data


def test_pyproject_table_is_found_upwards_and_the_command_line_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "portal"\n\n[tool.compliance-audit]\nfail-on = "never"\n'
        'ignore = ["web-", "platform-column"]\nwaivers = "审计/豁免.yaml"\n',
        encoding="utf-8",
    )
    (tmp_path / "审计").mkdir()
    (tmp_path / "审计" / "豁免.yaml").write_text(
        "waivers:\n  - rule: ogi-49-annual-report\n"
        "    reason: 年报已报送，网站改版中\n    approved_by: 李明\n",
        encoding="utf-8",
    )
    inventory = _example_in(tmp_path / "数据" / "2021")
    monkeypatch.chdir(inventory.parent)
    code, report = _json(inventory.name)
    assert code == 0  # fail-on never, from the configuration
    assert not any(f["rule"].startswith(("web-", "platform-column")) for f in report["findings"])
    assert any("--ignore web-,platform-column" in notice for notice in report["notices"])
    assert report["waivers"][0]["state"] == "applied"  # the waivers file, relative to pyproject.toml
    code, _ = _json(inventory.name, "--fail-on", "error")
    assert code == 1


def test_no_config_and_an_explicit_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".compliance-audit.yaml").write_text("fail-on: never\nselect: [ogi-15]\n", encoding="utf-8")
    inventory = _example_in(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run_cli("audit", inventory, "--as-of", "2021-03-10", "--format", "json")
    report = json.loads(result.output)
    assert result.exit_code == 0 and {f["rule"] for f in report["findings"]} == {
        "ogi-15-id-number",
        "ogi-15-mobile-number",
    }
    assert report["summary"]["requirements"] == 0
    result = run_cli("--no-config", "audit", inventory, "--as-of", "2021-03-10")
    assert result.exit_code == 1
    other = tmp_path / "别处.yaml"
    other.write_text("select: catalogue-index\n", encoding="utf-8")
    result = run_cli("--config", other, "audit", inventory, "--as-of", "2021-03-10", "--format", "json")
    rules = {f["rule"] for f in json.loads(result.output)["findings"]}
    assert rules == {"catalogue-index-unique", "catalogue-index-format"}


def test_bureau_facts_from_the_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".compliance-audit.yaml").write_text(
        "bureau:\n  name: 天水市麦积区司法局\n  level: county\n  sector: justice\n", encoding="utf-8"
    )
    inventory = tmp_path / "清单.csv"
    inventory.write_text(
        "索引号,标题,发布日期,成文日期\n11620503MB0000000B/2021-00001,麦积区司法局召开全区司法行政工作会议,2021-02-26,2021-02-20\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    _, report = _json(inventory)
    assert (
        report["bureau"]["name"] == "天水市麦积区司法局"
        and report["bureau"]["profile"] == "county-justice-bureau"
    )
    _, report = _json(inventory, "--bureau-name", "天水市秦州区司法局")
    assert report["bureau"]["name"] == "天水市秦州区司法局"


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        (
            ".compliance-audit.yaml",
            "fail-on: sometimes\n",
            '第 1 行，字段 fail-on：取值 "sometimes" 不在允许范围内',
        ),
        (".compliance-audit.yaml", "bureau:\n  sector: Justice\n", "小写英文字母和连字符"),
        (".compliance-audit.yaml", "failon: never\n", "不认识的键 failon"),
        (
            "pyproject.toml",
            "[tool.compliance-audit]\nselect = 3\n",
            "[tool.compliance-audit].select：类型不对",
        ),
        ("pyproject.toml", "[tool.compliance-audit\n", "TOML 语法错误"),
    ],
)
def test_a_bad_configuration_is_bad_input_naming_file_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, said: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("audit", EXAMPLE)
    assert result.exit_code == 2
    assert name in result.stderr and said in result.stderr and "Traceback" not in result.stderr


def test_select_and_ignore_by_id_or_prefix_and_a_pattern_that_names_nothing() -> None:
    _, report = _json(EXAMPLE, "--select", "ogi-20,catalogue-index-unique", "--ignore", "ogi-20-07-budget")
    rules = {r["rule"] for r in report["requirements"]} | {c["rule"] for c in report["checks"]}
    assert rules and all(rule.startswith("ogi-20") or rule == "catalogue-index-unique" for rule in rules)
    assert "ogi-20-07-budget" not in rules and "ogi-20-07-final-accounts" in rules
    _, catalogue_rows = _json(EXAMPLE, "--select", "moj-plsd-2019:")
    assert {r["rule"] for r in catalogue_rows["requirements"]} == {
        "moj-plsd-2019:N1",
        "moj-plsd-2019:N2",
        "moj-plsd-2019:N3",
        "moj-plsd-2019:N4",
        "moj-plsd-2019:N5",
        "moj-plsd-2019:N6",
    }
    result = run_cli("audit", EXAMPLE, "--select", "ogi-2O")
    assert result.exit_code == 2 and "“ogi-2O”不是任何规则的编号或编号开头" in result.stderr


def test_check_takes_the_published_inventory_from_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = _example_in(tmp_path / "已公开")
    (tmp_path / ".compliance-audit.yaml").write_text(
        f"inventory: {published.relative_to(tmp_path)}\n", encoding="utf-8"
    )
    draft = tmp_path / "草稿" / "通知.yaml"
    draft.parent.mkdir()
    draft.write_text(
        "items:\n  - index_no: 20230618-164605-503\n    title: 秦州区司法局召开法律援助工作推进会\n"
        "    formed: 2021-03-02\n    summary: 部署工作。\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(draft.parent)
    result = run_cli("check", draft.name, "--as-of", "2021-03-10", "--format", "json")
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.output)
    assert report["bureau"]["name"] == "天水市秦州区司法局"  # from the published inventory
    assert any(f["rule"] == "catalogue-index-unique" for f in report["findings"])
