"""Loading a rules directory: sources.yaml, profiles.yaml and one YAML file per ruleset.

Loading validates everything a rule can get wrong before any audit runs: the schema, duplicate
rule ids, references to sources, functions and rules that do not exist, unknown checks and their
parameters, regular expressions that do not compile, and confidence above what a source supports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path
from types import MappingProxyType
from typing import Any

from compliance_audit.errors import InputError
from compliance_audit.judge import CHECKS
from compliance_audit.ruleset import parse
from compliance_audit.ruleset.model import Basis, Function, Profile, Rule, Ruleset, Source
from compliance_audit.schemas import params_problem, validate_file
from compliance_audit.yamlsafe import YamlDocument, load_yaml_document

SOURCES_FILE = "sources.yaml"
PROFILES_FILE = "profiles.yaml"
COVERAGE_FILE = "coverage.yaml"
CASES_DIR = "cases"


@dataclass
class RuleBook:
    directory: Path
    sources: dict[str, Source]
    rulesets: list[Ruleset]
    rules: list[Rule]
    functions: dict[str, Function]
    profiles: dict[str, Profile]
    problems: list[InputError] = field(default_factory=list)

    def default_profile(self, level: str, sector: str) -> Profile | None:
        """The profile a bureau of this level and sector is audited with when it declares none."""
        for profile in self.profiles.values():
            if profile.level == level and profile.sector == sector:
                return profile
        return None

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise InputError(f"没有编号为 {rule_id} 的规则", expected="rules list 列出的编号")


@contextmanager
def bundled_rules_directory() -> Iterator[Path]:
    with as_file(files("compliance_audit").joinpath("rules")) as directory:
        yield directory


def load_rulebook(directory: Path | None = None, *, collect: bool = False) -> RuleBook:
    """Load and validate a rules directory (the bundled one when None). With collect, problems
    are gathered in RuleBook.problems instead of raising the first."""
    if directory is None:
        with bundled_rules_directory() as bundled:
            return _load(bundled, collect)
    if not directory.is_dir():
        raise InputError("规则目录不存在", file=directory)
    return _load(directory, collect)


def _load(directory: Path, collect: bool) -> RuleBook:
    problems: list[InputError] = []

    def fail(error: InputError) -> None:
        if not collect:
            raise error
        problems.append(error)

    sources = _sources(directory / SOURCES_FILE)
    functions, profiles = _profiles(directory / PROFILES_FILE, sources, fail)
    rulesets: list[Ruleset] = []
    rules: list[Rule] = []
    seen: dict[str, Path] = {}
    rule_files = sorted(
        path
        for path in directory.glob("*.yaml")
        if path.name not in (SOURCES_FILE, PROFILES_FILE, COVERAGE_FILE)
    )
    if not rule_files:
        raise InputError("规则目录中没有规则文件（*.yaml）", file=directory)
    for path in rule_files:
        try:
            ruleset, file_rules, document = _rule_file(path)
        except InputError as error:
            fail(error)
            continue
        rulesets.append(ruleset)
        for position, rule in enumerate(file_rules):
            where = _where(document, "rules", position)
            if rule.id in seen:
                fail(
                    InputError(
                        f"规则编号 {rule.id} 与 {seen[rule.id].name} 中的重复", file=path, location=where
                    )
                )
                continue
            seen[rule.id] = path
            for problem in _rule_problems(rule, sources, functions, document, position):
                fail(InputError(problem[0], file=path, location=where, field=problem[1]))
            rules.append(rule)
        for source_id in document.data["ruleset"]["sources"]:
            if source_id not in sources:
                fail(InputError(f"未定义的来源 {source_id}", file=path, field="ruleset.sources"))
    known = {rule.id for rule in rules}
    for rule in rules:
        for name in CHECKS[rule.check].rule_params if rule.check in CHECKS else ():
            target = rule.params.get(name)
            if target is not None and target not in known:
                fail(
                    InputError(f"规则 {rule.id} 的参数 {name} 指向不存在的规则 {target}", file=seen[rule.id])
                )
    return RuleBook(directory, sources, rulesets, rules, functions, profiles, problems)


def _where(document: YamlDocument, *path: str | int) -> str | None:
    line = document.line(*path)
    return f"第 {line} 行" if line else None


def _sources(path: Path) -> dict[str, Source]:
    if not path.is_file():
        raise InputError(f"规则目录缺少 {SOURCES_FILE}", file=path.parent)
    document = load_yaml_document(path)
    validate_file(document, "ruleset", path, definition="sources_file")
    sources: dict[str, Source] = {}
    for position, data in enumerate(document.data["sources"]):
        if data["id"] in sources:
            raise InputError(
                f"来源编号 {data['id']} 重复", file=path, location=_where(document, "sources", position)
            )
        sources[data["id"]] = Source(
            id=data["id"],
            title=data["title"],
            status=data["status"],
            urls=tuple(data["urls"]),
            short=data.get("short", ""),
            issuer=data.get("issuer", ""),
            doc_no=data.get("doc_no", ""),
            date=data.get("date", ""),
            effective=data.get("effective", ""),
            kind=data.get("kind", ""),
            note=data.get("note", ""),
        )
    return sources


def _profiles(
    path: Path, sources: dict[str, Source], fail: Any
) -> tuple[dict[str, Function], dict[str, Profile]]:
    if not path.is_file():
        return {}, {}
    document = load_yaml_document(path)
    validate_file(document, "ruleset", path, definition="profiles_file")
    functions = {
        data["id"]: Function(data["id"], data["label"], data.get("note", ""))
        for data in document.data["functions"]
    }
    profiles: dict[str, Profile] = {}
    defaults: dict[tuple[str, str], str] = {}
    for position, data in enumerate(document.data["profiles"]):
        kind = (data.get("level", ""), data.get("sector", ""))
        if all(kind) and kind in defaults:
            fail(
                InputError(
                    f"职能档案 {data['id']} 与 {defaults[kind]} 的层级和领域相同，默认档案只能有一个",
                    file=path,
                    location=_where(document, "profiles", position),
                )
            )
        defaults.setdefault(kind, data["id"])
        where = _where(document, "profiles", position)
        unknown = [name for name in data["functions"] if name not in functions]
        if unknown:
            fail(
                InputError(
                    f"职能档案 {data['id']} 含未定义的职能 {', '.join(unknown)}", file=path, location=where
                )
            )
        unjustified = [name for name in data["functions"] if name not in data["basis"]]
        if unjustified:
            fail(
                InputError(
                    f"职能档案 {data['id']} 的职能 {', '.join(unjustified)} 没有写明依据",
                    file=path,
                    location=where,
                    field="basis",
                )
            )
        basis = {
            name: Basis(tuple(parse.ref(ref) for ref in entry["refs"]), entry["text"])
            for name, entry in data["basis"].items()
        }
        for entry in basis.values():
            for ref in entry.refs:
                if ref.source not in sources:
                    fail(
                        InputError(
                            f"引用了未定义的来源 {ref.source}", file=path, location=where, field="basis"
                        )
                    )
        profiles[data["id"]] = Profile(
            id=data["id"],
            label=data["label"],
            functions=tuple(data["functions"]),
            basis=MappingProxyType(basis),
            level=data.get("level", ""),
            sector=data.get("sector", ""),
            note=data.get("note", ""),
        )
    return functions, profiles


def _rule_file(path: Path) -> tuple[Ruleset, list[Rule], YamlDocument]:
    document = load_yaml_document(path)
    validate_file(document, "ruleset", path, definition="rule_file")
    head = document.data["ruleset"]
    ruleset = Ruleset(
        id=head["id"],
        title=head["title"],
        version=head["version"],
        sha256=document.sha256 or "",
        path=str(path),
    )
    rules = [_rule(data, ruleset.id) for data in document.data["rules"]]
    return ruleset, rules, document


def _rule(data: dict[str, Any], ruleset_id: str) -> Rule:
    return Rule(
        id=data["id"],
        title=data["title"],
        check=data["check"],
        severity=data["severity"],
        confidence=data["confidence"],
        refs=tuple(parse.ref(ref) for ref in data["refs"]),
        rationale=data["rationale"].strip(),
        fix=data["fix"].strip(),
        ruleset=ruleset_id,
        applies=parse.applies(data.get("applies")),
        match=parse.match(data.get("match")),
        elements=tuple(parse.element(element) for element in data.get("elements", ())),
        deadline=parse.deadline(data.get("deadline")),
        refresh=parse.refresh(data.get("refresh")),
        params=MappingProxyType(dict(data.get("params", {}))),
    )


def _rule_problems(
    rule: Rule,
    sources: dict[str, Source],
    functions: dict[str, Function],
    document: YamlDocument,
    position: int,
) -> Iterator[tuple[str, str | None]]:
    spec = CHECKS.get(rule.check)
    if spec is None:
        yield f"规则 {rule.id} 使用了未知的检查 {rule.check}", "check"
        return
    problem = params_problem(dict(rule.params), spec.params_schema)
    if problem is not None:
        message, expected = problem
        yield f"规则 {rule.id} 的参数有误：{message}" + (f"（应为 {expected}）" if expected else ""), "params"
    if spec.needs_match and rule.match is None and not any(element.match for element in rule.elements):
        yield f"检查 {rule.check} 需要 match 或带 match 的 elements", "match"
    for ref in rule.refs:
        if ref.source not in sources:
            yield f"引用了未定义的来源 {ref.source}", "refs"
        elif sources[ref.source].status == "local-practice" and rule.confidence != "local-practice":
            yield f"来源 {ref.source} 仅为地方做法，规则的 confidence 应为 local-practice", "confidence"
    if rule.confidence == "local-practice" and rule.severity == "error":
        yield "地方做法（local-practice）的规则最高只能是 warning", "severity"
    for name in rule.applies.functions:
        if name not in functions:
            yield f"适用条件引用了未定义的职能 {name}", "applies.functions"
    patterns = [pattern for spec_ in _match_specs(rule) if spec_.title for pattern in spec_.title.regex]
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            yield f"正则表达式 {pattern} 无法编译：{error}", "match.title.regex"


def _match_specs(rule: Rule) -> Iterator[Any]:
    if rule.match is not None:
        yield rule.match
    for element in rule.elements:
        if element.match is not None:
            yield element.match
