"""Each page template of the fixture mirror (tests/fixtures/harvest/site, described in its README)
harvests to exactly the item a person reads on the page: every field, which fields the page's
catalogue carries, and the warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from compliance_audit.harvest import Harvest, PageRecord
from compliance_audit.harvest.pages import PageFile, read_page

SITE = Path(__file__).resolve().parent / "fixtures" / "harvest" / "site"


@dataclass(frozen=True)
class Expected:
    body: str  # the first line of the body text kept (the article container, without navigation)
    encoding: str
    index_no: str
    title: str
    topic: str
    publisher: str
    formed: date | None
    published: date
    column: str
    doc_no: str
    validity: str
    url: str
    present: frozenset[str]
    warnings: tuple[str, ...] = ()


ALWAYS = frozenset({"title", "published", "url", "mirror_file", "body"})

PAGES: dict[str, Expected] = {
    # Anhui platform, table with label and value in two cells, block repeated for phones.
    "www.ahlx.gov.cn/OpennessContent/show/2625129.html": Expected(
        body="根据县政府办公室关于做好政府网站和政务公开日常监测工作的要求，现将十二月份我局政府网站信息公开专栏监测情况通报如下。",
        encoding="utf-8",
        index_no="11341722003251630P/202301-00012",
        title="十二月份政府网站(政务公开)监测情况",
        topic="城乡建设、环境保护",
        publisher="县住建局(县人防办)",
        formed=date(2023, 1, 4),
        published=date(2023, 1, 4),
        column="工作推进",
        doc_no="",
        validity="",
        url="http://www.ahlx.gov.cn/OpennessContent/show/2625129.html",
        present=ALWAYS | {"index_no", "topic", "publisher", "formed", "doc_no", "column"},
    ),
    # Anhui table variant: labels without colons, 主题导航 beats 组配分类, 内容概述 with no value
    # cell, 发布日期 only in the PubDate meta tag.
    "www.ningguo.gov.cn/OpennessContent/show/2277958.html": Expected(
        body="各省、自治区、直辖市人民政府办公厅，国务院各部委、各直属机构办公厅（室）：",
        encoding="gb18030",
        index_no="11341702486344515H/202110-00013",
        title="国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知",
        topic="商贸、海关、旅游",
        publisher="宁国市商务局",
        formed=date(2021, 10, 8),
        published=date(2021, 10, 8),
        column="公开制度",
        doc_no="国办公开办函〔2021〕30号",
        validity="",
        url="http://www.ningguo.gov.cn/OpennessContent/show/2277958.html",
        present=ALWAYS | {"index_no", "topic", "publisher", "formed", "doc_no", "summary", "column"},
    ),
    # gkmlpt: labelled spans, empty 分类, canonical link, breadcrumb as <li> items.
    "www.yangjiang.gov.cn/gkmlpt/content/0/508/post_508890.html": Expected(
        body="各县（市、区）人民政府，市府直属各单位：",
        encoding="utf-8",
        index_no="11441700007280420Y/2021-00050",
        title="阳江市人民政府办公室关于印发《阳江市2020年度政府网站与政务新媒体考评方案》的通知",
        topic="",
        publisher="阳江市人民政府办公室",
        formed=date(2021, 1, 19),
        published=date(2021, 2, 1),
        column="政府网站管理",
        doc_no="阳府办函〔2021〕9号",
        validity="",
        url="http://www.yangjiang.gov.cn/gkmlpt/content/0/508/post_508890.html",
        present=ALWAYS | {"index_no", "topic", "publisher", "formed", "doc_no", "column"},
    ),
    # jcms <li> list, label and value in separate <div>s; GB18030 without a declared charset;
    # the column from the ColumnName meta tag, the date from the 日期 line.
    "scjgj.jinhua.gov.cn/art/2023/1/10/art_1229169555_4051710.html": Expected(
        body="2022年金华市市场监管局政府信息公开工作年度报告",
        encoding="gb18030",
        index_no="11330700099033995K/2023-00013",
        title="2022年金华市市场监管局政府信息公开工作年度报告",
        topic="",
        publisher="金华市市场监管局(知识产权局)",
        formed=date(2023, 1, 10),
        published=date(2023, 1, 10),
        column="政府信息公开年报",
        doc_no="",
        validity="",
        url="http://scjgj.jinhua.gov.cn/art/2023/1/10/art_1229169555_4051710.html",
        present=ALWAYS | {"index_no", "publisher", "formed", "column"},
    ),
    # Older jcms <dl>, empty 发文字号, ">>" breadcrumb, title from the heading; UTF-8 bytes
    # although the page declares gb2312.
    "www.jindong.gov.cn/art/2019/3/25/art_1229404637_26754.html": Expected(
        body="本报告由金东区市场监督管理局根据《中华人民共和国政府信息公开条例》要求编制，全文包括总体情况、主动公开政府信息情况、依申请公开政府信息情况等内容。",
        encoding="utf-8",
        index_no="11330703307522110T/2021-45063",
        title="金东区市场监督管理局2018年度政府信息公开工作报告",
        topic="",
        publisher="区市场监督管理局",
        formed=None,
        published=date(2019, 3, 25),
        column="政府信息公开年报",
        doc_no="",
        validity="",
        url="http://www.jindong.gov.cn/art/2019/3/25/art_1229404637_26754.html",
        present=ALWAYS | {"index_no", "publisher", "doc_no", "column"},
        warnings=("声明的字符集为 gb2312，但内容是 utf-8，已按 utf-8 读取",),
    ),
    # Hunan: three pairs on one line without spaces after the colons; GB2312, declared.
    "www.xtx.gov.cn/9932/9938/content_1272031.html": Expected(
        body="本报告依据《中华人民共和国政府信息公开条例》编制，报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
        encoding="gb18030",
        index_no="4303000006/2024-1272031",
        title="湘潭县云湖桥镇2023年政府信息公开工作年度报告",
        topic="信息公开年报",
        publisher="云湖桥镇",
        formed=None,
        published=date(2024, 1, 11),
        column="信息公开年报",
        doc_no="",
        validity="",
        url="http://www.xtx.gov.cn/9932/9938/content_1272031.html",
        present=ALWAYS | {"index_no", "topic", "publisher", "column"},
    ),
    # Hunan news page without an index block: heading, 来源 and 日期; 归档时间 is not the date.
    "pingjiang.gov.cn/35048/40718/40820/40821/content_1202379.html": Expected(
        body="1月12日，平江县召开2017年全县政务公开工作会议，总结2016年政务公开工作，部署2017年工作任务。",
        encoding="utf-8",
        index_no="",
        title="平江县召开2017年全县政务公开工作会议",
        topic="",
        publisher="岳阳市政府门户网",
        formed=None,
        published=date(2017, 1, 12),
        column="部门动态",
        doc_no="",
        validity="",
        url="http://pingjiang.gov.cn/35048/40718/40820/40821/content_1202379.html",
        present=ALWAYS | {"publisher", "column"},
    ),
    # A mirror's traditional-script copy with pinyin after some label characters; one table
    # cell per pair; values are kept as the page has them.
    "www.eshutan.com/qdsrmzf/zfxxgkzd/content/f79b3c90-a081-438d-b12c-6923b1757442.html": Expected(
        body="各省、自治區、直轄市人民政府辦公廳，國務院各部委、各直屬機構辦公廳（室）：",
        encoding="utf-8",
        index_no="0142768-8/2022-00185",
        title="國務院辦公廳政府信息與政務公開辦公室關於印發《中華人民共和國政府信息公開工作年度報告格式》的通知",
        topic="綜合政務\\政務公開 通知",
        publisher="國務院辦公廳政府信息與政務公開辦公室",
        formed=date(2021, 9, 26),
        published=date(2021, 9, 29),
        column="政府信息公開制度",
        doc_no="國辦公開辦函〔2021〕30號(hào)",
        validity="有效",
        url="http://www.eshutan.com/qdsrmzf/zfxxgkzd/content/f79b3c90-a081-438d-b12c-6923b1757442.html",
        present=ALWAYS | {"index_no", "topic", "publisher", "formed", "doc_no", "validity", "column"},
    ),
    # Bold labels followed by text, labels padded with &nbsp; and U+3000, empty 时效; UTF-8 with
    # a BOM and no declaration; the breadcrumb only as a line of text.
    "xxgk.example.gov.cn/xxgkzd/202509/ce8767cf20654410a8154a4ec7ff04db.shtml": Expected(
        body="各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
        encoding="utf-8",
        index_no="035210000/2025-00016",
        title="国务院办公厅关于印发《政府信息公开信息处理费管理办法》的通知",
        topic="政府信息公开制度",
        publisher="国务院办公厅",
        formed=None,
        published=date(2025, 9, 2),
        column="政府信息公开制度",
        doc_no="国办函〔2020〕109号",
        validity="",
        url="http://xxgk.example.gov.cn/xxgkzd/202509/ce8767cf20654410a8154a4ec7ff04db.shtml",
        present=ALWAYS | {"index_no", "topic", "publisher", "doc_no", "validity", "column"},
    ),
    # Text dump of the Anhui block: values on the next line, two pairs per line, repeated block;
    # GBK. No host directory, so the URL is the path inside the mirror.
    "dumps/langxi-housing-2022-11-monitoring.txt": Expected(
        body="首页 > 信息公开 > 县住建局(县人防办) > 工作推进",
        encoding="gb18030",
        index_no="11341722003251630P/202212-00009",
        title="十一月份政府网站(政务公开)监测情况",
        topic="城乡建设、环境保护",
        publisher="县住建局(县人防办)",
        formed=date(2022, 12, 5),
        published=date(2022, 12, 6),
        column="工作推进",
        doc_no="",
        validity="",
        url="dumps/langxi-housing-2022-11-monitoring.txt",
        present=ALWAYS | {"index_no", "topic", "publisher", "formed", "doc_no", "column"},
    ),
    # The seed page, as given: "- 索引号: …" lines, blank 主题分类, 发布时间 as the only date.
    "dumps/qinzhou-justice-2020-summary.txt": Expected(
        body="政府信息公开",
        encoding="utf-8",
        index_no="20230618-164604-828",
        title="秦州区司法局2020年度信息工作总结",
        topic="",
        publisher="区司法局",
        formed=None,
        published=date(2021, 2, 1),
        column="",
        doc_no="",
        validity="",
        url="dumps/qinzhou-justice-2020-summary.txt",
        present=ALWAYS | {"index_no", "topic", "publisher"},
    ),
}


@pytest.fixture(scope="module")
def records() -> dict[str, PageRecord]:
    return dict(Harvest(SITE).pages())


@pytest.mark.parametrize("relative", sorted(PAGES))
def test_page_harvests_every_field(records: dict[str, PageRecord], relative: str) -> None:
    expected = PAGES[relative]
    record = records[relative]
    item = record.item
    assert item is not None, record.skip
    assert {
        "index_no": item.index_no,
        "title": item.title,
        "topic": item.topic,
        "publisher": item.publisher,
        "formed": item.formed,
        "published": item.published,
        "column": item.column,
        "doc_no": item.doc_no,
        "validity": item.validity,
        "valid_until": item.valid_until,
        "url": item.url,
        "mirror_file": item.mirror_file,
        "summary": item.summary,
        "tags": item.tags,
        "body": item.body.split("\n", 1)[0],
    } == {
        "index_no": expected.index_no,
        "title": expected.title,
        "topic": expected.topic,
        "publisher": expected.publisher,
        "formed": expected.formed,
        "published": expected.published,
        "column": expected.column,
        "doc_no": expected.doc_no,
        "validity": expected.validity,
        "valid_until": None,
        "url": expected.url,
        "mirror_file": relative,
        "summary": "",
        "tags": (),
        "body": expected.body,
    }
    assert record.present == expected.present
    assert tuple(record.warnings) == expected.warnings
    assert record.unreadable == ()


@pytest.mark.parametrize("relative", sorted(PAGES))
def test_page_encoding(relative: str) -> None:
    """GB2312 and GBK pages are read as GB18030, which includes both."""
    page = read_page(PageFile(str(SITE / relative), relative))
    assert page.encoding == PAGES[relative].encoding


def test_fixtures_cover_the_required_encodings() -> None:
    raw = {relative: (SITE / relative).read_bytes() for relative in PAGES}
    declared_gbk = [r for r, data in raw.items() if b"charset=gbk" in data]
    declared_gb2312 = [r for r, data in raw.items() if b"charset=gb2312" in data]
    assert declared_gbk and declared_gb2312
    for relative in PAGES:
        data = raw[relative]
        if PAGES[relative].encoding == "gb18030":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")


def test_the_seed_page_is_the_shared_seed_byte_for_byte() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "seed" / "qinzhou-justice-2020-summary.txt"
    if not shared.exists():
        pytest.skip("the shared seed is not beside this checkout")
    assert (SITE / "dumps" / "qinzhou-justice-2020-summary.txt").read_bytes() == shared.read_bytes()


def test_the_other_files_are_skipped_with_their_reason(records: dict[str, PageRecord]) -> None:
    skipped = {
        relative: (record.skip, record.detail) for relative, record in records.items() if record.item is None
    }
    assert skipped == {
        "www.ahlx.gov.cn/index.html": ("列表页或首页", "文件名为列表页/首页"),
        "www.ahlx.gov.cn/group1/M00/12/jc-2023-12.pdf": ("附件（PDF、Word、Excel 等）", ".pdf"),
        "www.ahlx.gov.cn/static/css/openness.css": ("静态资源（样式、脚本、图片等）", ".css"),
    }
