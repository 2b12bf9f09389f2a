"""Loading YAML from untrusted files: safely, bounded, with line numbers for messages.

Dates stay text (the inventory schema validates and parses them, so a YAML date and a CSV date
go through the same checks), aliases are refused (an alias bomb costs nothing to write and a lot
to walk) and duplicate keys are refused (the second silently winning hides mistakes).

Every node is checked before anything is constructed, so that no value a file can hold makes the
constructor fail: only plain text, numbers, true/false, null, lists and mappings are accepted
(`!!binary`, `!!set`, `!!python/…` and local tags are refused with their line), a value tagged
`!!int`, `!!float` or `!!bool` must be one, numbers are bounded in length, and nesting is bounded
in depth. An explicit `!!timestamp` is read as the text it holds, like every other date, and
mapping keys are text, as in JSON.
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import yaml

from compliance_audit.errors import InputError

# Loading YAML holds every node of the document at once, some forty bytes of memory per byte of
# text: 32 MB is a rule file a hundred times over, or an inventory of some 30,000 items. Larger
# inventories belong in JSONL or CSV, which are read a record at a time.
MAX_YAML_BYTES = 32 * 1024 * 1024
# No file this tool reads nests deeper than a few levels or holds a number of more than a few
# dozen digits; the bounds stop hostile input long before Python's own limits (recursion depth,
# 4,300-digit integers) would turn it into a crash.
MAX_NESTING = 100
MAX_NUMBER_DIGITS = 100

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null"))
_TIMESTAMP, _MERGE = f"{_CORE}timestamp", f"{_CORE}merge"
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL})
_KIND_NAMES = {_INT: "整数", _FLOAT: "数字", _BOOL: "true 或 false"}
_PLAIN = "不带标签的文本、数字、true/false、列表和映射"


class _Loader(_Base):  # type: ignore[valid-type,misc]
    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }


Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    lines: dict[Path_, int]  # 1-based line where the value at each path starts (three levels deep)
    sha256: str | None = None  # of the file's bytes, when read from a file

    def line(self, *path: str | int) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def read_bounded(path: Path, limit: int, what: str, instead: str | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; `instead` says what to do when it is larger."""
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise InputError("这是一个目录，不是文件", file=path)
        if not stat.S_ISREG(status.st_mode):
            # a FIFO or a device would block the run or never end
            raise InputError("不是普通文件（设备、管道或套接字）", file=path, expected="普通文件")
        size = status.st_size
        if size > limit:
            raise InputError(f"{what}过大（{size} 字节，上限 {limit} 字节）", file=path, expected=instead)
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError("文件不存在", file=path) from None
    except IsADirectoryError:
        raise InputError("这是一个目录，不是文件", file=path) from None
    except PermissionError:
        raise InputError("没有读取权限", file=path) from None
    except OSError as error:
        raise InputError(f"无法读取（{error.strerror or type(error).__name__}）", file=path) from None


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
            _Checker(loader, lines, source).walk(node, ())
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
    except yaml.reader.ReaderError as error:
        # a character YAML does not allow; the reader counts characters, a person counts lines
        line = _line_at(text, error.position)
        raise InputError(
            f"YAML 文件含不允许的字符 U+{error.character:04X}"
            if isinstance(error.character, int)
            else "YAML 文件含不允许的字符",
            file=source,
            location=f"第 {line} 行",
            expected="不含控制字符的 UTF-8 文本",
        ) from None
    except yaml.YAMLError as error:
        raise InputError(f"YAML 语法错误：{error}", file=source) from None
    finally:
        loader.dispose()
    return YamlDocument(data, lines)


def _line_at(text: str, position: int) -> int:
    """The line of a reader error's position: libyaml counts UTF-8 bytes, PyYAML characters."""
    if _Base is yaml.SafeLoader:
        return text.count("\n", 0, max(position, 0)) + 1
    return text.encode("utf-8", errors="surrogatepass")[: max(position, 0)].count(b"\n") + 1


def load_yaml_file(path: Path, limit: int = MAX_YAML_BYTES) -> Any:
    return load_yaml_document(path, limit).data


def load_yaml_document(path: Path, limit: int = MAX_YAML_BYTES) -> YamlDocument:
    raw = read_bounded(path, limit, "YAML 文件")
    document = load_yaml_text(decode_utf8(raw, path), path)
    return replace(document, sha256=hashlib.sha256(raw).hexdigest())


class _Checker:
    """One walk over the node tree: line numbers for messages, and every check that keeps the
    constructor from failing."""

    def __init__(self, loader: Any, lines: dict[Path_, int], source: str | Path) -> None:
        self.loader = loader
        self.lines = lines
        self.source = source
        self.seen: set[int] = set()

    def refuse(self, message: str, node: yaml.Node, expected: str | None = None) -> InputError:
        return InputError(
            message, file=self.source, location=f"第 {node.start_mark.line + 1} 行", expected=expected
        )

    def walk(self, node: yaml.Node, path: Path_) -> None:
        if id(node) in self.seen:
            raise self.refuse("不支持 YAML 锚点/别名（& 与 *）", node)
        self.seen.add(id(node))
        if len(path) > MAX_NESTING:
            raise self.refuse(f"嵌套过深（超过 {MAX_NESTING} 层）", node)
        if len(path) <= 3:
            self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            self.tag(node, f"{_CORE}map")
            keys: set[str] = set()
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.refuse("映射的键应为文本，不能是列表或映射", key_node)
                self.scalar(key_node, key=True)
                key = str(key_node.value)
                if key in keys:
                    raise self.refuse(f"键“{key}”重复出现", key_node)
                keys.add(key)
                self.walk(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            self.tag(node, f"{_CORE}seq")
            for index, child in enumerate(node.value):
                self.walk(child, (*path, index))
        elif isinstance(node, yaml.ScalarNode):
            self.scalar(node)

    def tag(self, node: yaml.Node, wanted: str) -> None:
        if node.tag == wanted:
            return
        if node.tag in _SCALAR_TAGS:
            what = "映射" if isinstance(node, yaml.MappingNode) else "列表"
            raise self.refuse(f"YAML 标签 {_shown(node.tag)} 不能用于{what}", node)
        raise self.refuse(f"不支持 YAML 标签 {_shown(node.tag)}", node, _PLAIN)

    def scalar(self, node: yaml.ScalarNode, *, key: bool = False) -> None:
        if node.tag == _TIMESTAMP:
            node.tag = _STR  # dates are text here, checked by the one date parser
            return
        if key:
            if node.tag == _MERGE:
                return
            # keys are text, as in JSON (which the schemas describe): `2027:` is "2027"
            node.tag = _STR
            return
        if node.tag not in _SCALAR_TAGS:
            raise self.refuse(f"不支持 YAML 标签 {_shown(node.tag)}", node, _PLAIN)
        if node.tag in (_INT, _FLOAT):
            digits = sum(1 for char in node.value if char.isdigit())
            if digits > MAX_NUMBER_DIGITS:
                raise self.refuse(
                    f"数字过长（{digits} 位）", node, f"不超过 {MAX_NUMBER_DIGITS} 位，或写成带引号的文本"
                )
        if node.tag in _KIND_NAMES:
            try:
                self.loader.construct_object(node)
            except (ValueError, KeyError, TypeError):
                shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
                raise self.refuse(
                    f"“{shown}”不能按 {_shown(node.tag)} 读取", node, _KIND_NAMES[node.tag]
                ) from None


def _shown(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
