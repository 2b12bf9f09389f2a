"""The JSON Schemas shipped with the package, and validation against them with clear messages.

Rule, catalogue, calendar and waiver files are small and are checked with jsonschema, which reports
the exact place of every problem. Inventory records can number a million, so each record is checked
with the same schema compiled by fastjsonschema (item_validator()), which is some twenty times
faster per record.

A rule or catalogue file is validated once per exact content (validate_file), and so are a
rule's params against its check's schema (params_problem) and a bureau's facts: validating the
bundled rules and catalogues took a third of the CPU of a short audit, and they change only with
an upgrade. Only a success is remembered, as an empty file named by the digest of what was
validated (schema, definition and file, or schema and data) in the user's cache directory; a
missing, damaged or unwritable cache only means validating again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance_audit.errors import InputError

if TYPE_CHECKING:
    import fastjsonschema
    import jsonschema

    from compliance_audit.yamlsafe import YamlDocument

_TYPE_NAMES = {
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "boolean": "true/false",
    "array": "列表",
    "object": "映射（键: 值）",
    "null": "空",
}


@cache
def _schema_text(name: str) -> str:
    return files(__package__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(_schema_text(name))
    return loaded


@cache
def _validator(name: str, definition: str | None) -> jsonschema.Draft202012Validator:
    import jsonschema

    whole = schema(name)
    if definition is None:
        return jsonschema.Draft202012Validator(whole)
    part = {"$schema": whole["$schema"], "$defs": whole["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(part)


def validate_document(
    data: Any,
    name: str,
    source: str | Path,
    document: YamlDocument | None = None,
    *,
    definition: str | None = None,
    path_prefix: tuple[str | int, ...] = (),
    remember: bool = False,
) -> None:
    """Raise InputError naming the first problem (in document order) of data against a schema,
    or against one of its $defs. With remember, a success is remembered for the same data (a
    bureau's facts, which every audit of its inventory reads again)."""
    key = _key(_schema_text(name), definition, data) if remember else None
    if key is not None and _validated(key):
        return
    validator = _validator(name, definition)
    errors = sorted(validator.iter_errors(data), key=lambda error: [str(p) for p in error.path])
    if not errors:
        if key is not None:
            _remember_validated(key)
        return
    first = errors[0]
    path = (*path_prefix, *first.path)
    field = ".".join(str(part) for part in path) or None
    location = None
    if document is not None:
        line = document.line(*path)
        if line is not None:
            location = f"第 {line} 行"
    message, expected = describe_jsonschema_error(first)
    if len(errors) > 1:
        message += f"（另有 {len(errors) - 1} 处问题）"
    raise InputError(message, file=source, location=location, field=field, expected=expected)


def validate_file(document: YamlDocument, name: str, source: Path, *, definition: str) -> None:
    """validate_document for a whole file read with load_yaml_document, skipped when the same
    bytes passed the same schema definition before."""
    key = _key(_schema_text(name), definition, document.sha256) if document.sha256 is not None else None
    if key is not None and _validated(key):
        return
    validate_document(document.data, name, source, document, definition=definition)
    if key is not None:
        _remember_validated(key)


def params_problem(params: Any, params_schema: dict[str, Any]) -> tuple[str, str | None] | None:
    """The first problem of a rule's params against its check's schema, as (message, expected);
    None when they are valid. A success is remembered for the same schema and params."""
    key = _key(params_schema, params)
    if _validated(key):
        return None
    import jsonschema

    errors = list(jsonschema.Draft202012Validator(params_schema).iter_errors(params))
    if errors:
        return describe_jsonschema_error(errors[0])
    _remember_validated(key)
    return None


def _key(*validated: Any) -> str:
    """The digest that names a success: of the schema and what passed it (the data, or a file's
    sha256), as JSON (which tells 2021 from "2021"; YAML is read with dates as text, so nothing
    else can be given)."""
    text = json.dumps(validated, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _validated_directory() -> Path | None:
    """$XDG_CACHE_HOME/compliance-audit/validated, ~/.cache/… when that is unset or relative."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to be found
            return None
    return Path(base) / "compliance-audit" / "validated"


def _validated(key: str) -> bool:
    directory = _validated_directory()
    return directory is not None and (directory / key).is_file()


def _remember_validated(key: str) -> None:
    """An empty file: it is there or it is not, so no reader can see half of it."""
    directory = _validated_directory()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / key).touch()
    except OSError:
        pass


def describe_jsonschema_error(error: jsonschema.ValidationError) -> tuple[str, str | None]:
    kind = str(error.validator)
    value: Any = error.validator_value
    instance: Any = error.instance
    schema_part: Any = error.schema
    if kind == "required":
        missing = [str(name) for name in value if isinstance(instance, dict) and name not in instance]
        return f"缺少必填项 {', '.join(missing)}", None
    if kind == "type":
        names = value if isinstance(value, list) else [value]
        return f"类型不对：{_show(instance)}", "或".join(_TYPE_NAMES.get(str(n), str(n)) for n in names)
    if kind == "enum":
        return f"取值 {_show(instance)} 不在允许范围内", "、".join(str(v) for v in value)
    if kind == "const":
        return f"取值 {_show(instance)} 不对", str(value)
    if kind == "pattern":
        # a schema says in words what it wants (x-expected) where a person writes the value
        words = schema_part.get("x-expected") if isinstance(schema_part, dict) else None
        return f"格式不对：{_show(instance)}", words or f"匹配正则 {value}"
    if kind == "additionalProperties":
        known = sorted(schema_part.get("properties", {})) if isinstance(schema_part, dict) else []
        extra = sorted(set(instance) - set(known)) if isinstance(instance, dict) else []
        return f"不认识的键 {', '.join(extra)}", "、".join(known)
    if kind in ("minLength", "minItems", "minProperties"):
        return ("不能为空", None) if value == 1 else (f"至少需要 {value} 项", None)
    if kind in ("maximum", "minimum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"数值 {_show(instance)} 超出范围", f"{kind} {value}"
    return error.message, None


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


@cache
def item_validator() -> Callable[[dict[str, Any]], Any]:
    """The compiled validator of one inventory item (the `item` definition of the inventory schema)."""
    import fastjsonschema

    inventory = schema("inventory")
    item_schema = {"$schema": inventory["$schema"], **inventory["$defs"]["item"]}
    validator: Callable[[dict[str, Any]], Any] = fastjsonschema.compile(item_schema)
    return validator


def describe_fast_error(error: fastjsonschema.JsonSchemaValueException) -> tuple[str | None, str, str | None]:
    """(field, message, expected) of a compiled-validator error on one item."""
    path = [part for part in (error.path or []) if part != "data"]
    field = str(path[0]) if path else None
    rule = error.rule
    definition = error.rule_definition
    value = error.value
    if rule == "required":
        names = definition if isinstance(definition, list) else []
        missing = [n for n in names if isinstance(value, dict) and n not in value]
        return (missing[0] if missing else field), "缺少必填项", None
    if rule == "type":
        names = definition if isinstance(definition, list) else [definition]
        return field, f"类型不对：{_show(value)}", "或".join(_TYPE_NAMES.get(str(n), str(n)) for n in names)
    if rule == "enum":
        return field, f"取值 {_show(value)} 不在允许范围内", "、".join(str(v) or "（空）" for v in definition)
    if rule in ("minLength", "minItems"):
        return field, "不能为空", None
    if rule == "maxLength":
        return (
            field,
            f"过长（{len(value) if isinstance(value, str) else '?'} 字符）",
            f"不超过 {definition} 字符",
        )
    if rule == "pattern":
        return field, f"格式不对：{_show(value)}", f"匹配正则 {definition}"
    return field, error.message, None
