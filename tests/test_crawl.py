"""The live crawl, against portals the tests serve on 127.0.0.1 (tests/portal_server.py): list
pages with their three kinds of pagination, articles in several templates and charsets, redirects,
404 and 500, a page slower than the timeout, a redirect loop, robots.txt, and links that leave the
site, which must never be fetched. Every crawl runs in its own process, as the command line runs it;
no test touches any address but 127.0.0.1."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from compliance_audit.harvest import harvest
from compliance_audit.harvest.crawl import CrawlConfig, crawl
from compliance_audit.harvest.crawl.mirror import crawl_dir, read_log
from compliance_audit.inventory.model import Item
from tests.helpers import run_cli
from tests.portal_server import PortalServer, Reply

PORTAL = Path(__file__).resolve().parent / "fixtures" / "harvest" / "portal"
START = "/xxgk/index.html"
ARTICLES = {
    "/xxgk/202301/t20230110_1001.html",  # TRS table, UTF-8
    "/xxgk/202302/t20230215_1002.html",  # jcms list, GBK named only in the Content-Type header
    "/xxgk/202303/t20230301_1004.html",  # gkmlpt spans, reached through a 301
    "/xxgk/202304/t20230405_1005.html",  # Hunan line, GB2312 declared; only on list page 2 (createPageHTML)
    "/xxgk/202305/t20230510_1006.html",  # no <head>, metadata in the body; only behind ?page=4
}
LIST_PAGE_4 = (
    '<html><body><ul><li><a href="/xxgk/202305/t20230510_1006.html">某县召开2023年公共法律服务工作推进会</a>'
    " 2023-05-10</li></ul></body></html>"
).encode()
BUREAU = "某县司法局"


def _routes(other: str) -> dict[str, object]:
    def reply(*args: object, **kwargs: object) -> object:
        return lambda server: Reply(*args, **kwargs)  # type: ignore[arg-type]

    return {
        "/robots.txt": reply(
            200, b"User-agent: *\nDisallow: /xxgk/internal/\n", {"Content-Type": "text/plain"}
        ),
        "/xxgk/old/1004.html": reply(301, b"", {"Location": "/xxgk/202303/t20230301_1004.html"}),
        "/xxgk/broken.html": reply(500, b"<html><body>500</body></html>", {"Content-Type": "text/html"}),
        "/xxgk/slow.html": reply(200, b"<html>slow</html>", {"Content-Type": "text/html"}, delay=2.5),
        "/xxgk/loop/a.html": reply(302, b"", {"Location": "/xxgk/loop/b.html"}),
        "/xxgk/loop/b.html": reply(302, b"", {"Location": "/xxgk/loop/a.html"}),
        "/xxgk/away.html": reply(302, b"", {"Location": f"{other}/landing.html"}),
        "/xxgk/internal/secret.html": reply(
            200, b"<html><h1>secret</h1></html>", {"Content-Type": "text/html"}
        ),
        "/xxgk/list.jsp?page=4": reply(200, LIST_PAGE_4, {"Content-Type": "text/html; charset=utf-8"}),
    }


@contextmanager
def portal(latency: float = 0.0) -> Iterator[tuple[PortalServer, PortalServer]]:
    """The fixture portal, and a second site on another port that its links and redirects point to."""
    with PortalServer() as other:
        site = PortalServer(
            PORTAL,
            routes=_routes(other.url),  # type: ignore[arg-type]
            content_types={"/xxgk/202302/t20230215_1002.html": "text/html; charset=gbk"},
            latency=latency,
        )
        site.substitutions["{{OTHER}}"] = str(other.port)
        with site:
            yield site, other


def _config(site: PortalServer, **changes: object) -> CrawlConfig:
    settings: dict[str, object] = {"delay": 0.0, "timeout": 1.0, "retries": 0, **changes}
    return CrawlConfig(site.url + START, **settings)  # type: ignore[arg-type]


def _without_mirror_file(item: Item) -> dict[str, object]:
    values = dataclasses.asdict(item)
    del values["mirror_file"], values["row"]
    return values


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PortalServer, PortalServer, Path]]:
    mirror = tmp_path_factory.mktemp("crawl") / "mirror"
    with portal() as (site, other):
        outcome = crawl(mirror, _config(site))
        assert not outcome.interrupted
        yield site, other, mirror


def test_every_article_is_fetched_once_through_all_three_kinds_of_pagination(
    crawled: tuple[PortalServer, PortalServer, Path],
) -> None:
    site, _, _ = crawled
    fetched = {path for path in site.requests if path.startswith("/xxgk/2023")}
    assert fetched == ARTICLES
    assert all(site.requests[path] == 1 for path in ARTICLES)
    # index_1.html is linked only from the createPageHTML script; list.jsp?page=4 only by a "4"
    assert site.requests["/xxgk/index_1.html"] == 1
    assert site.requests["/xxgk/list.jsp?page=4"] == 1
    assert site.requests["/robots.txt"] == 1


def test_nothing_leaves_the_site_and_robots_txt_is_obeyed(
    crawled: tuple[PortalServer, PortalServer, Path],
) -> None:
    site, other, mirror = crawled
    assert other.total() == 0  # neither its link nor the redirect to it was followed
    assert set(site.hosts) == {f"127.0.0.1:{site.port}"}  # the localhost alias is another site
    assert "/xxgk/internal/secret.html" not in site.requests
    assert "/other/outside.html" not in site.requests  # same site, outside the section
    assert not any(path.endswith(".xls") for path in site.requests)  # attachments are only recorded
    assert site.user_agents == {
        "compliance-audit/" + _version() + " (government information disclosure audit; obeys robots.txt)"
    }
    files = {entry["file"] for entry in read_log(mirror) if entry["kind"] == "page"}
    assert all(file.startswith(f"127.0.0.1_{site.port}/xxgk/") for file in files)


def test_the_summary_reports_skips_errors_robots_and_dead_links(
    crawled: tuple[PortalServer, PortalServer, Path],
) -> None:
    site, _, mirror = crawled
    from compliance_audit.harvest.crawl.summary import summarise

    base = site.url
    assert summarise(mirror).lines() == [
        "抓取页面 10 个；附件链接 1 个（下载 0 个）。",
        "未抓取的链接 4 个：站外链接 2；栏目范围外的本站链接（可用 --allow 纳入） 2。",
        f"robots.txt 禁止抓取 1 个：{base}/xxgk/internal/secret.html。",
        "HTTP 错误 4 个：HTTP 404 3；HTTP 500 1。",
        "抓取失败 3 个：重定向到站外（未跟随） 1；重定向循环 1；超时 1。",
        f"站内死链 3 个：{base}/xxgk/missing.html（链接自 {base}/xxgk/index.html）；"
        f"{base}/xxgk/ndbg/（链接自 {base}/xxgk/202303/t20230301_1004.html）；"
        f"{base}/xxgk/zcwj/（链接自 {base}/xxgk/202301/t20230110_1001.html）。",
    ]


def test_a_crawl_gives_the_same_inventory_as_the_same_site_saved_to_a_folder(
    crawled: tuple[PortalServer, PortalServer, Path],
) -> None:
    site, _, mirror = crawled
    live = harvest(mirror)
    saved = harvest(PORTAL, base_url=site.url)
    assert live.summary.items == saved.summary.items == len(ARTICLES)
    assert [_without_mirror_file(item) for item in live.items] == [
        _without_mirror_file(item) for item in saved.items
    ]
    assert live.fields == saved.fields
    assert {item.mirror_file for item in live.items} == {f"127.0.0.1_{site.port}{path}" for path in ARTICLES}
    assert {item.url for item in live.items} == {site.url + path for path in ARTICLES}


def test_harvest_url_writes_the_inventory_and_keeps_the_mirror(tmp_path: Path) -> None:
    output, mirror = tmp_path / "清单.yaml", tmp_path / "镜像"
    with portal() as (site, _):
        result = run_cli(
            "harvest", site.url + START, "-o", output, "--mirror", mirror, "--bureau-name", BUREAU,
            "--delay", "0", "--timeout", "1",
        )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "抓取页面 10 个；附件链接 1 个（下载 0 个）。"
    assert "读取文件 10 个，其中页面 10 个；收录信息 5 条。" in lines
    document = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert document["bureau"]["name"] == BUREAU
    assert {item["url"] for item in document["items"]} == {site.url + path for path in ARTICLES}
    assert (mirror / f"127.0.0.1_{site.port}" / "xxgk" / "202301" / "t20230110_1001.html").is_file()
    assert not (crawl_dir(mirror) / "job").exists()  # finished: nothing to resume


def test_a_temporary_mirror_is_removed_and_a_foreign_folder_is_refused(tmp_path: Path) -> None:
    before = set(Path(os.environ.get("TMPDIR", "/tmp")).glob("compliance-audit-mirror-*"))
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "草稿.txt").write_text("机关自己的文件", encoding="utf-8")
    with portal() as (site, _):
        result = run_cli(
            "harvest", site.url + START, "-o", tmp_path / "清单.csv", "--bureau-name", BUREAU, "--delay", "0",
            "--timeout", "1",
        )  # fmt: skip
        refused = run_cli(
            "harvest",
            site.url + START,
            "-o",
            tmp_path / "b.yaml",
            "--mirror",
            foreign,
            "--bureau-name",
            BUREAU,
        )
    assert result.exit_code == 0, result.stderr
    assert set(Path(os.environ.get("TMPDIR", "/tmp")).glob("compliance-audit-mirror-*")) == before
    assert refused.exit_code == 2
    assert "目录已存在且不是 compliance-audit 抓取的镜像" in refused.stderr
    assert (foreign / "草稿.txt").read_text(encoding="utf-8") == "机关自己的文件"


def test_limits_on_pages_and_depth(tmp_path: Path) -> None:
    with portal() as (site, _):
        limited = crawl(tmp_path / "pages", _config(site, max_pages=2))
    assert limited.summary.pages == 2 and limited.summary.stopped == "page-limit"
    assert "已停止抓取：达到页面数上限。" in limited.summary.lines()
    with portal() as (site, _):
        shallow = crawl(tmp_path / "depth", _config(site, max_depth=0))
    # Depth 0: the start page and the list pages its pager leads to (pagination does not count),
    # none of the articles they link to.
    assert set(site.requests) == {
        "/robots.txt",
        START,
        "/xxgk/index_1.html",
        "/xxgk/index_2.html",
        "/xxgk/list.jsp?page=4",
    }
    assert shallow.summary.pages == 4
    assert shallow.summary.skipped["depth"] == 12


def test_interrupt_and_rerun_continues_where_it_stopped(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the command) stops the crawl cleanly with code 130; the same command again
    fetches only what is left and ends with the full inventory."""
    output, mirror = tmp_path / "清单.yaml", tmp_path / "mirror"
    with portal(latency=0.3) as (site, _):
        command = [
            sys.executable, "-m", "compliance_audit", "harvest", site.url + START, "-o", str(output),
            "--mirror", str(mirror), "--bureau-name", BUREAU, "--delay", "0", "--timeout", "1",
        ]  # fmt: skip
        first = subprocess.Popen(command, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while site.total() < 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        first.send_signal(signal.SIGINT)
        _, first_err = first.communicate(timeout=60)
        fetched_first, written_first = dict(site.requests), output.exists()
        second = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120
        )
    assert first.returncode == 130, first_err
    assert f"再次运行同一命令并加 --mirror {mirror} 即从中断处继续" in first_err
    assert not written_first
    assert second.returncode == 0, second.stderr
    assert second.stderr.startswith(f"继续 {mirror} 中未完成的抓取。\n")
    items = yaml.safe_load(output.read_text(encoding="utf-8"))["items"]
    assert {item["url"] for item in items} == {site.url + path for path in ARTICLES}
    # Each article fetched once over both runs, but for requests in flight at the interruption
    # (at most two at a time), which are asked again.
    again = sum(count - 1 for path, count in site.requests.items() if path in ARTICLES and count > 1)
    assert again <= 2
    assert sum(fetched_first.values()) < sum(site.requests.values())


def test_a_finished_mirror_is_crawled_afresh_and_pages_gone_from_the_site_leave_it(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    with portal() as (site, _):
        crawl(mirror, _config(site))
        site.routes["/xxgk/202304/t20230405_1005.html"] = lambda server: Reply(404, b"gone")
        again = crawl(mirror, _config(site))
    assert again.summary.pages == 9
    assert not any("t20230405_1005" in str(path) for path in mirror.rglob("*.html"))
    assert len(harvest(mirror).items) == len(ARTICLES) - 1


def test_a_site_whose_robots_txt_disallows_everything_gives_no_inventory(tmp_path: Path) -> None:
    with PortalServer(
        PORTAL, routes={"/robots.txt": lambda s: Reply(200, b"User-agent: *\nDisallow: /\n")}
    ) as site:
        result = run_cli(
            "harvest", site.url + START, "-o", tmp_path / "清单.yaml", "--bureau-name", BUREAU, "--delay", "0"
        )
        assert set(site.requests) == {"/robots.txt"}
    assert result.exit_code == 2
    assert f"robots.txt 禁止抓取 1 个：{site.url}{START}。" in result.stderr
    assert "没有找到可收录的信息页面" in result.stderr


def test_bad_crawl_options_are_bad_input(tmp_path: Path) -> None:
    bad_url = run_cli("harvest", "http://", "-o", tmp_path / "a.yaml", "--bureau-name", BUREAU)
    assert bad_url.exit_code == 2 and "网址“http://”无法识别" in bad_url.stderr
    bad_pattern = run_cli(
        "harvest",
        "http://127.0.0.1:9/xxgk/",
        "-o",
        tmp_path / "a.yaml",
        "--bureau-name",
        BUREAU,
        "--allow",
        "([",
    )
    assert bad_pattern.exit_code == 2 and "--allow 的正则表达式“([”有误" in bad_pattern.stderr
    mirror_for_folder = run_cli(
        "harvest", PORTAL, "-o", tmp_path / "a.yaml", "--bureau-name", BUREAU, "--mirror", tmp_path
    )
    assert mirror_for_folder.exit_code == 2 and "--mirror 只用于抓取网址" in mirror_for_folder.stderr


def test_audit_url_harvests_on_the_fly(tmp_path: Path) -> None:
    with portal() as (site, _):
        result = run_cli(
            "audit", site.url + START, "--bureau-name", BUREAU, "--sector", "justice",
            "--as-of", "2023-06-30", "--format", "json", "--delay", "0", "--timeout", "1",
            "--mirror", tmp_path / "mirror",
        )  # fmt: skip
    assert result.exit_code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["inventory"]["items"] == len(ARTICLES)
    assert (tmp_path / "mirror" / ".crawl" / "log.jsonl").is_file()
    # the body was harvested too: the telephone number in the TRS article is found
    assert any(finding["kind"] == "personal-data" for finding in report["findings"])


def _version() -> str:
    from compliance_audit import __version__

    return __version__


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_on_a_terminal(tmp_path: Path) -> None:
    import pty

    with portal() as (site, _):
        controller, terminal = pty.openpty()
        command = [
            sys.executable, "-m", "compliance_audit", "harvest", site.url + START,
            "-o", str(tmp_path / "a.yaml"), "--bureau-name", BUREAU, "--delay", "0", "--timeout", "1",
        ]  # fmt: skip
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal
        )
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closes when the command ends
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(controller)
        assert process.wait(timeout=60) == 0
    shown = b"".join(chunks).decode("utf-8")
    assert "\r抓取页面 10 个，发现信息 5 条，错误 " in shown
    assert "收录信息 5 条" in shown and "站内死链 3 个" in shown
