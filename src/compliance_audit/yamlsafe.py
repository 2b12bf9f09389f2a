"""Loading YAML from untrusted files: safely, bounded, with line numbers for messages.

Dates stay text (the inventory schema validates and parses them, so a YAML date and a CSV date
go through the same checks), aliases are refused (an alias bomb costs nothing to write and a lot
to walk) and duplicate keys are refused (the second silently winning hides mistakes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

from compliance_audit.errors import InputError

MAX_YAML_BYTES = 256 * 1024 * 1024

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }


Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    lines: dict[Path_, int]  # 1-based line where the value at each path starts (three levels deep)

    def line(self, *path: str | int) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"{what}过大（{size} 字节，上限 {limit} 字节）", file=path)
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError("文件不存在", file=path) from None
    except IsADirectoryError:
        raise InputError("这是一个目录，不是文件", file=path) from None
    except PermissionError:
        raise InputError("没有读取权限", file=path) from None


def decode_utf8(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            "不是 UTF-8 编码的文本", file=path, location=f"第 {line} 行", expected="UTF-8 文本"
        ) from None


def load_yaml_text(text: str, source: str | Path) -> YamlDocument:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Path_, int] = {}
        if node is not None:
            _walk(node, (), lines, set(), source)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else None
        problem = error.problem or error.context or "无法解析"
        context = error.context_mark
        if error.problem and context is not None and mark is not None and context.line != mark.line:
            # where the unclosed bracket or block began is usually where the mistake is
            problem += f"（{error.context}，始于第 {context.line + 1} 行）"
        raise InputError(f"YAML 语法错误：{problem}", file=source, location=location) from None
    except yaml.YAMLError as error:
        raise InputError(f"YAML 语法错误：{error}", file=source) from None
    finally:
        loader.dispose()
    return YamlDocument(data, lines)


def load_yaml_file(path: Path, limit: int = MAX_YAML_BYTES) -> Any:
    return load_yaml_document(path, limit).data


def load_yaml_document(path: Path, limit: int = MAX_YAML_BYTES) -> YamlDocument:
    text = decode_utf8(read_bounded(path, limit, "YAML 文件"), path)
    return load_yaml_text(text, path)


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int], seen: set[int], source: str | Path) -> None:
    if id(node) in seen:
        raise InputError(
            "不支持 YAML 锚点/别名（& 与 *）", file=source, location=f"第 {node.start_mark.line + 1} 行"
        )
    seen.add(id(node))
    if len(path) <= 3:
        lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in keys:
                raise InputError(
                    f"键“{key}”重复出现", file=source, location=f"第 {key_node.start_mark.line + 1} 行"
                )
            keys.add(key)
            _walk(value_node, (*path, key), lines, seen, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _walk(child, (*path, index), lines, seen, source)
