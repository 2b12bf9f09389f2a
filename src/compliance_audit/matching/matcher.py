"""Which items satisfy which requirement, and why.

Evidence is taken in a fixed order: an item's explicit `tags` win (the bureau's own statement, and
then nothing is guessed for that item); otherwise its column (栏目), its column's kind or its topic
(主题分类); otherwise keywords in its normalised title; otherwise, for what a page states rather
than what it is called (an office's address on its 联系我们 page), keywords in its summary and
body. Exclusions (e.g. 解读 for the document it explains) veto column, topic, title and text
evidence, never tags.

Matching runs on whole columns. Titles are normalised once per column and searched for every
keyword of every rule in one Aho-Corasick pass. What an item matches depends only on the keywords
found in its title and text, its column and its topic (its "key"): each distinct key is evaluated
once, whatever the number of items that share it, and the items are joined to their key's result.
A key whose evaluation reads the title itself (a rule refining with a regular expression) is
evaluated per distinct title; a tagged item on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from compliance_audit.inventory.model import Bureau, Item
from compliance_audit.inventory.table import ItemTable, per_distinct, per_value
from compliance_audit.ruleset.model import EVENT_PENDING_REASON, MatchSpec, Rule
from compliance_audit.textnorm import normalise, normalise_column, normalise_label

ELEMENT_TAG_SEPARATOR = "#"


@dataclass(frozen=True, slots=True)
class Target:
    """A rule as a whole (element None) or one of its elements (index into rule.elements); or,
    for a row owed only when an event happened, the evidence that it did (evidence True)."""

    rule: str
    element: int | None = None
    evidence: bool = False

    @property
    def tag(self) -> str:
        return self.rule if self.element is None else f"{self.rule}{ELEMENT_TAG_SEPARATOR}{self.element + 1}"


@dataclass(frozen=True, slots=True)
class Evidence:
    how: str  # tag | column | column-kind | topic | title | text
    detail: str

    def describe(self) -> str:
        return {
            "tag": "标签“{}”",
            "column": "栏目“{}”",
            "column-kind": "栏目类型 {}",
            "topic": "主题分类“{}”",
            "title": "标题含“{}”",
            "text": "内容概述或正文含“{}”",
        }[self.how].format(self.detail)


Found = tuple[tuple[Target, Evidence], ...]


@dataclass
class MatchTable:
    """Which items match which targets: each item has a key (`keys`, one per item), and each key
    the targets it matches with their evidence (`found`)."""

    keys: pl.Series
    found: list[Found]
    unknown_tags: list[tuple[int, str]] = field(default_factory=list)  # (item index, tag)
    _rows: dict[frozenset[Target], list[int]] = field(default_factory=dict, repr=False)

    def rows_of(self, targets: Iterable[Target]) -> list[int]:
        """The items matched to any of the targets, in inventory order."""
        wanted = frozenset(targets)
        rows = self._rows.get(wanted)
        if rows is None:
            keys = [key for key, found in enumerate(self.found) if any(t in wanted for t, _ in found)]
            rows = self._rows[wanted] = self.keys.is_in(keys).arg_true().to_list() if keys else []
        return rows

    def targets_of_key(self, key: int) -> list[Target]:
        return [target for target, _ in self.found[key] if not target.evidence]

    def awaiting_event(self, rule: Rule) -> str | None:
        """Why a catalogue row owed only when its event happened is not judged: no item of it and
        no item showing such an event. None when it is to be judged."""
        event = rule.catalogue.event if rule.catalogue is not None else None
        if event is None or self.item_indexes_of_rule(rule) or self.rows_of([Target(rule.id, evidence=True)]):
            return None
        return f"{event.label}事项：{EVENT_PENDING_REASON}（清单中未见此类决定的信息）"

    def items_of(self, target: Target) -> list[tuple[int, Evidence]]:
        rows = self.rows_of([target])
        evidence = {key: dict(found)[target] for key, found in enumerate(self.found) if target in dict(found)}
        return [(row, evidence[key]) for row, key in zip(rows, self.keys.gather(rows).to_list(), strict=True)]

    def item_indexes_of_rule(self, rule: Rule) -> list[int]:
        """Every item matched to the rule itself or to any of its elements, in inventory order."""
        return self.rows_of(
            [Target(rule.id), *(Target(rule.id, position) for position in range(len(rule.elements)))]
        )


@dataclass(frozen=True, slots=True)
class _Spec:
    target: Target
    any_ids: frozenset[int]
    all_ids: frozenset[int]
    exclude_ids: frozenset[int]
    text_ids: frozenset[int]
    regexes: tuple[re.Pattern[str], ...]
    columns: frozenset[str]
    kinds: frozenset[str]
    topics: tuple[str, ...]


@dataclass(frozen=True)
class NearMiss:
    item_index: int
    score: float
    reason: str


class Matcher:
    def __init__(self, rules: Iterable[Rule], bureau: Bureau, ignored_tags: Iterable[str] = ()) -> None:
        """ignored_tags: ids of rules that exist but are not matched (they do not apply to this
        bureau); an item tagged with one is not reported as carrying an unknown tag."""
        self._keywords: dict[str, int] = {}
        self._keyword_texts: list[str] = []
        self._specs: list[_Spec] = []
        self._tag_targets: dict[str, Target] = {}
        self._by_keyword: dict[int, list[int]] = {}
        self._text_keywords: set[int] = set()
        self._by_column: dict[str, list[int]] = {}
        self._by_kind: dict[str, list[int]] = {}
        self._topic_specs: list[int] = []
        self._element_specs: dict[str, list[int]] = {}
        self._column_kinds = {normalise(column.name): column.kind for column in bureau.columns}
        self._rules: dict[str, Rule] = {}
        self._ignored_tags = frozenset(ignored_tags)
        for rule in rules:
            self._rules[rule.id] = rule
            self._tag_targets[rule.id] = Target(rule.id)
            if rule.match is not None:
                self._add_spec(Target(rule.id), rule.match)
            for position, element in enumerate(rule.elements):
                if element.match is not None:
                    target = Target(rule.id, position)
                    self._tag_targets[target.tag] = target
                    self._add_spec(target, element.match)
            event = rule.catalogue.event if rule.catalogue is not None else None
            if event is not None and event.evidence is not None:
                self._add_spec(Target(rule.id, evidence=True), event.evidence)

    def _keyword_id(self, keyword: str) -> int:
        normalised = normalise(keyword)
        if normalised not in self._keywords:
            self._keywords[normalised] = len(self._keyword_texts)
            self._keyword_texts.append(normalised)
        return self._keywords[normalised]

    def _add_spec(self, target: Target, spec: MatchSpec) -> None:
        title = spec.title
        compiled = _Spec(
            target=target,
            any_ids=frozenset(self._keyword_id(k) for k in title.any) if title else frozenset(),
            all_ids=frozenset(self._keyword_id(k) for k in title.all) if title else frozenset(),
            exclude_ids=frozenset(self._keyword_id(k) for k in title.exclude) if title else frozenset(),
            text_ids=frozenset(self._keyword_id(k) for k in spec.text.any) if spec.text else frozenset(),
            regexes=tuple(re.compile(pattern) for pattern in title.regex) if title else (),
            columns=frozenset(normalise(c) for c in spec.columns),
            kinds=frozenset(spec.column_kinds),
            topics=tuple(normalise(t) for t in spec.topics),
        )
        position = len(self._specs)
        self._specs.append(compiled)
        for keyword_id in compiled.any_ids | compiled.all_ids | compiled.text_ids:
            self._by_keyword.setdefault(keyword_id, []).append(position)
        self._text_keywords.update(compiled.text_ids)
        for column in compiled.columns:
            self._by_column.setdefault(column, []).append(position)
        for kind in compiled.kinds:
            self._by_kind.setdefault(kind, []).append(position)
        if compiled.topics:
            self._topic_specs.append(position)
        if target.element is not None and not target.evidence:
            self._element_specs.setdefault(target.rule, []).append(position)

    def describe(self, table: ItemTable) -> pl.DataFrame:
        """What matching looks at, per item: the keywords in its normalised title (`hits`) and in
        its summary and body (`text`), as sorted keyword ids; its normalised column and topic
        (topic only when some spec looks at topics); and its normalised title."""
        frame = table.frame
        title = per_distinct(frame["title"], normalise_column)
        hits = per_distinct(title, lambda titles: self._found(titles, self._keyword_texts))
        if self._text_keywords:
            text_keywords = [self._keyword_texts[k] for k in sorted(self._text_keywords)]
            text = per_distinct(
                frame["summary"] + "\n" + frame["body"],
                lambda texts: self._found(normalise_column(texts), text_keywords),
            )
        else:
            text = pl.repeat([], frame.height, dtype=pl.List(pl.UInt32), eager=True)
        empty = pl.repeat("", frame.height, eager=True)
        return pl.DataFrame(
            {
                "title": title,
                "hits": hits,
                "text": text,
                "column": _labels(frame["column"]),
                "topic": _labels(frame["topic"]) if self._topic_specs else empty,
            }
        )

    def _found(self, texts: pl.Series, keywords: list[str]) -> pl.Series:
        """The ids of the keywords that occur in each text (every occurrence, overlapping ones too)."""
        if not keywords:
            return pl.repeat([], texts.len(), dtype=pl.List(pl.UInt32), eager=True)
        ids = {keyword: self._keywords[keyword] for keyword in keywords}
        found = texts.str.extract_many(keywords, overlapping=True)
        return (
            found.list.eval(pl.element().replace_strict(ids, return_dtype=pl.UInt32))
            .list.unique()
            .list.sort()
        )

    def match(self, table: ItemTable) -> MatchTable:
        described = self.describe(table)
        keys = (
            described["hits"].cast(pl.List(pl.String)).list.join(",")
            + "\x1e"
            + described["text"].cast(pl.List(pl.String)).list.join(",")
            + "\x1e"
            + described["column"]
            + "\x1e"
            + described["topic"]
        )
        found: list[Found] = []
        ids: dict[str, int] = {}
        reading_title: set[str] = set()
        tagged = (table.frame["tags"].list.len().fill_null(0) > 0).arg_true().to_list()
        untagged = keys.clone().scatter(tagged, None) if tagged else keys
        for key, first in _firsts(untagged):
            result, reads_title = self._evaluate_row(described, first, title="")
            if reads_title:
                reading_title.add(key)
            else:
                ids[key] = len(found)
                found.append(result)
        if reading_title:
            # the evaluation depends on the title too: one per distinct (key, title)
            rows = untagged.is_in(list(reading_title)).arg_true()
            with_title = keys.gather(rows) + "\x1d" + described["title"].gather(rows)
            keys = keys.scatter(rows, with_title)
            for key, first in _firsts(with_title):
                ids[key] = len(found)
                found.append(
                    self._evaluate_row(described, int(rows[first]), described["title"][int(rows[first])])[0]
                )
        unknown: list[tuple[int, str]] = []
        if tagged:
            keys = keys.scatter(tagged, [f"\x1c{row}" for row in tagged])
            for row, item in zip(tagged, table.items_at(tagged), strict=True):
                ids[f"\x1c{row}"] = len(found)
                found.append(self._tagged(row, item, described, unknown))
        # cast: with no items the mapping is empty, and replace_strict then keeps the text type
        return MatchTable(keys.replace_strict(ids, return_dtype=pl.UInt32).cast(pl.UInt32), found, unknown)

    def _evaluate_row(self, described: pl.DataFrame, row: int, title: str) -> tuple[Found, bool]:
        hits, text, column, topic = (described[name][row] for name in ("hits", "text", "column", "topic"))
        return self._evaluate(set(hits.to_list()), frozenset(text.to_list()), title, column, topic)

    def _evaluate(
        self, hits: set[int], text: frozenset[int], title: str, column: str, topic: str
    ) -> tuple[Found, bool]:
        """The targets an untagged item matches, and whether that depended on more than the key."""
        candidates: set[int] = set()
        for keyword_id in hits | text:
            candidates.update(self._by_keyword.get(keyword_id, ()))
        kind = self._column_kinds.get(column) if column else None
        if column:
            candidates.update(self._by_column.get(column, ()))
            if kind:
                candidates.update(self._by_kind.get(kind, ()))
        if topic:
            candidates.update(self._topic_specs)
        found = []
        reads_title = False
        for position in sorted(candidates):
            spec = self._specs[position]
            reads_title = reads_title or bool(spec.regexes)
            evidence = self._evidence(spec, hits, title, column, kind, topic, text)
            if isinstance(evidence, Evidence):
                found.append((spec.target, evidence))
        return tuple(found), reads_title

    def _tagged(self, row: int, item: Item, described: pl.DataFrame, unknown: list[tuple[int, str]]) -> Found:
        """Tags name the requirement (or element) outright; for a requirement made of elements,
        the title still tells which element the item is."""
        found: list[tuple[Target, Evidence]] = []
        for tag in item.tags:
            target = self._tag_targets.get(tag)
            if target is None:
                if tag.partition(ELEMENT_TAG_SEPARATOR)[0] not in self._ignored_tags:
                    unknown.append((row, tag))
                continue
            found.append((target, Evidence("tag", tag)))
            element_specs = self._element_specs.get(target.rule, ()) if target.element is None else ()
            if element_specs:
                title = described["title"][row]
                hits = set(described["hits"][row].to_list())
                text = frozenset(described["text"][row].to_list())
                for position in element_specs:
                    spec = self._specs[position]
                    evidence = self._evidence(spec, hits, title, "", None, "", text)
                    if isinstance(evidence, Evidence):
                        found.append((spec.target, evidence))
        return tuple(found)

    def _evidence(
        self,
        spec: _Spec,
        hits: set[int],
        title: str,
        column: str,
        kind: str | None,
        topic: str,
        text: frozenset[int] = frozenset(),
    ) -> Evidence | str:
        """The evidence that the item matches the spec, or why it does not."""
        excluded = spec.exclude_ids & hits
        if excluded:
            return f"标题含排除词“{self._keyword_text(min(excluded))}”"
        if column and column in spec.columns:
            return Evidence("column", column)
        if kind and kind in spec.kinds:
            return Evidence("column-kind", kind)
        if topic:
            for wanted in spec.topics:
                if topic == wanted or topic.startswith((wanted + "\\", wanted + "/")):
                    return Evidence("topic", wanted)
        title_evidence = self._title_evidence(spec, hits, title)
        if isinstance(title_evidence, Evidence) or not spec.text_ids:
            return title_evidence
        stated = spec.text_ids & (hits | text)
        if stated:
            return Evidence("text", "”“".join(self._keyword_text(k) for k in sorted(stated)))
        wanted = "”“".join(self._keyword_text(k) for k in sorted(spec.text_ids))
        return f"{title_evidence}；标题、内容概述和正文也不含“{wanted}”"

    def _title_evidence(self, spec: _Spec, hits: set[int], title: str) -> Evidence | str:
        if not spec.any_ids and not spec.all_ids:
            return "栏目、主题分类均不符"
        missing_all = spec.all_ids - hits
        if missing_all:
            return f"标题缺少“{'”“'.join(self._keyword_text(k) for k in sorted(missing_all))}”"
        found_any = spec.any_ids & hits
        if spec.any_ids and not found_any:
            wanted = "”“".join(self._keyword_text(k) for k in sorted(spec.any_ids))
            return f"标题不含“{wanted}”中任何一个"
        if spec.regexes and not any(pattern.search(title) for pattern in spec.regexes):
            return f"标题不符合正则 {' 或 '.join(p.pattern for p in spec.regexes)}"
        shown = sorted(found_any or spec.all_ids)
        return Evidence("title", "”“".join(self._keyword_text(k) for k in shown))

    def _keyword_text(self, keyword_id: int) -> str:
        return self._keyword_texts[keyword_id]

    def near_misses(
        self, rule: Rule, table: ItemTable, matches: MatchTable, limit: int = 5
    ) -> list[NearMiss]:
        """The items closest to matching the rule that did not, with the reason each was rejected."""
        matched = set(matches.item_indexes_of_rule(rule))
        specs = [spec for spec in self._specs if spec.target.rule == rule.id and not spec.target.evidence]
        keywords = [self._keyword_text(k) for spec in specs for k in spec.any_ids | spec.all_ids]
        described = self.describe(table)
        topics = _labels(table.frame["topic"]).to_list()
        tagged = (table.frame["tags"].list.len().fill_null(0) > 0).to_list()
        misses: list[NearMiss] = []
        rows = zip(described["title"], described["hits"], described["column"], topics, tagged, strict=True)
        for index, (title, hits, column, topic, is_tagged) in enumerate(rows):
            if index in matched:
                continue
            kind = self._column_kinds.get(column)
            outcomes = [self._evidence(spec, set(hits), title, column, kind, topic) for spec in specs]
            if is_tagged and any(isinstance(outcome, Evidence) for outcome in outcomes):
                misses.append(
                    NearMiss(index, 1.0, "标题符合，但该条标注了其他要求的标签（标签优先，不再按标题匹配）")
                )
                continue
            reasons = [outcome for outcome in outcomes if isinstance(outcome, str)]
            excluded = any(reason.startswith("标题含排除词") for reason in reasons)
            score = 1.0 if excluded else _similarity(title, keywords)
            if score > 0:
                reason = reasons[0] if reasons else "不符"
                misses.append(NearMiss(index, score, reason))
        misses.sort(key=lambda miss: (-miss.score, miss.item_index))
        return misses[:limit]


def _labels(values: pl.Series) -> pl.Series:
    return per_value(values, normalise_label, pl.String)


def _firsts(keys: pl.Series) -> list[tuple[str, int]]:
    """Each distinct key (nulls aside) with the position where it first occurs."""
    frame = pl.DataFrame({"key": keys}).with_row_index("first").drop_nulls("key")
    distinct = frame.unique(subset="key", keep="first", maintain_order=True)
    return [(key, first) for first, key in distinct.iter_rows()]


def _similarity(title: str, keywords: list[str]) -> float:
    """How close a title comes to the best keyword (0 … 1): the share of the keyword's character
    pairs found in the title, and, so that abbreviations (法援 for 法律援助) still count, the share
    of its characters beyond the first (one shared character says nothing)."""
    title_pairs = {title[i : i + 2] for i in range(len(title) - 1)}
    title_chars = set(title)
    best = 0.0
    for keyword in keywords:
        pairs = {keyword[i : i + 2] for i in range(len(keyword) - 1)} or {keyword}
        chars = set(keyword)
        shared_chars = max(0, len(chars & title_chars) - 1) / max(1, len(chars) - 1)
        score = 0.6 * len(pairs & title_pairs) / len(pairs) + 0.4 * shared_chars
        best = max(best, score)
    return best if best >= _NEAR else 0.0


_NEAR = 0.12  # below this a title shares no more with the keywords than unrelated titles do
