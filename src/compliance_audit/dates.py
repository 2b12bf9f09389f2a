"""Dates as the contract accepts them: 2021-02-01, 2021/2/1, 2021年2月1日, and date-times."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

ACCEPTED_FORMS = "2021-02-01、2021/2/1、2021年2月1日 或带时间的 2021-02-01 15:40"

_DATE = re.compile(
    r"""^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?
        (?:\s*[T\s]\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?\s*$""",
    re.VERBOSE,
)


class DateFormError(ValueError):
    """A value that is not a date in one of the accepted forms, or an impossible date."""


def parse_date(value: str) -> date:
    """Parse one date; raise DateFormError with a Chinese explanation otherwise."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass  # fall through to the general form for a precise message
    match = _DATE.match(value)
    if match is None:
        raise DateFormError(f"“{value}”不是可识别的日期")
    year, month, day = (int(group) for group in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise DateFormError(f"“{value}”不是存在的日期") from None


def to_iso(value: date | datetime) -> str:
    """ISO text of a date or of the date part of a date-time (spreadsheet cells, YAML)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat()


CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")  # no daylight saving since 1991


def today_in_china() -> date:
    """Today in Beijing: the audit day by default, and the day a waiver's expiry is judged against
    (a runner in UTC at 01:00 Beijing time is still on yesterday)."""
    return datetime.now(CHINA_STANDARD_TIME).date()
