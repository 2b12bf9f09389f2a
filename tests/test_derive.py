"""Matching for rows of a county's own table: inherited from the known row they are, or derived
by segmentation that keeps words whole (matching/derive.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compliance_audit.catalogue_import import import_table
from compliance_audit.matching.derive import (
    derived_element_match,
    domain_words,
    event_of,
    name_key,
    phrases,
    subject_keywords,
)
from compliance_audit.ruleset.catalogue import CatalogueLibrary, load_catalogue
from compliance_audit.textnorm import normalise

FIXTURES = Path(__file__).parent / "fixtures" / "catalogue_import"


@pytest.mark.parametrize(
    ("name", "keywords"),
    [
        ("所需材料", ["所需材料"]),  # never 所需
        ("办理所需材料", ["办理所需材料"]),
        ("辖区内法治文化阵地信息", ["法治文化阵地"]),
        ("法治文化作品、产品", ["法治文化作品", "法治文化产品"]),
        ("普法讲师团信息等", ["普法讲师团"]),
        ("给予法律援助决定书", ["给予法律援助决定书"]),  # 给予 and 不予 tell the two documents apart
        ("不予法律援助决定书", ["不予法律援助决定书"]),
        ("先进集体和个人申报表（空白表）", ["先进集体和个人申报表"]),
        ("办事指南(依据、条件、程序)、准予行政许可决定", ["办事指南", "准予行政许可决定"]),
        ("1.依据、条件、程序", ["依据", "条件", "程序"]),
    ],
)
def test_element_phrases_keep_words_whole(name: str, keywords: list[str]) -> None:
    assert phrases(name) == keywords


@pytest.mark.parametrize(
    ("level1", "level2", "subject"),
    [
        ("法律援助", "法律援助服务", ["法律援助"]),
        ("法治宣传教育", "对在法治宣传教育工作中做出显著成绩的单位和个人进行表彰奖励", ["法治宣传教育"]),
        ("行政许可", "基层法律服务工作者执业、变更、注销许可", ["基层法律服务工作者"]),
        ("行政处罚", "对司法鉴定机构、司法鉴定人违法违规行为的处罚", ["司法鉴定机构", "司法鉴定人"]),
        ("人民陪审员", "人民陪审员选任", ["人民陪审员"]),
    ],
)
def test_subject_of_a_row_without_what_is_done_about_it(level1: str, level2: str, subject: list[str]) -> None:
    assert subject_keywords(level1, level2, None) == subject


def test_events_by_wording() -> None:
    assert event_of("法治宣传教育", "法治宣传教育表彰奖励", None).kind == "award"  # type: ignore[union-attr]
    assert event_of("行政处罚", "对律师事务所、律师违法违规行为的处罚", None).kind == "penalty"  # type: ignore[union-attr]
    assert event_of("行政处罚", "对违反国家统一法律职业资格考试规定的处理", None).kind == "decision"  # type: ignore[union-attr]
    assert event_of("行政许可", "基层法律服务工作者执业、变更、注销许可", None) is None
    assert event_of("法律援助", "法律援助服务", None) is None


def test_names_compare_across_versions() -> None:
    assert name_key("对在法治宣传教育工作中做出显著成绩的单位和个人进行表彰奖励") == name_key(
        "对在法治宣传教育工作中作出显著成绩的单位和个人进行表彰奖励"
    )
    assert name_key("先进集体和个人申报表(空白表)") == name_key("先进集体和个人申报表（空白表）")
    assert name_key("普法讲师团信息等") == name_key("普法讲师团信息")


# Element of a row with no known counterpart, a title, and whether the title is that element.
# These pairs were also used to choose segmentation over rules of our own (see the issue 8 note).
PAIRS = [
    ("法律援助", "法律援助事项办理", "所需材料", "示例县法律援助申请指南", True),
    ("法律援助", "法律援助事项办理", "所需材料", "法律援助申请所需材料清单", True),
    ("法律援助", "法律援助事项办理", "所需材料", "律师事务所设立所需材料", False),
    ("法律援助", "法律援助事项办理", "申请条件", "法律援助申请条件和经济困难标准", True),
    ("法律援助", "法律援助事项办理", "申请条件", "公证员执业申请条件", False),
    ("法律援助", "法律援助事项办理", "办理流程", "基层法律服务工作者执业核准办理流程", False),
    ("法律援助", "法律援助服务", "指派通知书", "示例县法律援助中心指派通知书（示法援指〔2021〕3号）", True),
    (
        "法律援助",
        "法律援助服务",
        "给予法律援助决定书",
        "示例县不予法律援助决定书（示法援不〔2021〕1号）",
        False,
    ),
    ("人民调解", "人民调解组织信息", "人民调解委员会名称、地址、联系方式", "示例县人民调解委员会名录", True),
    (
        "人民调解",
        "人民调解组织信息",
        "人民调解委员会名称、地址、联系方式",
        "关于表彰2020年度全县先进人民调解委员会和先进人民调解员的决定",
        False,
    ),
    ("人民调解", "人民调解组织信息", "人民调解员名单", "示例县人民调解员培训班开班", False),
    (
        "人民调解",
        "对有突出贡献的人民调解委员会和人民调解员按照国家规定给予表彰奖励",
        "表彰决定",
        "关于表彰2020年度全县先进人民调解委员会和先进人民调解员的决定",
        True,
    ),
    (
        "人民调解",
        "对有突出贡献的人民调解委员会和人民调解员按照国家规定给予表彰奖励",
        "表彰决定",
        "关于表彰2016—2020年全县普法工作先进集体和先进个人的决定",
        False,
    ),
    ("公证", "公证机构信息", "公证员名单", "示例县公证处公证员名单", True),
    ("公证", "公证机构信息", "公证员名单", "示例县人民调解员名单", False),
    ("基层法律服务", "基层法律服务所信息", "基层法律服务工作者名单", "示例县基层法律服务工作者名单", True),
    ("司法鉴定", "司法鉴定机构和司法鉴定人信息", "司法鉴定人名册", "示例县司法鉴定人员名册", True),
    ("行政许可", "律师事务所设立许可", "办事指南（依据、条件、程序）", "律师事务所设立许可办事指南", True),
    ("行政许可", "律师事务所设立许可", "办事指南（依据、条件、程序）", "法律援助申请指南", False),
    ("行政许可", "律师事务所设立许可", "准予行政许可决定", "关于准予示例律师事务所设立的行政许可决定", True),
    ("行政许可", "律师事务所设立许可", "准予行政许可决定", "关于准予示例公证处变更的行政许可决定", False),
    ("人民陪审员", "人民陪审员选任", "选任公告", "关于选任示例县人民陪审员的公告", True),
    ("人民陪审员", "人民陪审员选任", "选任公告", "示例县人民监督员选任公告", False),
]


@pytest.mark.parametrize(("level1", "level2", "element", "title", "expected"), PAIRS)
def test_derived_element_keywords_on_real_titles(
    level1: str, level2: str, element: str, title: str, expected: bool
) -> None:
    derived = derived_element_match(
        element, domain_words(level1, level2, None), event_of(level1, level2, None)
    )
    match = derived.match.title
    assert match is not None
    normalised = normalise(title)
    found = (
        not any(normalise(word) in normalised for word in match.exclude)
        and any(normalise(word) in normalised for word in match.any)
        and all(re.search(pattern, normalised) for pattern in match.regex)
    )
    assert found is expected, derived.why


def test_imported_rows_that_are_known_rows_inherit_their_matching(tmp_path: Path) -> None:
    table = FIXTURES / "county.html"
    result = import_table(table, catalogue_id="county")
    written = tmp_path / "county.yaml"
    written.write_text(result.text, encoding="utf-8")
    catalogue = load_catalogue(str(written), CatalogueLibrary.bundled())
    rows = {row.id: row for row in catalogue.rows}
    national = {row.id: row for row in CatalogueLibrary.bundled().resolve("moj-plsd-2019").rows}
    # 作出 for 做出, 等 after the last element: still N1, N3
    assert rows["1"].counterpart == "moj-plsd-2019:N1" and rows["3"].counterpart == "moj-plsd-2019:N3"
    assert [e.match for e in rows["1"].elements] == [e.match for e in national["N1"].elements]
    assert rows["3"].event == national["N3"].event and rows["3"].event is not None
    assert rows["6"].counterpart == "moj-plsd-2019:N6" and rows["6"].match == national["N6"].match
    # 东莞东城's row (a local version's added row) is known too
    assert rows["11"].counterpart == "moj-plsd-2019-gd-dongguan:P1"
    # rows no version has: derived, and they say so
    for row_id in ("7", "8", "9", "10", "12"):
        assert rows[row_id].counterpart is None
        assert rows[row_id].match_origin.startswith("没有对应的已知事项")
        assert all(element.origin.startswith("要素分词") for element in rows[row_id].elements)
