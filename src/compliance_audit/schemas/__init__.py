"""The JSON Schemas shipped with the package, and validation against them with clear messages.

Rule, catalogue, calendar and waiver files are small and are checked with jsonschema, which reports
the exact place of every problem. Inventory records can number a million, so each record is checked
with the same schema compiled by fastjsonschema (item_validator()), which is some twenty times
faster per record.
"""

from __future__ import annotations

import json
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
def schema(name: str) -> dict[str, Any]:
    text = files(__package__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
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
) -> None:
    """Raise InputError naming the first problem (in document order) of data against a schema,
    or against one of its $defs."""
    validator = _validator(name, definition)
    errors = sorted(validator.iter_errors(data), key=lambda error: [str(p) for p in error.path])
    if not errors:
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
