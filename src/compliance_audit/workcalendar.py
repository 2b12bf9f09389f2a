"""Chinese statutory working days.

"Within N working days" (条例第二十六条 and the catalogues) counts from the day after the start date
and counts only working days: weekends and public holidays are skipped and the official make-up
working days (调休上班日) count. The bundled calendar is chinesecalendar's record of the State
Council's annual holiday notices; years it does not know fall back to weekends-only, which the
report states, and `--calendar FILE` supplies the official dates for such years.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import chinese_calendar

from compliance_audit.dates import DateFormError, parse_date
from compliance_audit.errors import InputError
from compliance_audit.schemas import validate_document
from compliance_audit.yamlsafe import load_yaml_file

if TYPE_CHECKING:
    import polars as pl

_ONE_DAY = timedelta(days=1)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # a polars Date counts days from 1970-01-01


@dataclass(frozen=True)
class YearDays:
    """The exceptions to Monday-to-Friday for one year."""

    holidays: frozenset[date]
    workdays: frozenset[date]  # 调休上班日: weekend days that are working days


@dataclass(eq=False)
class WorkCalendar:
    years: dict[int, YearDays]
    sources: list[str]
    fallback_years: set[int] = field(default_factory=set)
    _due: dict[tuple[date, int], date] = field(default_factory=dict, repr=False)

    @classmethod
    def bundled(cls) -> WorkCalendar:
        holidays: dict[int, set[date]] = {}
        workdays: dict[int, set[date]] = {}
        for day in chinese_calendar.constants.holidays:
            holidays.setdefault(day.year, set()).add(day)
        for day in chinese_calendar.constants.workdays:
            workdays.setdefault(day.year, set()).add(day)
        years = {
            year: YearDays(frozenset(holidays.get(year, ())), frozenset(workdays.get(year, ())))
            for year in range(min(holidays), max(holidays) + 1)
        }
        return cls(years=years, sources=[f"chinesecalendar {version('chinesecalendar')}"])

    def with_file(self, path: Path) -> WorkCalendar:
        """This calendar with the years given in a --calendar file added (or replaced)."""
        data = load_yaml_file(path)  # `2027:` is the key "2027": keys are text, as the schema says
        validate_document(data, "calendar", path)
        years = dict(self.years)
        for year_text, days in data["years"].items():
            year = int(year_text)
            holidays = _dates(days.get("holidays", []), path, f"years.{year_text}.holidays")
            workdays = _dates(days.get("workdays", []), path, f"years.{year_text}.workdays")
            for day in (*holidays, *workdays):
                if day.year != year:
                    raise InputError(
                        f"{day.isoformat()} 不属于 {year} 年", file=path, field=f"years.{year_text}"
                    )
            years[year] = YearDays(frozenset(holidays), frozenset(workdays))
        return WorkCalendar(years=years, sources=[*self.sources, path.name])

    @property
    def covers(self) -> tuple[int, int]:
        return min(self.years), max(self.years)

    def knows(self, year: int) -> bool:
        return year in self.years

    def is_workday(self, day: date) -> bool:
        known = self.years.get(day.year)
        if known is None:
            self.fallback_years.add(day.year)
            return day.weekday() < 5
        if day in known.workdays:
            return True
        if day in known.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: date, count: int) -> date:
        """The day on which the count-th working day after start falls."""
        key = (start, count)
        due = self._due.get(key)
        if due is None:
            due = start
            remaining = count
            while remaining > 0:
                due += _ONE_DAY
                if self.is_workday(due):
                    remaining -= 1
            self._due[key] = due
        return due

    def end_of_period(self, start: date, days: int) -> date:
        """The last day of a period of `days` days (not working days) starting after `start`, as
        民法典 counts it: the start day is not counted (第二百零一条), and a last day that falls on
        a statutory rest day moves to the day after the rest ends (第二百零三条)."""
        end = start + timedelta(days=days)
        while not self.is_workday(end):
            end += _ONE_DAY
        return end

    def add_working_days_column(self, starts: pl.Series, count: int) -> pl.Series:
        """add_working_days of each start (null stays null), as a column."""
        import polars as pl

        known = starts.drop_nulls()
        if known.is_empty():
            return pl.Series(starts.name, [None] * starts.len(), dtype=pl.Date)
        # count working days never span more than twice as many days, plus the longest holiday
        workdays = self._working_days_covering(known, 2 * count + 30)
        due = workdays.gather(
            workdays.search_sorted(starts.fill_null(workdays[0]), side="right") + (count - 1)
        )
        self._note_fallback_between(starts + timedelta(days=1), due)
        return pl.select(pl.when(starts.is_null()).then(None).otherwise(due)).to_series().alias(starts.name)

    def end_of_period_column(self, starts: pl.Series, days: int) -> pl.Series:
        """end_of_period of each start (null stays null), as a column."""
        import polars as pl

        ends = starts + timedelta(days=days)
        known = ends.drop_nulls()
        if known.is_empty():
            return pl.Series(starts.name, [None] * starts.len(), dtype=pl.Date)
        # the longest run of rest days is well under a month
        workdays = self._working_days_covering(known, 31)
        due = workdays.gather(workdays.search_sorted(ends.fill_null(workdays[0]), side="left"))
        self._note_fallback_between(ends, due)
        return pl.select(pl.when(starts.is_null()).then(None).otherwise(due)).to_series().alias(starts.name)

    def _working_days_covering(self, days: pl.Series, beyond: int) -> pl.Series:
        """Every working day from the first of days to `beyond` days after the last, in order
        (is_workday of each day, per column)."""
        import polars as pl

        first, last = days.min(), days.max()
        assert isinstance(first, date) and isinstance(last, date)
        days = pl.date_range(first, last + timedelta(days=beyond), eager=True)
        holidays = [day for known in self.years.values() for day in known.holidays]
        makeup = [day for known in self.years.values() for day in known.workdays]
        working = days.is_in(pl.Series(makeup, dtype=pl.Date).implode()) | (
            ~days.is_in(pl.Series(holidays, dtype=pl.Date).implode()) & (days.dt.weekday() <= 5)
        )
        return days.filter(working)

    def _note_fallback_between(self, firsts: pl.Series, lasts: pl.Series) -> None:
        """_note_fallback for the years of each (first, last) pair of days: those is_workday looked at."""
        import polars as pl

        spans = pl.DataFrame({"first": firsts.dt.year(), "last": lasts.dt.year()}).drop_nulls().unique()
        for first, last in spans.iter_rows():
            self._note_fallback(first, last)

    def working_days_after(self, start: date, end: date) -> int:
        """How many working days lie in (start, end]."""
        if end <= start:
            return 0
        self._note_fallback((start + _ONE_DAY).year, end.year)
        days, levels = self._departures

        def number(day: date) -> int:
            return _weekdays_to(day) + levels[bisect_right(days, day)]

        return number(end) - number(start)

    def working_days_between(self, starts: pl.Series, ends: pl.Series) -> pl.Series:
        """working_days_after of each (start, end) pair, as a column."""
        import polars as pl

        days, levels = self._departures
        departures = pl.Series(days, dtype=pl.Date)
        running = pl.Series(levels, dtype=pl.Int64)

        def number(column: pl.Series) -> pl.Series:
            ordinal = column.cast(pl.Int64) + _EPOCH_ORDINAL
            weekdays = (ordinal // 7) * 5 + (ordinal % 7).clip(upper_bound=5)
            return weekdays + running.gather(departures.search_sorted(column, side="right"))

        pairs = pl.DataFrame({"start": starts, "end": ends}).filter(pl.col("end") > pl.col("start"))
        spans = pairs.select(
            first=(pl.col("start") + timedelta(days=1)).dt.year(), last=pl.col("end").dt.year()
        ).unique()
        for first, last in spans.iter_rows():
            self._note_fallback(first, last)
        counted = number(ends) - number(starts)
        return pl.select(pl.when(ends > starts).then(counted).otherwise(0)).to_series().alias("working_days")

    def _note_fallback(self, first: int, last: int) -> None:
        """Record the years in [first, last] the calendar does not know (counted weekends-only)."""
        self.fallback_years.update(year for year in range(first, last + 1) if year not in self.years)

    @cached_property
    def _departures(self) -> tuple[list[date], list[int]]:
        """The days on which the count of working days departs from Monday-to-Friday (a holiday on a
        weekday, a make-up working day on a weekend), in order, and the running total of those
        departures before each: levels[bisect_right(days, d)] is the total through d. A working day's
        number is then its Monday-to-Friday number plus that total, so the working days in
        (start, end] are one subtraction, however many years apart the two days are."""
        departures = sorted(
            [
                (day, -1)
                for known in self.years.values()
                for day in known.holidays
                if day.weekday() < 5 and day not in known.workdays
            ]
            + [(day, 1) for known in self.years.values() for day in known.workdays if day.weekday() >= 5]
        )
        levels = [0]
        for _, step in departures:
            levels.append(levels[-1] + step)
        return [day for day, _ in departures], levels


def _weekdays_to(day: date) -> int:
    """How many Mondays to Fridays lie in [0001-01-01, day] (0001-01-01 was a Monday)."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _dates(values: Iterable[Any], path: Path, where: str) -> list[date]:
    result = []
    for value in values:
        try:
            result.append(parse_date(str(value)))
        except DateFormError as error:
            raise InputError(str(error), file=path, field=where, expected="YYYY-MM-DD") from None
    return result
