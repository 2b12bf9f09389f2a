"""From validated YAML mappings to the model: the pieces rule files and catalogue files share."""

from __future__ import annotations

from datetime import date
from typing import Any

from compliance_audit.ruleset.model import (
    Applies,
    Deadline,
    Element,
    MatchSpec,
    Ref,
    Refresh,
    TitleMatch,
)


def texts(data: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(data.get(key) or ())


def ref(data: dict[str, Any]) -> Ref:
    return Ref(data["source"], data.get("article"), data.get("item"), data.get("section"))


def match(data: dict[str, Any] | None) -> MatchSpec | None:
    if not data:
        return None
    return MatchSpec(
        columns=texts(data, "columns"),
        column_kinds=texts(data, "column_kinds"),
        topics=texts(data, "topics"),
        title=_words(data.get("title")),
        text=TitleMatch(any=texts(data["text"], "any")) if data.get("text") else None,
    )


def _words(data: dict[str, Any] | None) -> TitleMatch | None:
    if not data:
        return None
    return TitleMatch(
        any=texts(data, "any"),
        all=texts(data, "all"),
        regex=texts(data, "regex"),
        exclude=texts(data, "exclude"),
    )


def element(data: dict[str, Any]) -> Element:
    return Element(name=data["name"], match=match(data.get("match")), any=texts(data, "any"))


def month_day(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    month, day = text.split("-")
    return int(month), int(day)


def deadline(data: dict[str, Any] | None) -> Deadline | None:
    if data is None:
        return None
    return Deadline(
        working_days=data.get("working_days"),
        calendar_days=data.get("calendar_days"),
        annual_due=month_day(data.get("annual_due")),
        start=data.get("from", "formed"),
        replaces_general=data.get("replaces_general", False),
        text=data.get("text", ""),
        formed_from=_day(data.get("formed_from")),
        formed_before=_day(data.get("formed_before")),
    )


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def refresh(data: dict[str, Any] | None) -> Refresh | None:
    if data is None:
        return None
    return Refresh(
        reason=data["reason"],
        since=_day(data.get("since")),
        annual_due=month_day(data.get("annual_due")),
        year_offset=data.get("year_offset", 1),
        months=data.get("months"),
    )


def applies(data: dict[str, Any] | None) -> Applies:
    data = data or {}
    return Applies(
        levels=texts(data, "levels"), sectors=texts(data, "sectors"), functions=texts(data, "functions")
    )
