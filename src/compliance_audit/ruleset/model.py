"""Rules, catalogue rows and the sources they cite, as loaded from rules/ and catalogues/."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

CN_NUMERALS = "零一二三四五六七八九十"


def cn_number(number: int) -> str:
    """26 → 二十六, 10 → 十, 15 → 十五, 203 → 二百零三, 110 → 一百一十 (article and item numbers as
    the statute writes them)."""
    if number < 11:
        return CN_NUMERALS[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        head = "" if tens == 1 else CN_NUMERALS[tens]
        return f"{head}十{CN_NUMERALS[ones] if ones else ''}"
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = f"零{CN_NUMERALS[rest]}"
    else:
        tail = cn_number(rest) if rest >= 20 else f"一{cn_number(rest)}"
    return f"{CN_NUMERALS[hundreds]}百{tail}"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    status: str
    urls: tuple[str, ...]
    short: str = ""
    issuer: str = ""
    doc_no: str = ""
    date: str = ""
    effective: str = ""
    kind: str = ""
    note: str = ""

    @property
    def name(self) -> str:
        return self.short or f"《{self.title}》"


@dataclass(frozen=True)
class Ref:
    source: str
    article: int | None = None
    item: int | str | None = None
    section: str | None = None

    def label(self, sources: Mapping[str, Source]) -> str:
        """《条例》第二十条第（一）项, 《目录》N5, 国办发〔2018〕118号 二（六）"""
        source = sources.get(self.source)
        text = source.name if source else self.source
        if self.article is not None:
            text += f"第{cn_number(self.article)}条"
            if isinstance(self.item, int):
                text += f"第（{cn_number(self.item)}）项"
        elif self.item is not None:
            text += f" {self.item}"
        if self.section:
            text += f" {self.section}"
        return text

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"source": self.source, "article": self.article, "item": self.item}
        if self.section is not None:
            data["section"] = self.section
        return data


@dataclass(frozen=True)
class TitleMatch:
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchSpec:
    columns: tuple[str, ...] = ()
    column_kinds: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    title: TitleMatch | None = None
    text: TitleMatch | None = None  # looked for in title, summary and body

    @property
    def keywords(self) -> tuple[str, ...]:
        return (self.title.any + self.title.all) if self.title else ()


@dataclass(frozen=True)
class Element:
    """One part a requirement is made of: a separate item (match) or a passage of a body (any).

    An illustrative element is one of the examples a catalogue lists with 等 ("…普法讲师团信息等"):
    the requirement is met without it. origin says where its match came from when it was not
    written by hand (an imported table's row)."""

    name: str
    match: MatchSpec | None = None
    any: tuple[str, ...] = ()
    illustrative: bool = False
    origin: str = ""


EVENT_KINDS = {"award": "表彰奖励", "penalty": "处罚、惩戒", "decision": "处理决定"}
EVENT_PENDING_REASON = "仅在作出相关决定时公开；如本年度有此类决定，请核对是否已公开"


@dataclass(frozen=True)
class Event:
    """A catalogue row owed only when its event happened (an award, a penalty, a decision).

    evidence: items that show such an event happened although they are not the row's own
    publications (a news report of the award ceremony); the row's own matches count as well."""

    kind: str  # a key of EVENT_KINDS
    evidence: MatchSpec | None = None
    derived: bool = False  # from the 事项's wording, not written in the catalogue

    @property
    def label(self) -> str:
        return EVENT_KINDS[self.kind]


@dataclass(frozen=True)
class Deadline:
    working_days: int | None = None
    calendar_days: int | None = None
    annual_due: tuple[int, int] | None = None  # (month, day) of the year after the period
    start: str = "formed"
    replaces_general: bool = False
    text: str = ""
    # the instrument binds information formed on or after formed_from and before formed_before
    formed_from: date | None = None
    formed_before: date | None = None

    def in_force(self, formed: date) -> bool:
        return (self.formed_from is None or formed >= self.formed_from) and (
            self.formed_before is None or formed < self.formed_before
        )

    @property
    def counts_days(self) -> bool:
        return self.working_days is not None or self.calendar_days is not None

    def describe(self) -> str:
        if self.working_days is not None:
            return f"{self.working_days}个工作日"
        if self.calendar_days is not None:
            return f"{self.calendar_days}日"
        if self.annual_due is not None:
            return f"次年{self.annual_due[0]}月{self.annual_due[1]}日前"
        return self.text or "无固定期限"


@dataclass(frozen=True)
class Refresh:
    reason: str
    since: date | None = None
    annual_due: tuple[int, int] | None = None
    year_offset: int = 1
    months: int | None = None


@dataclass(frozen=True)
class Applies:
    levels: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatalogueInfo:
    """What a requirement made from a catalogue row carries beyond a rule."""

    catalogue: str
    row: str
    level1: str
    level2: str
    level3: str | None
    mode: str | None
    audience: tuple[str, ...]
    levels: tuple[str, ...]
    confidence: str
    inferred: tuple[str, ...]
    basis: tuple[str, ...]
    channels: tuple[str, ...]
    subject: str
    sources: tuple[str, ...]
    imported: bool = False  # from a county's own published table (catalogue import)
    event: Event | None = None  # owed only when such an event happened
    match_origin: str = ""  # where the row's matching comes from (imported rows: inherited or derived)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    check: str
    severity: str
    confidence: str
    refs: tuple[Ref, ...]
    rationale: str
    fix: str
    ruleset: str
    applies: Applies = Applies()
    match: MatchSpec | None = None
    elements: tuple[Element, ...] = ()
    deadline: Deadline | None = None
    refresh: Refresh | None = None
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    catalogue: CatalogueInfo | None = None


@dataclass(frozen=True)
class Ruleset:
    id: str
    title: str
    version: str
    sha256: str
    path: str


@dataclass(frozen=True)
class Function:
    id: str
    label: str
    note: str = ""


@dataclass(frozen=True)
class Basis:
    """Why a kind of bureau has a function: the legal source, and how it reads."""

    refs: tuple[Ref, ...]
    text: str


@dataclass(frozen=True)
class Profile:
    """The functions a kind of bureau has; the default for a bureau of its level and sector."""

    id: str
    label: str
    functions: tuple[str, ...]
    basis: Mapping[str, Basis]
    level: str = ""
    sector: str = ""
    note: str = ""
