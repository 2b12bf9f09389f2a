"""Label normalisation (shared/reference/portal-pages.md), pairs on a line, column kinds and
breadcrumbs: the pieces the page templates rely on, one rule at a time."""

from __future__ import annotations

import pytest

from compliance_audit.harvest.columns import column_of, guess_kind, is_breadcrumb, split_breadcrumb
from compliance_audit.harvest.document import inline
from compliance_audit.harvest.html import read_html
from compliance_audit.harvest.metadata import LABELS, Block, Pair, label_only, pairs_in_lines
from compliance_audit.harvest.text import read_text
from compliance_audit.inventory.fields import HEADER_ALIASES
from compliance_audit.inventory.model import COLUMN_KINDS

# The label normalisation table of portal-pages.md, for the fields an inventory has.
PORTAL_LABELS = {
    "index_no": ("索引号", "索 引 号", "信息索引号"),
    "title": ("名称", "名  称", "文件名称", "信息名称", "标题"),
    "publisher": ("发布机构",),
    "formed": ("成文日期", "发文日期", "生成日期", "产生日期"),
    "published": ("发布日期", "发布时间", "日期"),
    "doc_no": ("文号", "文  号", "发文字号", "发布文号"),
    "topic": ("主题分类", "分类", "组配分类", "主题导航", "信息分类", "发布目录"),
    "validity": ("有效性", "有 效 性", "时效"),
    "summary": ("内容概述",),
}


@pytest.mark.parametrize(
    ("field", "label"), [(f, label) for f, labels in PORTAL_LABELS.items() for label in labels]
)
def test_every_label_variant_of_the_reference_maps_to_its_field(field: str, label: str) -> None:
    (pair,) = pairs_in_lines([f"{label}：值"])
    assert (pair.field, pair.value) == (field, "值")


def test_every_inventory_header_alias_is_a_label_for_the_same_field() -> None:
    harvested = {label.field for label in LABELS.values()}
    for alias, field in HEADER_ALIASES.items():
        if field in harvested and not alias.isascii():
            assert LABELS[alias].field == field, alias


@pytest.mark.parametrize(
    "line",
    [
        "索引号:11341722003251630P/202301-00012",
        "索引号：11341722003251630P/202301-00012",
        "索 引 号 ： 11341722003251630P/202301-00012",
        inline("索\u3000引\u3000号：11341722003251630P/202301-00012"),
        inline("索&nbsp;引号\xa0:\xa011341722003251630P/202301-00012".replace("&nbsp;", "\xa0")),
        inline("索\u200b引号﹕11341722003251630P/202301-00012"),
        "• 索引號(hào):11341722003251630P/202301-00012",
        "- 索引号: 11341722003251630P/202301-00012",
    ],
)
def test_spaces_colons_and_scripts_inside_labels(line: str) -> None:
    assert pairs_in_lines([line]) == [Pair("索引号", "11341722003251630P/202301-00012")]


def test_one_to_three_pairs_on_a_line() -> None:
    assert pairs_in_lines(
        [
            "索引号:4303000006/2024-1272031 发布机构:云湖桥镇 发布目录:信息公开年报",
            "发布机构: 县住建局(县人防办) 主题分类: 城乡建设、环境保护",
            "名称: 十二月份政府网站(政务公开)监测情况 文号:",
        ]
    ) == [
        Pair("索引号", "4303000006/2024-1272031"),
        Pair("发布机构", "云湖桥镇"),
        Pair("发布目录", "信息公开年报"),
        Pair("发布机构", "县住建局(县人防办)"),
        Pair("主题分类", "城乡建设、环境保护"),
        Pair("名称", "十二月份政府网站(政务公开)监测情况"),
        Pair("文号", ""),
    ]


def test_labels_that_are_not_fields_end_the_value_before_them() -> None:
    pairs = pairs_in_lines(
        ["来源: 国务院办公厅政府信息与政务公开办公室 发布时间:2021-09-29 累计次数: 字体:[ ]"]
    )
    assert [(pair.field, pair.value) for pair in pairs] == [
        ("publisher", "国务院办公厅政府信息与政务公开办公室"),
        ("published", "2021-09-29"),
        ("", ""),
        ("", "[ ]"),
    ]


def test_a_short_label_inside_a_phrase_is_not_a_label() -> None:
    assert pairs_in_lines(["单位名称：秦州区公共法律服务中心 会议时间：2021年3月1日"]) == []


def test_value_on_the_next_line_only_where_asked_and_only_if_it_is_not_a_label() -> None:
    lines = ["索引号:", "11341722003251630P/202301-00012", "文号:", "成文日期: 2023-01-04"]
    assert pairs_in_lines(lines, next_line_values=True) == [
        Pair("索引号", "11341722003251630P/202301-00012", next_line=True),
        Pair("文号", ""),
        Pair("成文日期", "2023-01-04"),
    ]
    assert pairs_in_lines(lines)[0] == Pair("索引号", "")


def test_label_only_cells() -> None:
    assert label_only("索引号") == "索引号"
    assert label_only("• 信息索引号:") == "信息索引号"
    assert label_only("發佈機構(gòu)：") == "发布机构"
    assert label_only("索引号：1134") is None
    assert label_only("政府信息公开") is None


def test_the_best_ranked_label_wins_and_then_the_first_seen() -> None:
    block = Block.of(
        pairs_in_lines(
            [
                "组配分类: 工作推进",
                "主题分类: 城乡建设、环境保护",
                "来源: 县住建局",
                "发布机构: 县住建局(县人防办)",
                "发布时间:2023-01-04 15:40",
                "发布日期: 2023-01-05",
                "主题分类: 手机版重复的分类",
            ]
        )
    )
    assert block.value("topic") == "城乡建设、环境保护"
    assert block.value("publisher") == "县住建局(县人防办)"
    assert block.value("published") == "2023-01-05"
    assert block.body_date == Pair("发布时间", "2023-01-04 15:40")
    assert block.is_block()


def test_a_list_table_header_is_not_a_metadata_block() -> None:
    assert not Block.of(pairs_in_lines(["标题：  发布日期："])).is_block()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("工作动态", "news"),
        ("部门动态", "news"),
        ("通知公告", "notice"),
        ("政策文件", "policy"),
        ("规范性文件", "policy"),
        ("文件及解读", "policy"),
        ("人事信息", "personnel"),
        ("规划计划", "plans"),
        ("计划总结及报告", "plans"),
        ("公开目录和指南", "guide"),
        ("政府信息公开指南", "guide"),
        ("预决算公开及三公", "finance"),
        ("行政执法", "enforcement"),
        ("行政执法公示", "enforcement"),
        ("政府信息公开年报", "report"),
        ("年度报告", "report"),
        ("互动回应", "interaction"),
        ("条例规定及制度", "other"),
        ("下载专区", "other"),
    ],
)
def test_column_kind_from_its_name(name: str, kind: str) -> None:
    assert guess_kind(name) == kind
    assert kind in COLUMN_KINDS


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("当前位置：首页 > 政务公开 > 计划总结及报告", "计划总结及报告"),
        ("首页 >> 政务公开 >> 组织机构 >> 区市场监管局 >> 政府信息公开年报", "政府信息公开年报"),
        ("您现在的位置：首页 ＞ 信息公开 ＞ 通知公告 ＞ 正文", "通知公告"),
        ("當前位置：首頁 » 政府信息公開 » 政府信息公開制度", "政府信息公開制度"),
    ],
)
def test_breadcrumb_lines(line: str, column: str) -> None:
    assert is_breadcrumb(line)
    assert column_of(split_breadcrumb(line), title="") == column


def test_a_breadcrumb_ending_in_the_title_gives_the_column_before_it() -> None:
    segments = split_breadcrumb("首页 > 工作动态 > 秦州区司法局召开2021年普法工作会议")
    assert column_of(segments, title="秦州区司法局召开2021年普法工作会议") == "工作动态"
    assert not is_breadcrumb("政府信息公开")


def test_text_dump_pipe_tables_read_like_labelled_lines() -> None:
    page = read_text("索引号 | 11341702486344515H/202110-00013 | 组配分类 | 公开制度 |\n内容概述 |\n")
    assert pairs_in_lines(page.lines) == [
        Pair("索引号", "11341702486344515H/202110-00013"),
        Pair("组配分类", "公开制度"),
        Pair("内容概述", ""),
    ]


def test_html_scripts_styles_and_comments_are_not_text() -> None:
    page = read_html(
        "<html><head><style>.a{}</style><script>document.write('发布日期：2099-01-01')</script></head>"
        "<body><!-- 发布日期：2098-01-01 --><p>发布日期：2021-02-01</p></body></html>"
    )
    assert page.lines == ["发布日期：2021-02-01"]


def test_deep_nesting_is_bounded_by_the_parser_and_never_crashes() -> None:
    def nested(depth: int) -> str:
        return "<div>" * depth + "<p>索引号：20230618-164604-828</p>" + "</div>" * depth

    assert read_html(nested(200)).lines == ["索引号：20230618-164604-828"]
    # libxml2 without huge_tree stops at its depth limit: the content is dropped, the harvest goes on.
    assert read_html(nested(50_000)).lines == []


def test_labels_in_attributes_scripts_and_the_title_are_not_read() -> None:
    """Labels are found in the page source; only those in the page's text count."""
    page = read_html(
        "<html><head><title>关于发布日期：2099年安排的通知_某县</title>"
        '<meta name="description" content="发布日期：2098-01-01"></head><body>'
        '<a title="发布日期：2097-01-01" href="#">链接</a><script>var s = "发布日期：2096-01-01";</script>'
        "<h1>关于调整办公时间的通知</h1><p>发布日期：2021-02-01</p></body></html>"
    )
    assert page.lines == ["发布日期：2021-02-01"]
    assert page.meta["description"] == "发布日期：2098-01-01"
    assert page.heading == "关于发布日期：2099年安排的通知"  # the <title> as written, first part
