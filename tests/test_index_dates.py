"""The column test that picks which 索引号 may carry a contradicting date agrees with the
item-by-item reading it stands in for: every item index_date_contradiction accuses is picked, and
for 索引号 written in ASCII exactly those are."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance_audit.inventory.model import Item
from compliance_audit.judge.metadata import index_date_contradiction, index_dates_may_contradict

_PIECES = ["20210230", "202013", "/", "-", "_", ".", "0", "9", "GT", "11620502MB00000000", "１２", "é", "年"]
_SEPARATORS = ["/", "-", "_", ".", "", "X"]


@st.composite
def _rows(draw: st.DrawFn) -> tuple[str, date, date | None]:
    """A 索引号 that often carries a date near the item's own: the same day, month or year,
    or one a little before or after, written the ways portals write them."""
    published = draw(st.dates(min_value=date(1995, 1, 1), max_value=date(2030, 12, 31)))
    before = draw(st.none() | st.integers(-60, 800))
    formed = None if before is None else published - timedelta(days=before)
    near = published + timedelta(days=draw(st.integers(-400, 400)))
    embedded = draw(
        st.sampled_from([near.strftime("%Y%m%d"), near.strftime("%Y%m"), near.strftime("%Y"), ""])
    )
    number = "".join(
        [
            draw(st.lists(st.sampled_from(_PIECES), max_size=2).map("".join)),
            draw(st.sampled_from(_SEPARATORS)),
            embedded,
            draw(st.sampled_from(_SEPARATORS)),
            draw(st.lists(st.sampled_from(_PIECES), max_size=2).map("".join)),
        ]
    )
    return number, published, formed


@settings(max_examples=500, deadline=None)
@given(st.lists(_rows(), min_size=1, max_size=40))
def test_the_column_picks_every_item_the_reading_accuses(rows: list[tuple[str, date, date | None]]) -> None:
    items = [
        Item(
            row=line, title="关于开展法律援助工作的通知", published=published, index_no=number, formed=formed
        )
        for line, (number, published, formed) in enumerate(rows, start=2)
    ]
    frame = pl.DataFrame(
        {
            "index_no": [item.index_no for item in items],
            "published": [item.published for item in items],
            "formed": pl.Series([item.formed for item in items], dtype=pl.Date),
        }
    )
    picked = index_dates_may_contradict(frame).to_list()
    for item, may in zip(items, picked, strict=True):
        accused = index_date_contradiction(item.index_no, item) is not None
        if item.index_no.isascii():
            assert may == accused, item
        else:
            assert may, item


def test_a_realistic_index_number_is_picked_only_when_its_year_contradicts() -> None:
    frame = pl.DataFrame(
        {
            "index_no": ["11620502MB00000000/2020-00001", "11620502MB00000000/2023-00007"],
            "published": [date(2020, 7, 8), date(2021, 3, 1)],
            "formed": [date(2020, 7, 6), date(2021, 2, 26)],
        }
    )
    assert index_dates_may_contradict(frame).to_list() == [False, True]
