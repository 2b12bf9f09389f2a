"""The crawler's pure parts: which links are followed, how list pages continue, and where a fetched
page is kept in the mirror (addresses are untrusted: nothing may land outside the mirror)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compliance_audit.errors import InputError
from compliance_audit.harvest.crawl import CrawlConfig, prepare_mirror
from compliance_audit.harvest.crawl.mirror import MirrorWriter, read_pages, relative_path
from compliance_audit.harvest.crawl.scope import Scope, absolute, is_pagination, record_links, script_pages

BASE = "https://www.example.gov.cn"


@pytest.mark.parametrize(
    ("url", "verdict"),
    [
        (f"{BASE}/col/col1234/index_2.html", "page"),
        (f"{BASE}/col/col1234/art_1.html?id=5", "page"),
        (f"{BASE}/col/col999/index.html", "outside"),
        (f"{BASE}/art/2023/1/10/art_1234_4051710.html", "page"),  # --allow /art/
        (f"{BASE}/col/col1234/附件/统计表.xlsx", "attachment"),
        (f"{BASE}/col/col1234/logo.png", "resource"),
        ("https://www.gov.cn/zhengce/", "offsite"),
        ("https://example.gov.cn/col/col1234/", "offsite"),  # another host name is another site
        ("mailto:sfj@example.gov.cn", "ignored"),
        ("ftp://www.example.gov.cn/col/col1234/a.html", "ignored"),
    ],
)
def test_the_section_is_the_start_directory_plus_allowed_patterns(url: str, verdict: str) -> None:
    scope = Scope.of(f"{BASE}/col/col1234/index.html", allow=[r"/art/\d{4}/"])
    assert scope.classify(url) == verdict


def test_allowed_hosts_for_requests_and_redirects() -> None:
    scope = Scope.of(f"{BASE}/xxgk/", allow=[r"^https://xxgk\.example\.gov\.cn/"])
    assert scope.host_allowed(f"{BASE}/robots.txt")
    assert scope.host_allowed("http://www.example.gov.cn/other/")  # same host, other scheme
    assert scope.host_allowed("https://xxgk.example.gov.cn/a.html")
    assert not scope.host_allowed("https://www.gov.cn/")


def test_bad_start_addresses_and_patterns_are_bad_input() -> None:
    with pytest.raises(InputError, match=re.escape("网址“www.example.gov.cn”无法识别")):
        Scope.of("www.example.gov.cn")
    with pytest.raises(InputError, match="--allow 的正则表达式"):
        CrawlConfig(f"{BASE}/xxgk/", allow=("(",))
    with pytest.raises(InputError, match="不能小于 1"):
        CrawlConfig(f"{BASE}/xxgk/", max_pages=0)


@pytest.mark.parametrize(
    ("url", "text", "paging"),
    [
        (f"{BASE}/xxgk/index_3.html", "", True),
        (f"{BASE}/xxgk/list.jsp?page=4&cat=2", "", True),
        (f"{BASE}/xxgk/list.jsp?pageNo=2", "", True),
        (f"{BASE}/module/jpage/dataproxy.jsp?startrecord=46&endrecord=90", "", True),
        (f"{BASE}/xxgk/t20230110_1001.html", "下一页", True),
        (f"{BASE}/xxgk/t20230110_1001.html", "7", True),
        (f"{BASE}/xxgk/t20230110_1001.html", "某县司法局关于开展普法工作的通知", False),
        (f"{BASE}/xxgk/202301/t20230110_1001.html", "", False),
    ],
)
def test_pagination_links(url: str, text: str, paging: bool) -> None:
    assert is_pagination(url, text) is paging


def test_create_page_html_in_both_trs_forms() -> None:
    page = f"{BASE}/xxgk/zcwj/index.html"
    assert script_pages(page, '<script>createPageHTML(3, 0, "index", "html");</script>', limit=100) == [
        f"{BASE}/xxgk/zcwj/index_1.html",
        f"{BASE}/xxgk/zcwj/index_2.html",
    ]
    later = "createPageHTML('page_div', 4, 1, 'fwxx', 'shtml', 62);"
    assert script_pages(page, later, limit=100) == [f"{BASE}/xxgk/zcwj/fwxx_{n}.shtml" for n in (1, 2, 3)]
    assert len(script_pages(page, "createPageHTML(90000, 0, 'index', 'html')", limit=50)) == 50
    assert script_pages(page, "createPageHTML(pageCount, current)", limit=50) == []


def test_jcms_list_records_are_links() -> None:
    html = (
        '<script type="text/xml"><datastore><recordset>'
        '<record><![CDATA[<li><a href="/art/2023/1/10/art_1229_1.html" title="a">某县司法局通知</a></li>]]>'
        "</record>"
        "<record><![CDATA[<li><a href='/art/2023/1/9/art_1229_2.html'>某县司法局公告</a></li>]]></record>"
        "</recordset></datastore></script>"
    )
    assert record_links(html) == ["/art/2023/1/10/art_1229_1.html", "/art/2023/1/9/art_1229_2.html"]


def test_links_are_made_absolute_without_fragments() -> None:
    assert absolute(f"{BASE}/xxgk/a/b.html", "../c.html#top") == f"{BASE}/xxgk/c.html"
    assert absolute(f"{BASE}/xxgk/", "javascript:void(0)") is None
    assert absolute(f"{BASE}/xxgk/", "#") is None
    assert absolute(f"{BASE}/xxgk/", "http://[::1:80/") is None


@pytest.mark.parametrize(
    ("url", "kind", "relative"),
    [
        (f"{BASE}/xxgk/", "html", "www.example.gov.cn/xxgk/index.html"),
        (f"{BASE}/xxgk/show.jsp?id=3", "html", "www.example.gov.cn/xxgk/show.jsp?id=3"),
        ("http://127.0.0.1:8080/content_1202379", "html", "127.0.0.1_8080/content_1202379.html"),
        (f"{BASE}/xxgk/%E9%80%9A%E7%9F%A5.htm", "html", "www.example.gov.cn/xxgk/通知.htm"),
        (f"{BASE}/a/../../etc/passwd", "html", "www.example.gov.cn/a/_/_/etc/passwd.html"),
        (f"{BASE}/.git/config", "html", "www.example.gov.cn/_git/config.html"),
        (f"{BASE}/dump.txt", "text", "www.example.gov.cn/dump.txt"),
        (f"{BASE}/附件.pdf", "file", "www.example.gov.cn/附件.pdf"),
    ],
)
def test_mirror_paths_like_wget_and_never_outside_the_mirror(url: str, kind: str, relative: str) -> None:
    assert relative_path(url, kind) == relative


def test_long_names_are_shortened_and_clashing_addresses_kept_apart(tmp_path: Path) -> None:
    long = relative_path(f"{BASE}/xxgk/{'很长的文件名' * 40}.html", "html")
    assert len(long.rsplit("/", 1)[1].encode("utf-8")) <= 150 and long.endswith(".html")
    writer = MirrorWriter(tmp_path)
    first = writer.save(f"{BASE}/xxgk/", b"<html>1</html>", "html")
    second = writer.save(f"{BASE}/xxgk/index.html", b"<html>2</html>", "html")
    inside = writer.save(f"{BASE}/xxgk/index.html/a.html", b"<html>3</html>", "html")
    writer.close()
    assert first == "www.example.gov.cn/xxgk/index.html"
    assert second != first and second.startswith("www.example.gov.cn/xxgk/index~")
    assert inside.startswith("www.example.gov.cn/~")  # a file stands where a folder would be
    assert {path.read_bytes() for path in tmp_path.rglob("*.html")} == {
        b"<html>1</html>",
        b"<html>2</html>",
        b"<html>3</html>",
    }


def test_the_log_says_where_each_page_came_from(tmp_path: Path) -> None:
    writer = MirrorWriter(tmp_path)
    relative = writer.save(f"{BASE}/xxgk/a.html", b"<html></html>", "html")
    writer.log("page", url=f"{BASE}/xxgk/a.html", file=relative, charset="gbk")
    writer.close()
    (tmp_path / ".crawl" / "log.jsonl").open("a", encoding="utf-8").write('{"kind": "page", "url": \n')
    pages = read_pages(tmp_path)
    assert pages[relative].url == f"{BASE}/xxgk/a.html" and pages[relative].charset == "gbk"


def test_an_unfinished_crawl_of_another_address_is_not_mixed_in(tmp_path: Path) -> None:
    config = CrawlConfig(f"{BASE}/xxgk/")
    prepare_mirror(tmp_path / "m", config)
    (tmp_path / "m" / ".crawl" / "config.json").write_text('{"start_url": "https://a.gov.cn/"}', "utf-8")
    (tmp_path / "m" / ".crawl" / "job").mkdir()
    with pytest.raises(InputError, match=re.escape("镜像目录中有另一网址（https://a.gov.cn/）未完成的抓取")):
        prepare_mirror(tmp_path / "m", config)
