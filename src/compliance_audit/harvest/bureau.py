"""Bureau facts for a harvested inventory: from options, a small YAML file, and the columns seen.

A saved portal does not say which 公开主体 it belongs to in a form that can be read reliably (the
most frequent 发布机构 is often an abbreviation such as 区司法局), so the name comes from the user.
Columns come from the breadcrumbs; their kinds are guessed from their names unless the bureau
file or --column-kind says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from compliance_audit.errors import InputError
from compliance_audit.harvest.columns import guess_kind
from compliance_audit.inventory import BureauOverrides
from compliance_audit.inventory.model import COLUMN_KINDS, Bureau
from compliance_audit.schemas import validate_document
from compliance_audit.yamlsafe import load_yaml_document


def mirror_sidecar_path(mirror: Path) -> Path:
    """site/ → site.bureau.yaml beside it (a directory name such as www.x.gov.cn has no suffix to
    replace, so the name is extended rather than changed)."""
    resolved = mirror if mirror.name else mirror.resolve()
    return resolved.parent / f"{resolved.name}.bureau.yaml"


def read_bureau_file(path: Path) -> dict[str, Any]:
    """The `bureau:` mapping of a sidecar-style YAML file, checked against the inventory schema."""
    document = load_yaml_document(path)
    if not isinstance(document.data, dict) or not isinstance(document.data.get("bureau"), dict):
        raise InputError("应含 bureau 映射", file=path, expected="bureau:\n  name: …")
    data: dict[str, Any] = dict(document.data["bureau"])
    validate_document(data, "inventory", path, document, definition="bureau", path_prefix=("bureau",))
    return data


def parse_column_kinds(values: Iterable[str]) -> dict[str, str]:
    """--column-kind 工作动态=news, repeatable."""
    kinds: dict[str, str] = {}
    for value in values:
        name, separator, kind = value.partition("=")
        name, kind = name.strip(), kind.strip()
        if not separator or not name or kind not in COLUMN_KINDS:
            raise InputError(
                f"栏目类型“{value}”无法识别",
                field="--column-kind",
                expected="栏目名=类型，类型为 " + "、".join(COLUMN_KINDS),
            )
        kinds[name] = kind
    return kinds


def require_name(facts: Mapping[str, Any], overrides: BureauOverrides, source: Path | None) -> None:
    """Fail before a long harvest rather than after it."""
    if not overrides.apply(dict(facts)).get("name"):
        where = f"或在 {source} 中写 bureau: name: …" if source else "或用 --bureau 文件给出 bureau: name: …"
        raise InputError("缺少公开主体名称（bureau.name）", expected=f"用 --bureau-name 指定，{where}")


def build_bureau(
    facts: Mapping[str, Any],
    overrides: BureauOverrides,
    seen_columns: Iterable[str] = (),
    column_kinds: Mapping[str, str] | None = None,
    *,
    source: Path | str = "命令行",
    require: bool = True,
) -> Bureau:
    """The bureau from its facts (a file), the options (which win), and the columns seen on the
    portal after the declared ones. require=False allows an empty name (a template to fill in)."""
    data = overrides.apply(dict(facts))
    kinds = column_kinds or {}
    declared = {column["name"]: column["kind"] for column in data.get("columns", ())}
    names = list(declared) + [name for name in dict.fromkeys(seen_columns) if name not in declared]
    if names:
        data["columns"] = [
            {"name": name, "kind": kinds.get(name) or declared.get(name) or guess_kind(name)}
            for name in names
        ]
    if require and not data.get("name"):
        raise InputError("缺少公开主体名称（bureau.name）", file=source, expected="用 --bureau-name 指定")
    # A template may leave the name for the bureau to fill in; every fact that is given must be valid.
    checked = data if data.get("name") else {**data, "name": "（待填写）"}
    validate_document(checked, "inventory", source, definition="bureau", path_prefix=("bureau",))
    return Bureau.from_mapping(data)
