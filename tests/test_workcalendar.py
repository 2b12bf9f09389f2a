"""The working-day rule of the contract: count from the day after, skip weekends and statutory
holidays, count the make-up working days (调休上班日)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance_audit.errors import InputError
from compliance_audit.workcalendar import WorkCalendar


def test_spring_festival_2021_twentieth_working_day() -> None:
    calendar = WorkCalendar.bundled()
    # 2021-02-11…17 were the Spring Festival holiday; Sunday 02-07 and Saturday 02-20 were working days.
    due = calendar.add_working_days(date(2021, 2, 1), 20)
    assert due == date(2021, 3, 4)
    assert calendar.working_days_after(date(2021, 2, 1), date(2021, 3, 4)) == 20
    assert calendar.working_days_after(date(2021, 2, 1), date(2021, 3, 5)) == 21
    assert calendar.fallback_years == set()


def test_make_up_working_days_count_and_holidays_do_not() -> None:
    calendar = WorkCalendar.bundled()
    assert calendar.is_workday(date(2021, 2, 7))  # Sunday, 调休上班
    assert not calendar.is_workday(date(2021, 2, 12))  # Friday, 春节
    assert not calendar.is_workday(date(2021, 2, 13))  # ordinary Saturday


def test_unknown_year_falls_back_to_weekends_and_says_so() -> None:
    calendar = WorkCalendar.bundled()
    last_known = calendar.covers[1]
    day = date(last_known + 1, 1, 1)
    assert calendar.is_workday(day) == (day.weekday() < 5)
    assert calendar.fallback_years == {last_known + 1}


def test_calendar_file_supplies_an_unknown_year(tmp_path: Path) -> None:
    year = WorkCalendar.bundled().covers[1] + 1
    extra = tmp_path / "holidays.yaml"
    extra.write_text(
        f"source: 国务院办公厅关于{year}年部分节假日安排的通知\n"
        f"years:\n  {year}:\n    holidays: [{year}-01-01]\n    workdays: []\n",
        encoding="utf-8",
    )
    calendar = WorkCalendar.bundled().with_file(extra)
    assert not calendar.is_workday(date(year, 1, 1))
    assert calendar.covers[1] == year
    assert calendar.fallback_years == set()
    assert calendar.sources[-1] == "holidays.yaml"


def test_calendar_file_with_a_date_of_another_year_is_refused(tmp_path: Path) -> None:
    extra = tmp_path / "holidays.yaml"
    extra.write_text("years:\n  2027:\n    holidays: [2026-12-31]\n", encoding="utf-8")
    with pytest.raises(InputError, match="不属于 2027 年"):
        WorkCalendar.bundled().with_file(extra)


_BUNDLED = WorkCalendar.bundled()


@settings(max_examples=200, deadline=None)
@given(start=st.dates(date(1990, 1, 1), date(2060, 12, 31)), days=st.integers(-5, 900))
def test_counting_working_days_agrees_with_walking_them(start: date, days: int) -> None:
    end = start + timedelta(days=days)
    walking = WorkCalendar(years=_BUNDLED.years, sources=_BUNDLED.sources)
    walked = sum(1 for offset in range(1, days + 1) if walking.is_workday(start + timedelta(days=offset)))
    counting = WorkCalendar(years=_BUNDLED.years, sources=_BUNDLED.sources)
    assert counting.working_days_after(start, end) == walked
    assert counting.fallback_years == walking.fallback_years


_STARTS = st.lists(st.none() | st.dates(date(1995, 1, 1), date(2060, 12, 31)), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(
    starts=_STARTS, ends=st.lists(st.dates(date(1995, 1, 1), date(2060, 12, 31)), min_size=30, max_size=30)
)
def test_working_days_per_column_agree_with_counting_one_pair(
    starts: list[date | None], ends: list[date]
) -> None:
    pairs = [(start, end) for start, end in zip(starts, ends, strict=False) if start is not None]
    column = WorkCalendar(years=_BUNDLED.years, sources=_BUNDLED.sources)
    counted = column.working_days_between(
        pl.Series([start for start, _ in pairs], dtype=pl.Date),
        pl.Series([end for _, end in pairs], dtype=pl.Date),
    )
    one_by_one = WorkCalendar(years=_BUNDLED.years, sources=_BUNDLED.sources)
    assert counted.to_list() == [one_by_one.working_days_after(start, end) for start, end in pairs]
    assert column.fallback_years == one_by_one.fallback_years


@settings(max_examples=150, deadline=None)
@given(starts=_STARTS, amount=st.integers(0, 60))
def test_deadlines_per_column_agree_with_walking_the_days(starts: list[date | None], amount: int) -> None:
    column = WorkCalendar(years=_BUNDLED.years, sources=_BUNDLED.sources)
    walking = WorkCalendar(years=_BUNDLED.years, sources=_BUNDLED.sources)
    given_starts = pl.Series(starts, dtype=pl.Date)
    if amount:  # "within 0 working days" is no deadline any rule sets
        assert column.add_working_days_column(given_starts, amount).to_list() == [
            None if start is None else walking.add_working_days(start, amount) for start in starts
        ]
    assert column.end_of_period_column(given_starts, amount).to_list() == [
        None if start is None else walking.end_of_period(start, amount) for start in starts
    ]
    assert column.fallback_years == walking.fallback_years


def test_the_twentieth_working_day_after_spring_festival_per_column() -> None:
    # as test_spring_festival_2021_twentieth_working_day counts it, for a column with a gap
    formed = pl.Series([date(2021, 2, 1), None], dtype=pl.Date)
    assert WorkCalendar.bundled().add_working_days_column(formed, 20).to_list() == [date(2021, 3, 4), None]
