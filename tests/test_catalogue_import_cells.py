"""catalogue import, cell by cell: element lists, bases, ■/□ channels, √ ticks, deadline sentences,
header labels and their variants."""

from __future__ import annotations

from typing import Any

import pytest

from compliance_audit.catalogue_import import catalogue_id_for
from compliance_audit.catalogue_import.cells import (
    is_same_as_above,
    levels_in_text,
    parse_channels,
    parse_deadline,
    split_basis,
    split_elements,
    tick,
)
from compliance_audit.catalogue_import.grid import SpanCell, Table, expand_spans
from compliance_audit.catalogue_import.header import find_header, level_of_label
from compliance_audit.errors import InputError


@pytest.mark.parametrize(
    ("cell", "elements"),
    [
        # ；/; first, and the 、 inside an item stays: 法治文化作品、产品 is one element
        ("辖区内法治文化阵地信息;法治文化作品、产品", ["辖区内法治文化阵地信息", "法治文化作品、产品"]),
        # 等 closes the list; it is not part of the last element's name
        ("法律法规资讯;普法动态资讯;普法讲师团信息等", ["法律法规资讯", "普法动态资讯", "普法讲师团信息"]),
        ("1.法律法规咨询; 2.普法动态咨询", ["法律法规咨询", "普法动态咨询"]),
        (
            "1.给予法律援助决定书2.不予法律援助决定书3.指派通知书",
            ["给予法律援助决定书", "不予法律援助决定书", "指派通知书"],
        ),
        ("（1）评选表彰通知（2）表彰决定", ["评选表彰通知", "表彰决定"]),
        ("①评选表彰通知②表彰决定", ["评选表彰通知", "表彰决定"]),
        ("人民调解委员会名称、地址\n人民调解员名单", ["人民调解委员会名称、地址", "人民调解员名单"]),
        # a number inside an item is not numbering: after 1. only 2. starts the next item
        (
            "1.第七个五年规划（2016-2020年）落实情况 2.年度普法计划",
            ["第七个五年规划（2016-2020年）落实情况", "年度普法计划"],
        ),
        # no other separator: 、 splits only when every part is an item of its own (≥ 4 characters) …
        ("办事指南(依据、条件、程序)、准予行政许可决定", ["办事指南(依据、条件、程序)", "准予行政许可决定"]),
        ("评选表彰通知、先进集体名单、表彰决定文件", ["评选表彰通知", "先进集体名单", "表彰决定文件"]),
        # … and not where it joins words sharing a head or a tail
        ("法治文化作品、产品", ["法治文化作品、产品"]),
        (
            "公共法律服务实体、热线、网络平台法律咨询服务指南",
            ["公共法律服务实体、热线、网络平台法律咨询服务指南"],
        ),
        ("行政处罚决定或行政处罚决定书", ["行政处罚决定或行政处罚决定书"]),
        ("", []),
    ],
)
def test_elements_split_as_a_reader_would(cell: str, elements: list[str]) -> None:
    assert split_elements(cell) == elements


@pytest.mark.parametrize(
    ("cell", "basis"),
    [
        (
            "《中共中央、国务院转发<中央宣传部、司法部关于……(2016-2020年)>》、各省“七五”普法规划",
            ["《中共中央、国务院转发<中央宣传部、司法部关于……(2016-2020年)>》", "各省“七五”普法规划"],
        ),
        ("《关于……规划》 浙江省“七五”普法规划", ["《关于……规划》", "浙江省“七五”普法规划"]),
        (
            "《中华人民共和国法律援助法》《法律援助条例》",
            ["《中华人民共和国法律援助法》", "《法律援助条例》"],
        ),
        ("《中华人民共和国人民调解法》第六条", ["《中华人民共和国人民调解法》第六条"]),
        ("1.《律师法》；2.《公证法》", ["《律师法》", "《公证法》"]),
        ("《关于印发《甲办法》《乙办法》的通知》", ["《关于印发《甲办法》《乙办法》的通知》"]),
    ],
)
def test_basis_splits_per_citation(cell: str, basis: list[str]) -> None:
    assert split_basis(cell) == basis


def test_channels_are_the_checked_items_and_the_note_is_set_apart() -> None:
    channels, note = parse_channels(
        "■政府网站■两微一端□广播电视■入户/现场注:有关公开信息可推送至本省级法律服务网。"
    )
    assert channels == ["政府网站", "两微一端", "入户/现场"]
    assert note == "有关公开信息可推送至本省级法律服务网。"


def test_channels_without_check_boxes_are_listed_items() -> None:
    assert parse_channels("县政府门户网站、政务新媒体") == (["县政府门户网站", "政务新媒体"], "")
    assert parse_channels("□政府网站 □两微一端") == ([], "")


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        (
            "自制作或获取该信息之日起20个工作日内公开",
            {"working_days": 20, "from": "formed_or_obtained"},
        ),
        ("7个工作日内", {"working_days": 7, "from": "formed"}),
        ("自信息形成之日起二十个工作日内", {"working_days": 20, "from": "formed"}),
        ("自作出行政处罚决定之日起7个工作日内", {"working_days": 7, "from": "decision"}),
        ("批准后十五日内", {"calendar_days": 15, "from": "approval"}),
        ("每年3月31日前", {"annual_due": "03-31"}),
        ("实时", {"working_days": None}),
        ("长期", {"working_days": None}),
        ("常态化公开", {"working_days": None}),
        ("信息形成后及时公开", {"working_days": None}),
    ],
)
def test_deadline_sentences(text: str, deadline: dict[str, Any]) -> None:
    assert parse_deadline(text) == {**deadline, "text": text}


def test_a_deadline_that_sets_nothing_readable_is_not_guessed() -> None:
    assert parse_deadline("按上级要求") is None
    assert parse_deadline("2020年1月15日前") is None


@pytest.mark.parametrize(
    ("text", "ticked"), [("√", True), (" ✓ ", True), ("", False), ("×", False), ("○", None)]
)
def test_ticks(text: str, ticked: bool | None) -> None:
    assert tick(text) is ticked


@pytest.mark.parametrize(
    ("label", "level"),
    [
        ("县级", "county"),
        ("东阳市级", "county"),
        ("县（市、区）级", "county"),
        ("乡、村级", "township"),
        ("乡级", "township"),
        ("乡镇级", "township"),
        ("镇街乡", "township"),
        ("村", "township"),
        ("省级", "province"),
        ("公开层级", None),
        ("一级事项", None),
    ],
)
def test_level_labels(label: str, level: str | None) -> None:
    assert level_of_label(label) == level


def test_levels_named_in_a_text_cell() -> None:
    assert levels_in_text("县级、乡级") == ["county", "township"]
    assert levels_in_text("县、乡、村") == ["county", "township"]
    assert levels_in_text("县级、有关部门") is None


def test_same_as_above() -> None:
    assert is_same_as_above(" 同 上。")
    assert not is_same_as_above("同上；另见《公证法》")


def _table(*rows: str) -> Table:
    """A grid from rows written as "cell|cell|…"."""
    return Table(tuple(tuple(row.split("|")) for row in rows), "表格")


def test_header_variants_and_the_mislabelled_level_group() -> None:
    table = _table(
        "序号|公开事项|公开事项|公开内容（要素）|公开对象|公开对象|公开方式|公开方式|公开方式|公开方式|五公开",
        "序号|一级事项|二级事项|公开内容（要素）|全社会|特定群体|主动公开|依申请|县级|乡镇级|五公开",
    )
    header = find_header(table)
    assert header is not None and (header.first_row, header.last_row) == (0, 1)
    read = [(column.field, column.value) for column in header.columns]
    assert read == [
        ("seq", None),
        ("level1", None),
        ("level2", None),
        ("elements", None),
        ("audience", "全社会"),
        ("audience", "特定群众"),
        ("mode", "主动"),
        ("mode", "依申请"),
        ("levels", "county"),
        ("levels", "township"),
        ("extra", None),
    ]
    assert header.columns[-1].label == "五公开"


def test_one_row_header_with_text_columns() -> None:
    table = _table("附件1|||", "一级事项|二级事项|公开内容|公开方式", "法律援助|法律援助服务|指派通知书|主动")
    header = find_header(table)
    assert header is not None and (header.first_row, header.last_row) == (1, 1)
    assert header.columns[3].field == "mode" and header.columns[3].value is None


def test_no_header_without_both_items_and_contents() -> None:
    assert find_header(_table("序号|公开事项|公开依据", "1|法律援助|《法律援助条例》")) is None


def test_spans_are_copied_over_every_position_they_cover() -> None:
    rows = [
        [SpanCell("序号", rowspan=2), SpanCell("公开事项", colspan=2)],
        [SpanCell("一级事项"), SpanCell("二级事项")],
        [SpanCell("1", rowspan=9), SpanCell("法律援助"), SpanCell("法律援助服务")],
    ]
    assert expand_spans(rows, "表格") == [
        ["序号", "公开事项", "公开事项"],
        ["序号", "一级事项", "二级事项"],
        ["1", "法律援助", "法律援助服务"],
    ]


@pytest.mark.parametrize(
    ("name", "catalogue_id"),
    [
        ("dongyang-plsd", "dongyang-plsd"),
        ("Dongyang PLSD 2020", "dongyang-plsd-2020"),
        ("2020东阳", "catalogue-2020-dongyang"),
        ("东阳市公共法律服务目录", "dongyangshi-gonggongfalvfuwu-mulu"),
        (
            "秦州区司法局公共法律服务领域基层政务公开标准目录",
            "qinzhou-qu-sifaju-gonggongfalvfuwu-lingyu-jiceng",
        ),
    ],
)
def test_catalogue_id_from_the_table_name_never_imported(name: str, catalogue_id: str) -> None:
    assert catalogue_id_for(name) == catalogue_id


def test_a_name_without_letters_digits_or_chinese_needs_an_id() -> None:
    with pytest.raises(InputError, match="用 --id 指定"):
        catalogue_id_for("（）")
