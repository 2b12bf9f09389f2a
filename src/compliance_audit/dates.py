"""Dates as the contract accepts them: 2021-02-01, 2021/2/1, 2021年2月1日, and date-times.

A date that is judged (formed, published, the audit day, a calendar's holidays) must lie where
deadlines can be counted from it: 1900-01-01 to 2199-12-31. An end date (有效期至, a waiver's
until) may be as late as the calendar goes, because 9999-12-31 is how many CMSs write "no end".
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

ACCEPTED_FORMS = "2021-02-01、2021/2/1、2021年2月1日 或带时间的 2021-02-01 15:40"
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)

_DATE = re.compile(
    r"""^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?
        (?:\s*[T\s]\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?\s*$""",
    re.VERBOSE,
)


class DateFormError(ValueError):
    """A value that is not a date in one of the accepted forms, or an impossible date."""


def parse_date(value: str, *, end_date: bool = False) -> date:
    """Parse one date; raise DateFormError with a Chinese explanation otherwise. An end_date
    (有效期至, until) may lie after LATEST."""
    day = _parse(value)
    if day < EARLIEST or (day > LATEST and not end_date):
        raise DateFormError(
            f"“{value}”超出可判断的日期范围（{EARLIEST.isoformat()} 至 {LATEST.isoformat()}）"
        )
    return day


def _parse(value: str) -> date:
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass  # fall through to the general form for a precise message
    match = _DATE.match(value)
    if match is None:
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise DateFormError(f"“{shown}”不是可识别的日期")
    year, month, day = (int(group) for group in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise DateFormError(f"“{value}”不是存在的日期") from None


CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")  # no daylight saving since 1991


def today_in_china() -> date:
    """Today in Beijing: the audit day by default, and the day a waiver's expiry is judged against
    (a runner in UTC at 01:00 Beijing time is still on yesterday)."""
    return datetime.now(CHINA_STANDARD_TIME).date()
