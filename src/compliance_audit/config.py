"""Defaults from the project's configuration, merged into the command options before anything runs.

The configuration is `[tool.compliance-audit]` in pyproject.toml or a `.compliance-audit.yaml`,
found from the working directory upwards: the first directory that has either (the YAML file when
it has both; a pyproject.toml without the table does not count). What it may say:

    bureau: {name, level, region, sector, profile, functions}   # the bureau facts
    catalogue, rules, calendar, waivers, baseline                # ids or files
    fail-on, fail-on-existing, select, ignore                    # the gate
    inventory                                                    # check: the published inventory

Files are relative to the configuration's own directory. Options on the command line win (they are
Click's defaults here, and a value given on the command line replaces a default).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance_audit.errors import InputError
from compliance_audit.schemas import validate_document
from compliance_audit.yamlsafe import YamlDocument, decode_utf8, load_yaml_text, read_bounded

YAML_FILE = ".compliance-audit.yaml"
PYPROJECT = "pyproject.toml"
TABLE = "tool.compliance-audit"
MAX_CONFIG_BYTES = 1024 * 1024

_PATHS = ("rules", "calendar", "waivers", "baseline", "inventory")
# configuration key → the option's parameter name, for the commands that take it
_GATE = {
    "catalogue": "catalogue_ref",
    "rules": "rules_dir",
    "calendar": "calendar_file",
    "waivers": "waivers",
    "baseline": "baseline",
    "fail-on": "fail_on",
    "fail-on-existing": "fail_on_existing",
    "select": "select",
    "ignore": "ignore",
}
_BUREAU = {
    "name": "bureau_name",
    "level": "level",
    "region": "region",
    "sector": "sector",
    "profile": "profile",
    "functions": "functions",
}


@dataclass(frozen=True)
class Config:
    path: Path
    values: dict[str, Any]

    def command_defaults(self) -> dict[str, dict[str, Any]]:
        """Click's default_map: the defaults each command takes from the configuration."""
        bureau = {
            _BUREAU[key]: ",".join(value) if isinstance(value, list) else value
            for key, value in self.values.get("bureau", {}).items()
        }
        gate = {_GATE[key]: value for key, value in self.values.items() if key in _GATE}
        for key in ("select", "ignore"):
            if key in gate and isinstance(gate[key], str):
                gate[key] = [gate[key]]
        audit = {**bureau, **gate}
        check = dict(audit)
        if "inventory" in self.values:
            check["published"] = self.values["inventory"]
        return {"audit": audit, "check": check, "harvest": dict(bureau), "init": dict(bureau)}


def find_config(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        candidate = directory / YAML_FILE
        if candidate.is_file():
            return candidate
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
    return None


def _has_table(pyproject: Path) -> bool:
    return _tool_table(_read_toml(pyproject), pyproject) is not None


def load_config(path: Path) -> Config:
    document: YamlDocument | None = None
    if path.name == PYPROJECT:
        table = _tool_table(_read_toml(path), path)
        if table is None:
            raise InputError(f"没有 [{TABLE}] 表", file=path, expected=f"[{TABLE}] 下的配置")
        data = table
        where = f"[{TABLE}]"
    else:
        document = load_yaml_text(decode_utf8(read_bounded(path, MAX_CONFIG_BYTES, "配置文件"), path), path)
        data = document.data if document.data is not None else {}
        where = None
    validate_document(data, "config", path, document, path_prefix=(where,) if where else ())
    values = dict(data)
    directory = path.parent
    for key in _PATHS:
        if key in values:
            values[key] = _relative(directory / values[key])
    catalogue = values.get("catalogue")
    if isinstance(catalogue, str) and (catalogue.endswith((".yaml", ".yml")) or "/" in catalogue):
        values["catalogue"] = _relative(directory / catalogue)
    return Config(path, values)


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    text = decode_utf8(read_bounded(path, MAX_CONFIG_BYTES, "pyproject.toml"), path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"TOML 语法错误：{error}", file=path) from None


def _tool_table(data: dict[str, Any], path: Path) -> dict[str, Any] | None:
    table = data.get("tool", {}).get("compliance-audit") if isinstance(data.get("tool"), dict) else None
    if table is not None and not isinstance(table, dict):
        raise InputError(f"[{TABLE}] 应为表（键 = 值）", file=path)
    return table


def _relative(path: Path) -> str:
    """A file named in the configuration, as a path from the working directory (shorter in messages)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
