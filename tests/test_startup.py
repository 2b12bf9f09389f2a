"""What starting compliance-audit imports and compiles: structural checks in a fresh interpreter
(the CPU figures themselves are in benchmarks/bench_startup.py, never asserted here), and the
remembered validation of rule and catalogue files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from compliance_audit import schemas
from compliance_audit.errors import InputError
from compliance_audit.ruleset.catalogue import CatalogueLibrary
from compliance_audit.ruleset.loader import bundled_rules_directory, load_rulebook
from tests.helpers import REPO

HEAVY = ("jsonschema", "openpyxl", "docx", "jinja2", "lxml", "scrapy", "playwright", "polars")
OTHER_RENDERERS = (
    "compliance_audit.report.html",
    "compliance_audit.report.xlsx",
    "compliance_audit.report.notice",
    "compliance_audit.report.docx",
    "compliance_audit.report.markdown",
    "compliance_audit.report.sarif",
)

# Runs the command line in this interpreter, then says what it imported and whether harvest's
# label patterns were compiled.
_PROBE = """
import json, sys
from compliance_audit.cli import main
try:
    main(sys.argv[1:], prog_name="compliance-audit")
except SystemExit:
    pass
metadata = sys.modules.get("compliance_audit.harvest.metadata")
compiled = metadata is not None and any(
    function.cache_info().currsize for function in
    (metadata.source_labels, metadata._label_re, metadata._label_only_re)
)
print(json.dumps({"modules": sorted(sys.modules), "compiled": compiled}), file=sys.stderr)
"""


def _probe(*arguments: str, cache: Path) -> tuple[set[str], bool]:
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(cache), "HOME": str(cache)},
        check=False,
    )
    seen = json.loads(completed.stderr.strip().splitlines()[-1])
    return set(seen["modules"]), seen["compiled"]


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return [name for name in names if name in modules]


def test_help_imports_no_heavy_library_and_compiles_no_label_pattern(tmp_path: Path) -> None:
    modules, compiled = _probe("--help", cache=tmp_path)
    assert "compliance_audit.cli.audit" in modules  # the probe did load the whole command line
    assert _loaded(modules, HEAVY) == []
    assert _loaded(modules, OTHER_RENDERERS) == []
    assert "charset_normalizer" not in modules
    assert not compiled


def test_json_audit_imports_no_other_renderer_nor_office_library(tmp_path: Path) -> None:
    report = tmp_path / "报告.json"
    inventory = REPO / "examples" / "qinzhou-justice" / "inventory.yaml"
    modules, compiled = _probe(
        "audit", str(inventory), "--as-of", "2021-03-10", "--format", "json", "-o", str(report),
        "--fail-on", "never", cache=tmp_path,
    )  # fmt: skip
    assert json.loads(report.read_text(encoding="utf-8"))["findings"]
    assert _loaded(modules, ("openpyxl", "docx", "jinja2", "lxml", "scrapy", "playwright")) == []
    assert _loaded(modules, OTHER_RENDERERS) == []
    assert not compiled


def test_an_audit_with_its_validations_remembered_imports_no_validator(tmp_path: Path) -> None:
    # a JSONL inventory, as large ones come: its items are checked on the columns, its bureau
    # (line 1) by the schema, once
    example = yaml.safe_load(
        (REPO / "examples" / "qinzhou-justice" / "inventory.yaml").read_text(encoding="utf-8")
    )
    inventory = tmp_path / "清单.jsonl"
    lines = [{"bureau": example["bureau"]}, *example["items"]]
    inventory.write_text(
        "".join(json.dumps(line, ensure_ascii=False, default=str) + "\n" for line in lines), encoding="utf-8"
    )
    arguments = ("audit", str(inventory), "--as-of", "2021-03-10", "--format", "json", "--fail-on", "never")
    first, _ = _probe(*arguments, "-o", str(tmp_path / "1.json"), cache=tmp_path)
    again, _ = _probe(*arguments, "-o", str(tmp_path / "2.json"), cache=tmp_path)
    assert "jsonschema" in first  # the rules, their params and the bureau, validated once
    assert "jsonschema" not in again
    assert (tmp_path / "1.json").read_bytes() == (tmp_path / "2.json").read_bytes()


def test_remembered_params_are_told_apart_by_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    wants_text = {"type": "object", "properties": {"year": {"type": "string"}}}
    assert schemas.params_problem({"year": "2021"}, wants_text) is None
    assert schemas.params_problem({"year": "2021"}, wants_text) is None  # remembered
    for _ in range(2):  # never remembered
        problem = schemas.params_problem({"year": 2021}, wants_text)
        assert problem is not None and problem[1] == "文本"
    assert len(_remembered(tmp_path)) == 1


def test_a_refused_bureau_is_never_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    bureau = {"name": "秦州区司法局", "level": "县级"}
    for _ in range(2):
        with pytest.raises(InputError) as raised:
            schemas.validate_document(bureau, "inventory", "清单.jsonl", definition="bureau", remember=True)
        assert "level" in str(raised.value)
    assert _remembered(tmp_path) == set()
    schemas.validate_document(
        {"name": "秦州区司法局"}, "inventory", "清单.jsonl", definition="bureau", remember=True
    )
    assert len(_remembered(tmp_path)) == 1


def test_harvest_label_patterns_compile_on_first_use() -> None:
    from compliance_audit.harvest import metadata

    assert metadata.has_label("发布日期：2021年3月1日")
    assert metadata.source_labels() is metadata.source_labels()
    assert metadata.label_only("索引号：") == "索引号"


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    with bundled_rules_directory() as bundled:
        shutil.copytree(bundled, target)
    return target


def _remembered(cache: Path) -> set[str]:
    directory = cache / "compliance-audit" / "validated"
    return {path.name for path in directory.iterdir()} if directory.is_dir() else set()


def test_validated_rules_and_catalogues_are_not_validated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = load_rulebook(None)
    CatalogueLibrary.bundled()
    # sources, profiles, every rule file and every catalogue, and the params of the rules
    assert len(_remembered(tmp_path)) > 2 + len(first.rulesets) + len(CatalogueLibrary.bundled().ids())

    def refuse(*arguments: object, **options: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(schemas, "validate_document", refuse)
    monkeypatch.setattr(jsonschema, "Draft202012Validator", refuse)
    again = load_rulebook(None)
    assert [rule.id for rule in again.rules] == [rule.id for rule in first.rules]
    assert [ruleset.sha256 for ruleset in again.rulesets] == [ruleset.sha256 for ruleset in first.rulesets]
    assert CatalogueLibrary.bundled().ids()


def test_an_invalid_rule_file_is_never_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    rules = _copy_rules(tmp_path)
    load_rulebook(rules)
    remembered = _remembered(cache)
    rule_file = rules / "ogi-2019.yaml"
    text = rule_file.read_text(encoding="utf-8")
    rule_file.write_text(text.replace("severity: error", "severity: 严重", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError) as raised:
            load_rulebook(rules)
        assert "ogi-2019.yaml" in str(raised.value)
        assert "severity" in str(raised.value)
    assert _remembered(cache) == remembered


@pytest.mark.parametrize("damage", ["marker-is-a-directory", "cache-is-a-file"])
def test_a_damaged_or_unwritable_cache_means_validating_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    rules = _copy_rules(tmp_path)
    load_rulebook(rules)
    if damage == "marker-is-a-directory":
        for name in _remembered(cache):
            marker = cache / "compliance-audit" / "validated" / name
            marker.unlink()
            marker.mkdir()
    else:
        shutil.rmtree(cache)
        cache.write_text("不是目录", encoding="utf-8")
    calls: list[str] = []
    validate = schemas.validate_document

    def counted(data: object, name: str, source: object, *arguments: object, **options: object) -> None:
        calls.append(str(source))
        validate(data, name, source, *arguments, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(schemas, "validate_document", counted)
    load_rulebook(rules)
    assert any(call.endswith("ogi-2019.yaml") for call in calls)
