"""The label variants and messy HTML of real portals (issue 11, points 5–7), one fixture page each
in tests/fixtures/harvest/templates, modelled on the TRS, Hanweb jcms and gkmlpt templates and a
provincial 政府信息公开目录 system, each harvested to exactly the item a person reads on it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from compliance_audit.harvest import Harvest, PageRecord, Skip
from compliance_audit.harvest.document import BODY_LIMIT
from compliance_audit.harvest.html import read_html
from compliance_audit.harvest.record import build_record
from compliance_audit.inventory.fields import VALIDITY_VALUES, validity_value

TEMPLATES = Path(__file__).resolve().parent / "fixtures" / "harvest" / "templates"

# relative path → the fields a person reads on the page (fields not named are empty)
EXPECTED: dict[str, dict[str, object]] = {
    # TRS 信息公开 table: 生成日期 (formed), 公开日期 (published), 发文字号, 有 效 性 已修改 (a value
    # of the inventory's own), 体裁分类 read as a label but not taken for the 主题分类, labels
    # padded with &nbsp; and U+3000, the title from the block, the body in .TRS_UEDITOR.
    "trs-xxgk-table.html": {
        "index_no": "11371000004346111A/2021-00004",
        "title": "某市司法局关于修改《某市法律援助实施细则》的决定",
        "topic": "司法",
        "publisher": "某市司法局",
        "formed": date(2021, 3, 1),
        "published": date(2021, 3, 2),
        "column": "规范性文件",
        "doc_no": "某司规〔2021〕1号",
        "validity": "已修改",
        "body": "为贯彻落实《中华人民共和国法律援助法》，市司法局决定对《某市法律援助实施细则》作如下修改：",
    },
    # Hanweb jcms 信息公开目录: labels without colons in their own cells (信息索引号, 组配分类,
    # 信息名称, 成文时间 in 年月日, 时效 废止), the publication date only on the line under the title
    # (发布时间 with a time), the column from the ColumnName tag, the body in #zoom.
    "jcms-gkml.html": {
        "index_no": "001008003005/2021-00017",
        "title": "某县人民政府办公室关于废止部分行政规范性文件的通知",
        "topic": "行政规范性文件",
        "publisher": "某县人民政府办公室",
        "formed": date(2021, 2, 26),
        "published": date(2021, 3, 2),
        "column": "行政规范性文件",
        "doc_no": "某政办发〔2021〕6号",
        "validity": "废止",
        "body": "各乡镇人民政府、街道办事处，县政府各部门：",
    },
    # gkmlpt spans: 主题导航, an empty 文号, and under the title "来源：…" in a span glued to the
    # next span "文章类型：原创" (not part of the publisher), then 发布时间 with a time.
    "gkmlpt-glued-spans.html": {
        "index_no": "11440104MB2C90412K/2021-00011",
        "title": "某区司法局2020年法治政府建设年度报告",
        "topic": "司法、公安\\法治政府建设",
        "publisher": "某区司法局",
        "formed": date(2021, 1, 25),
        "published": date(2021, 1, 28),
        "column": "法治政府建设",
        "body": "2020年，某区司法局坚持以习近平法治思想为指导，统筹推进法治政府建设各项工作。",
    },
    # A provincial 政府信息公开目录: the labels in a header row and their values in the row below
    # (发文日期 with a 年月日 date), then a second table with 文件名称 and a value in a nested span.
    "province-gkml-rows.html": {
        "index_no": "000014349/2021-01234",
        "title": "某省司法厅关于印发《公共法律服务体系建设规划》的通知",
        "topic": "公共安全\\司法行政",
        "publisher": "某省司法厅",
        "formed": date(2021, 6, 15),
        "published": date(2021, 6, 18),
        "column": "规划计划",
        "doc_no": "某司发〔2021〕45号",
        "body": "各市司法局：",
    },
    # A news page with no metadata block: "来源：…  时间：2021年3月16日" in the article, the title from
    # <title> without the site name (the heading is a <div>).
    "news-body-metadata.html": {
        "title": "某县司法局开展“3·15”法律服务进社区活动",
        "publisher": "某县司法局",
        "published": date(2021, 3, 16),
        "body": "3月15日，某县司法局组织律师、人民调解员走进城关社区，开展“3·15”法律服务活动。",
    },
    # A stale copy of the block hidden with display:none and the hidden attribute comes first; a
    # hidden paragraph in the body is not body text either.
    "hidden-duplicate.html": {
        "index_no": "11620500MB1234567X/2023-00021",
        "title": "某县司法局2023年度部门预算公开说明",
        "publisher": "某县司法局",
        "published": date(2023, 2, 10),
        "body": "根据预算法的规定，现将我局2023年度部门预算公开如下。",
    },
    # No <html>, no <head>: 标题, 发布时间, 信息来源 as paragraphs.
    "no-head.html": {
        "title": "某县司法局关于开展人民调解员培训的通知",
        "publisher": "某县司法局",
        "published": date(2022, 5, 9),
        "column": "通知公告",
        "body": "各乡镇司法所：",
    },
    # An article named index.html, with a few related links and their dates: an article, never a
    # list page, because it has a title and a labelled date.
    "article-named-index/index.html": {
        "title": "某县司法局2022年政府信息公开工作年度报告",
        "publisher": "某县司法局",
        "published": date(2023, 1, 18),
        "body": "本报告根据《中华人民共和国政府信息公开条例》编制。",
    },
}
FIELDS = ("index_no", "title", "topic", "publisher", "formed", "published", "column", "doc_no", "validity")


@pytest.fixture(scope="module")
def records() -> dict[str, PageRecord]:
    return dict(Harvest(TEMPLATES).pages())


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_each_template_gives_the_fields_a_person_reads(records: dict[str, PageRecord], relative: str) -> None:
    record = records[relative]
    item = record.item
    assert item is not None, (record.skip, record.detail)
    expected = EXPECTED[relative]
    assert {name: getattr(item, name) for name in FIELDS} == {
        name: expected.get(name, None if name in ("formed", "published") else "") for name in FIELDS
    }
    assert item.body.split("\n", 1)[0] == expected["body"]
    assert item.url == relative and item.mirror_file == relative
    assert record.warnings == [] and record.unreadable == ()


def test_a_list_page_with_a_title_and_many_dated_links_is_skipped(records: dict[str, PageRecord]) -> None:
    record = records["list-with-dates.html"]
    assert (record.item, record.skip) == (None, Skip.LIST)


def test_no_body_leaves_the_text_out() -> None:
    page = (TEMPLATES / "jcms-gkml.html").read_text(encoding="utf-8")
    assert read_html(page, body=False).body == ""
    assert read_html(page).body.startswith("各乡镇人民政府")


def test_the_body_is_bounded_and_cut_between_characters() -> None:
    paragraph = "为进一步规范政务公开工作，根据条例和上级有关要求，现就有关事项通知如下。" * 40
    page = (
        "<html><head><title>某县司法局关于规范政务公开工作的通知</title></head><body>"
        "<p>索引号：11620500MB1234567X/2023-00030</p><p>发布日期：2023-03-01</p>"
        f"<div id='zoom'>{f'<p>{paragraph}</p>' * 60}</div></body></html>"
    )
    body = read_html(page).body
    assert len(body.encode("utf-8")) <= BODY_LIMIT
    assert len(body.encode("utf-8")) > BODY_LIMIT - 4  # as much as fits, cut between characters
    assert body.startswith("为进一步规范政务公开工作")


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("现行有效", "有效"),
        ("有效", "有效"),
        ("失效", "失效"),
        ("已失效", "失效"),
        ("废止", "废止"),
        ("已废止", "废止"),
        ("已修改", "已修改"),
        ("已修订", "已修改"),
        ("現行有效", "有效"),
    ],
)
def test_validity_as_portals_write_it_maps_to_the_inventory_vocabulary(written: str, value: str) -> None:
    assert validity_value(written) == value
    assert value in VALIDITY_VALUES


def test_a_metadata_split_across_a_label_row_and_a_value_row_is_read_column_by_column() -> None:
    page = read_html(
        "<table><tr><td>索引号</td><td>发布机构</td><td>发布日期</td></tr>"
        "<tr><td>000014349/2021-01234</td><td>某省司法厅</td><td>2021-06-18</td></tr></table>"
        "<h1>某省司法厅关于做好法律援助工作的通知</h1>"
    )
    record = build_record(page, "a.html", "a.html")
    assert record.item is not None
    assert (record.item.index_no, record.item.publisher, record.item.published) == (
        "000014349/2021-01234",
        "某省司法厅",
        date(2021, 6, 18),
    )
