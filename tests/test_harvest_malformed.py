"""A malformed file never stops a harvest: it is skipped with its reason, or harvested with a
warning when what a person can read is there. Values that cannot be read are left empty and
counted, never guessed."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from compliance_audit.errors import InputError
from compliance_audit.harvest import Harvest, HarvestResult, PageRecord, Skip, harvest, load_mirror, pages
from compliance_audit.inventory import BureauOverrides

SITE = Path(__file__).resolve().parent / "fixtures" / "harvest" / "site"
ANHUI = SITE / "www.ahlx.gov.cn" / "OpennessContent" / "show" / "2625129.html"
NINGGUO = SITE / "www.ningguo.gov.cn" / "OpennessContent" / "show" / "2277958.html"


def _records(mirror: Path) -> dict[str, PageRecord]:
    return dict(Harvest(mirror).pages())


def _alone(directory: Path, name: str, data: bytes) -> PageRecord:
    """One page in a mirror of its own (two copies of a page in one mirror are one item)."""
    directory.mkdir()
    (directory / name).write_bytes(data)
    return _records(directory)[name]


def _page(block: str, *, heading: str = "", declared: str = "utf-8") -> str:
    return (
        f'<html><head><meta charset="{declared}"><title>{heading or "页面"}</title></head><body>'
        f"{f'<h1>{heading}</h1>' if heading else ''}<div class='xxgk'>{block}</div>"
        "<div class='content'><p>正文内容从略。</p></div></body></html>"
    )


def test_binary_files_with_an_html_suffix_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "2021-report.html").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    (tmp_path / "show.jsp?id=17").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
    (tmp_path / "content_88.htm").write_bytes(b"<html>" + b"\x00\x01\x02\x03" * 500)

    records = _records(tmp_path)

    assert {name: (record.skip, record.detail) for name, record in records.items()} == {
        "2021-report.html": (Skip.BINARY, "PDF 文件"),
        "content_88.htm": (Skip.BINARY, "含空字节"),
        "show.jsp?id=17": (Skip.BINARY, "PNG 图片"),
    }


def test_default_page_limit_is_at_most_50_mb() -> None:
    assert 0 < pages.MAX_PAGE_BYTES <= 50 * 1024 * 1024


def test_a_50_mb_page_is_skipped_without_being_read(tmp_path: Path) -> None:
    huge = tmp_path / "art_1_50mb.html"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)  # sparse: costs no disk and no time

    (record,) = _records(tmp_path).values()

    assert record.skip == Skip.TOO_LARGE
    assert record.detail == f"{50 * 1024 * 1024 + 1} 字节，上限 {pages.MAX_PAGE_BYTES} 字节"


def test_the_page_limit_is_the_module_constant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "post_1.html"
    page.write_bytes(ANHUI.read_bytes())
    monkeypatch.setattr(pages, "MAX_PAGE_BYTES", 1024)

    assert _records(tmp_path)["post_1.html"].skip == Skip.TOO_LARGE


def test_a_page_cut_off_after_its_metadata_block_is_harvested_with_a_warning(tmp_path: Path) -> None:
    raw = ANHUI.read_bytes()
    cut = raw.index(b"</table>") + len(b"</table>")
    records = {
        "cut.html": _alone(tmp_path / "1", "cut.html", raw[:cut]),
        # cut again, this time inside the three bytes of a character
        "cut-in-a-character.html": _alone(
            tmp_path / "2", "cut-in-a-character.html", raw[:cut] + "附件".encode()[:4]
        ),
    }

    for name in ("cut.html", "cut-in-a-character.html"):
        item = records[name].item
        assert item is not None
        assert (item.index_no, item.title, item.published, item.formed, item.topic) == (
            "11341722003251630P/202301-00012",
            "十二月份政府网站(政务公开)监测情况",
            date(2023, 1, 4),
            date(2023, 1, 4),
            "城乡建设、环境保护",
        )
    truncated = "页面没有结尾（</html>），可能下载不完整；已按能读到的元数据收录"
    assert records["cut.html"].warnings == [truncated]
    assert records["cut-in-a-character.html"].warnings == [
        "有 1 处字节无法按 utf-8 解码，已替换（页面可能不完整）",
        truncated,
    ]


def test_a_wrong_declared_charset_is_read_with_the_detected_one(tmp_path: Path) -> None:
    raw = NINGGUO.read_bytes()
    declaration = b'<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
    variants = {
        "gbk-declared-utf8.html": raw.replace(b"charset=gbk", b"charset=utf-8"),
        "gbk-undeclared.html": raw.replace(declaration, b""),
        "gbk-declared-latin1.html": raw.replace(b"charset=gbk", b"charset=iso-8859-1"),
    }
    records = {name: _alone(tmp_path / name, name, data) for name, data in variants.items()}

    for record in records.values():
        assert record.item is not None
        assert record.item.publisher == "宁国市商务局"
        assert record.item.doc_no == "国办公开办函〔2021〕30号"
    assert records["gbk-declared-utf8.html"].warnings == [
        "声明的字符集为 utf-8，但内容是 gb18030，已按 gb18030 读取"
    ]
    assert records["gbk-declared-latin1.html"].warnings == [
        "声明的字符集为 iso-8859-1，但内容是 gb18030，已按 gb18030 读取"
    ]
    assert records["gbk-undeclared.html"].warnings == []


def test_list_and_index_pages_and_pages_without_metadata_are_not_items(tmp_path: Path) -> None:
    title = "秦州区司法局关于第{}批法律援助案件质量评估情况的通报"
    links = "".join(
        f'<li><a href="/art/{n}.html">{title.format(n)}</a> 2021-03-{n:02d}</li>' for n in range(1, 13)
    )
    listing = f"<html><body><h1>工作动态</h1><ul>{links}</ul></body></html>"
    (tmp_path / "gzdt.html").write_text(listing, encoding="utf-8")
    (tmp_path / "index_2.html").write_text(listing, encoding="utf-8")
    (tmp_path / "lxwm.html").write_text(
        "<html><body><h2>联系我们</h2><p>办公地址：秦州区某路1号</p></body></html>", encoding="utf-8"
    )
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n", encoding="utf-8")

    records = _records(tmp_path)

    assert {name: record.skip for name, record in records.items()} == {
        "gzdt.html": Skip.LIST,
        "index_2.html": Skip.LIST,
        "lxwm.html": Skip.NO_METADATA,
        "empty.html": Skip.NO_METADATA,
        "robots.txt": Skip.NO_METADATA,
    }


def test_attachments_resources_symlinks_and_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "附件1.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "2021年部门预算.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "main.js").write_text("var a = 1;", encoding="utf-8")
    (tmp_path / "link.html").symlink_to(ANHUI)
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")

    records = _records(tmp_path)

    assert {name: (record.skip, record.detail) for name, record in records.items()} == {
        "附件1.docx": (Skip.ATTACHMENT, ".docx"),
        "2021年部门预算.xls": (Skip.ATTACHMENT, ".xls"),
        "logo.png": (Skip.RESOURCE, ".png"),
        "main.js": (Skip.RESOURCE, ".js"),
        "link.html": (Skip.SYMLINK, ""),
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_files_that_are_not_pages_are_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.html")  # opening it would block the harvest forever
    (tmp_path / "setup.exe").write_bytes(b"MZ\x90\x00" + bytes(4096))
    (tmp_path / "content_1202379").write_bytes(ANHUI.read_bytes())  # saved without a suffix

    records = _records(tmp_path)

    assert (records["pipe.html"].skip, records["pipe.html"].detail) == (Skip.NOT_A_PAGE, "不是普通文件")
    assert (records["setup.exe"].skip, records["setup.exe"].detail) == (Skip.NOT_A_PAGE, ".exe")
    item = records["content_1202379"].item
    assert item is not None and item.index_no == "11341722003251630P/202301-00012"


def test_the_same_article_saved_twice_is_one_item(tmp_path: Path) -> None:
    (tmp_path / "www.ahlx.gov.cn" / "m").mkdir(parents=True)
    (tmp_path / "www.ahlx.gov.cn" / "2625129.html").write_bytes(ANHUI.read_bytes())
    (tmp_path / "www.ahlx.gov.cn" / "m" / "2625129.html").write_bytes(ANHUI.read_bytes())

    records = _records(tmp_path)

    duplicate = records["www.ahlx.gov.cn/m/2625129.html"]
    assert (duplicate.skip, duplicate.detail) == (
        Skip.DUPLICATE,
        "与已收录的“十二月份政府网站(政务公开)监测情况”（2023-01-04）相同",
    )
    assert records["www.ahlx.gov.cn/2625129.html"].item is not None


def test_unreadable_values_are_left_empty_and_counted(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        _page(
            "<p>索引号：11620502000000000A/2021-00031</p><p>标题：秦州区司法局2021年法治宣传教育工作要点</p>"
            "<p>成文日期：二〇二一年二月</p><p>发布日期：2021-03-02</p><p>有效性：部分有效</p>"
        ),
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text(
        _page(
            "<p>索引号：11620502000000000A/2021-00032</p><p>标题：秦州区司法局行政规范性文件清理结果</p>"
            "<p>发布日期：2021年13月5日</p>"
        ),
        encoding="utf-8",
    )
    (tmp_path / "c.html").write_text(
        _page(
            "<p>索引号：11620502000000000A/2021-00033</p><p>发布机构：区司法局</p><p>发布日期：2021-03-09</p>"
        ),
        encoding="utf-8",
    )

    result = harvest(tmp_path)

    (item,) = result.items
    assert (item.title, item.formed, item.published, item.validity) == (
        "秦州区司法局2021年法治宣传教育工作要点",
        None,
        date(2021, 3, 2),
        "",
    )
    assert result.summary.unreadable == {"formed": 1, "validity": 1}
    assert result.summary.skipped == {Skip.NO_DATE: 1, Skip.NO_TITLE: 1}
    notes = {(note.path, note.message) for note in result.notes}
    assert ("a.html", "成文日期“二〇二一年二月”无法识别，已留空") in notes
    assert ("a.html", "有效性“部分有效”无法识别，已留空") in notes
    assert ("b.html", f"{Skip.NO_DATE}（“2021年13月5日”）") in notes
    assert ("c.html", Skip.NO_TITLE) in notes


@pytest.mark.parametrize(
    ("written", "validity"),
    [
        ("有效", "有效"),
        ("现行有效", "有效"),
        ("已失效", "失效"),
        ("已废止", "废止"),
        ("已修订", "已修改"),
        ("无", ""),
    ],
)
def test_validity_synonyms_map_to_the_contract_values(tmp_path: Path, written: str, validity: str) -> None:
    (tmp_path / "a.html").write_text(
        _page(
            "<p>索引号：11620502000000000A/2019-00007</p><p>名称：秦州区法律援助实施办法</p>"
            f"<p>发布日期：2019-06-10</p><p>有 效 性：{written}</p>"
        ),
        encoding="utf-8",
    )

    result = harvest(tmp_path)

    assert result.items[0].validity == validity
    assert not result.summary.unreadable


def test_catalogue_and_body_dates_are_compared(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        _page(
            "<p>索引号：11620502000000000A/2021-00040</p><p>名称：秦州区司法局2021年政务公开工作要点</p>"
            "<p>发布日期：2021-04-02</p></div><div class='info'>发布时间：2021-04-06 10:12 来源：区司法局"
        ),
        encoding="utf-8",
    )

    result = harvest(tmp_path)

    assert result.items[0].published == date(2021, 4, 2)
    assert [note.message for note in result.notes] == [
        "目录的发布日期 2021-04-02 与正文的发布时间 2021-04-06 不一致，采用目录的发布日期"
    ]


def test_a_harvest_of_only_bad_files_finishes_and_says_why(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(b"%PDF-1.4")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4")

    result = harvest(tmp_path)

    assert isinstance(result, HarvestResult) and result.items == []
    assert result.summary.lines(result.fields) == [
        "读取文件 2 个，其中页面 0 个；收录信息 0 条。",
        f"跳过 2 个文件：{Skip.BINARY} 1；{Skip.ATTACHMENT} 1。",
    ]
    with pytest.raises(InputError, match="没有找到可收录的信息页面：读取文件 2 个"):
        load_mirror(tmp_path, BureauOverrides(name="天水市秦州区司法局"))


def test_a_missing_mirror_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="网站镜像目录不存在"):
        harvest(tmp_path / "missing")
    (tmp_path / "file.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(InputError, match="不是目录"):
        harvest(tmp_path / "file.html")
