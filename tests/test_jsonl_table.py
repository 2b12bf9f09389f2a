"""The column-wise JSONL reader gives exactly the table the per-record path gives, or declines
the file: for realistic inventories, for every kind of line it must decline, and for generated
lines of every JSON type."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Mapping
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from compliance_audit.errors import InputError
from compliance_audit.inventory import load_inventory, to_item
from compliance_audit.inventory.jsonl_table import read_jsonl_table
from compliance_audit.inventory.model import Item
from compliance_audit.inventory.readers import read_jsonl
from compliance_audit.inventory.table import SCHEMA, ItemTable
from tests.helpers import REPO

HEADER = json.dumps({"bureau": {"name": "天水市秦州区司法局", "level": "county"}}, ensure_ascii=False)
DECISION = {
    "index_no": "11620502MB1234567X/2021-00012",
    "title": "秦州区司法局关于对某律师事务所的行政处罚决定书",
    "topic": "行政执法",
    "publisher": "天水市秦州区司法局",
    "formed": "2021-02-01",
    "published": "2021年3月4日",
    "column": "行政执法",
    "doc_no": "秦司罚决字〔2021〕1号",
    "validity": "现行有效",
    "url": "http://www.qinzhou.gov.cn/xxgk/202103/t20210304_1.html",
    "summary": "对某律师事务所违反《律师法》第五十条的行为予以警告。",
    "body": "当事人：某律师事务所\n地址：天水市秦州区民主西路\n处罚决定：警告。",
    "tags": ["ogi-20-penalty"],
}
REPORT = {
    "title": " 秦州区司法局2020年度政府信息公开工作年度报告 ",
    "published": "2021-01-29",
    "formed": "2021/1/25",
    "column": "政府信息公开年报",
    "validity": "",
}


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def _per_record(path: Path) -> pl.DataFrame:
    return ItemTable.of([to_item(record, path) for record in read_jsonl(path).records]).frame


def _line(record: Mapping[str, object]) -> str:
    return json.dumps(record, ensure_ascii=False)


def test_a_realistic_inventory_is_read_as_the_per_record_path_reads_it(tmp_path: Path) -> None:
    path = _write(tmp_path / "清单.jsonl", [_line(DECISION), _line(REPORT)] * 3)
    table = read_jsonl_table(path)
    assert table is not None
    assert_frame_equal(table, _per_record(path))
    assert table["row"].to_list() == [2, 3, 4, 5, 6, 7]
    assert table["validity"].to_list()[:2] == ["有效", ""]
    assert table["title"][1] == "秦州区司法局2020年度政府信息公开工作年度报告"


def test_an_audit_of_a_declined_file_is_the_per_record_audit(tmp_path: Path) -> None:
    """A file the column reader declines is still audited (per record), with the same items."""
    lines = [_line(DECISION), _line({**REPORT, "doc_no": 2021.5})]
    path = _write(tmp_path / "清单.jsonl", lines)
    assert read_jsonl_table(path) is None
    inventory = load_inventory(path)
    assert [item.doc_no for item in inventory.items] == ["秦司罚决字〔2021〕1号", "2021.5"]


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(_line({**REPORT, "doc_no": True}), id="a boolean"),
        pytest.param(_line({**REPORT, "doc_no": 1e-7}), id="a float written with an exponent"),
        pytest.param(_line({**REPORT, "doc_no": 12345678901234567890}), id="an integer too long to be exact"),
        pytest.param(_line({**REPORT, "index_no": -0.0}), id="minus zero (polars writes -0, Python 0)"),
        pytest.param(_line({**REPORT, "doc_no": {"年": 2021}}), id="an object"),
        pytest.param(_line({**REPORT, "doc_no": None}), id="a null"),
        pytest.param('{"title": "甲", "title": "乙", "published": "2021-01-29"}', id="a key given twice"),
        pytest.param(_line({**REPORT, "编号": "1"}), id="an unknown key"),
        pytest.param('{"title": "秦州区\\ud800司法局", "published": "2021-01-29"}', id="a lone surrogate"),
        pytest.param(_line({**REPORT, "title": "秦州区司法局\x1c"}), id="a character only Python strips"),
        pytest.param(_line({**REPORT, "title": "   "}), id="an empty title"),
        pytest.param(_line({**REPORT, "published": "2021-02-30"}), id="an impossible date"),
        pytest.param(_line({**REPORT, "validity": "待定"}), id="an unknown validity"),
        pytest.param(_line({**REPORT, "index_no": "1" * 201}), id="a value over its length"),
        pytest.param(_line({**REPORT, "tags": [1]}), id="a tag that is a number"),
        pytest.param(_line({**REPORT, "tags": "ogi-20-penalty"}), id="tags as text"),
        pytest.param(_line({**REPORT, "tags": [""]}), id="an empty tag"),
        pytest.param(_line(REPORT) + "\n", id="a blank line"),
        pytest.param(_line(REPORT)[:-1], id="a broken line"),
        pytest.param('["秦州区司法局"]', id="a line that is no object"),
        pytest.param('{"title": "秦州区司法局", "published": "2021-01-29"} {}', id="two values on a line"),
    ],
)
def test_lines_the_per_record_path_must_read_are_declined(tmp_path: Path, line: str) -> None:
    path = _write(tmp_path / "清单.jsonl", [_line(DECISION), line, _line(REPORT)])
    assert read_jsonl_table(path) is None


def test_bad_bytes_are_declined_and_named_by_the_per_record_path(tmp_path: Path) -> None:
    path = tmp_path / "清单.jsonl"
    path.write_bytes((HEADER + "\n" + _line(REPORT) + "\n").encode() + b'{"title": "\xff"}\n')
    assert read_jsonl_table(path) is None
    with pytest.raises(InputError, match="第 3 行"):
        load_inventory(path)


_TEXT = st.one_of(
    st.sampled_from(
        ["秦州区司法局", "2021-01-29", "20210129", "有效", "已废止", "1.5", "true", "[通知]", " 公告 "]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
)
_VALUE = st.one_of(
    _TEXT,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(_TEXT, max_size=2),
)
_FIELDS = st.sampled_from(
    ["title", "published", "formed", "valid_until", "validity", "doc_no", "tags", "备注"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.dictionaries(_FIELDS, _VALUE, max_size=5), min_size=1, max_size=4))
def test_generated_lines_are_read_as_the_per_record_path_reads_them_or_declined(
    tmp_path: Path, records: list[dict[str, object]]
) -> None:
    lines = [
        _line({"title": "秦州区司法局领导信息", "published": "2021-01-29", **record}) for record in records
    ]
    path = _write(tmp_path / "清单.jsonl", lines)
    table = read_jsonl_table(path)
    try:
        expected = _per_record(path)
    except InputError:
        assert table is None
        return
    if table is not None:
        assert_frame_equal(table, expected)


def test_the_benchmark_inventory_is_read_column_wise(tmp_path: Path) -> None:
    """The generated inventory the benchmarks and the reference results use takes the column
    reader (a decline would make them measure and check the per-record path instead)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic import generate

    path = tmp_path / "inventory.jsonl"
    generate(path, 2_000)
    table = read_jsonl_table(path)
    assert table is not None and table.height == 2_000
    assert_frame_equal(table, _per_record(path))


def test_the_table_columns_are_the_item_fields_in_order() -> None:
    """Rows become Items by position (the cheap way for the many items a report names)."""
    assert list(SCHEMA) == [field.name for field in dataclasses.fields(Item)]
