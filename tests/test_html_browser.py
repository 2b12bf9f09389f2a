"""The HTML summary as a person sees it: Debian's headless Chromium (driven by Playwright, never a
downloaded browser) opens the file with the network cut off; no request leaves the file, no console
error, tables sort and filter, hostile titles show as text, and a screenshot is kept for review.

Never skipped: `make test` installs chromium and fonts-noto-cjk where they are missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from tests.helpers import AS_OF, copy_examples, run_cli

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
HOSTILE_BUREAU = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">司法局'
HOSTILE_TITLE = '关于<script>window.__pwned = 3</script>的通知<img src=x onerror="window.__pwned = 4">'


@pytest.fixture(scope="module")
def summary_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("html")
    manifest = copy_examples(base)
    qinzhou = manifest.parent.parent / "qinzhou-justice" / "inventory.yaml"
    hostile = manifest.parent / "hostile.yaml"
    shutil.copy(qinzhou, hostile)
    with hostile.open("a", encoding="utf-8") as handle:
        escaped = HOSTILE_TITLE.replace('"', '\\"')
        handle.write(
            f'  - {{index_no: 20230618-164605-999, title: "{escaped}", topic: 综合政务, publisher: 区司法局,'
            " formed: 2021-03-01, published: 2021-03-02, column: 通知公告}\n"
        )
    with manifest.open("a", encoding="utf-8") as handle:
        escaped = HOSTILE_BUREAU.replace('"', '\\"')
        handle.write(f'  - name: "{escaped}"\n    inventory: hostile.yaml\n')
    out = base / "out"
    result = run_cli("batch", manifest, "-o", out, "--as-of", AS_OF, "-j", "2", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    return out / "汇总.html"


class Watched:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "make test installs Debian's chromium (apt-get install chromium fonts-noto-cjk)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[tuple[Page, Watched]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, offline=True, locale="zh-CN")
    watched = Watched()

    def only_local(route: Route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            watched.blocked.append(url)
            route.abort()

    context.route("**/*", only_local)
    opened = context.new_page()
    opened.on("request", lambda request: watched.requests.append(request.url))
    opened.on(
        "console", lambda message: watched.errors.append(message.text) if message.type == "error" else None
    )
    opened.on("pageerror", lambda error: watched.errors.append(str(error)))

    def refuse(dialog: object) -> None:
        watched.dialogs.append(str(dialog))

    opened.on("dialog", refuse)
    yield opened, watched
    context.close()


def _column(page: Page, table: str, index: int) -> list[str]:
    values: list[str] = page.eval_on_selector_all(
        f"#{table} tbody tr:not([hidden])",
        "(rows, i) => rows.map(r => r.cells[i].getAttribute('data-sort') ?? r.cells[i].textContent.trim())",
        index,
    )
    return values


def test_the_page_works_offline_and_looks_right(
    summary_page: Path, page: tuple[Page, Watched], tmp_path: Path
) -> None:
    tab, watched = page
    tab.goto(summary_page.as_uri())
    tab.wait_for_load_state("load")
    assert tab.title() == "天水市司法系统政务公开检查（2021年第一季度）"
    assert all(url.startswith(("file:", "data:")) for url in watched.requests), watched.requests
    assert watched.blocked == []
    assert watched.errors == []
    # the CJK font is there, so the Chinese is drawn, not boxes
    assert tab.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '政务公开')")
    assert tab.locator("svg rect").count() > 10  # the charts are drawn
    heat = tab.locator("#heatmap td.s-missing").first
    assert heat.evaluate("cell => getComputedStyle(cell).backgroundColor") == "rgb(255, 199, 206)"
    shot = tmp_path / "汇总.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000


def test_hostile_names_and_titles_show_as_text(summary_page: Path, page: tuple[Page, Watched]) -> None:
    tab, watched = page
    tab.goto(summary_page.as_uri())
    cell = tab.locator("#ranking-table td.name", has_text="onerror")
    assert cell.inner_text() == HOSTILE_BUREAU
    cell.locator("a").click()
    section = tab.locator("details.bureau[open]")
    expect(section).to_have_count(1)  # the section opens on hashchange, which comes after the click
    assert HOSTILE_TITLE in section.inner_text()
    assert tab.locator("img").count() == 0
    assert tab.evaluate("window.__pwned") is None
    assert watched.dialogs == [] and watched.errors == []


def test_tables_sort_by_a_clicked_column(summary_page: Path, page: tuple[Page, Watched]) -> None:
    tab, watched = page
    tab.goto(summary_page.as_uri())
    header = tab.locator("#ranking-table th", has_text="得分")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    scores = [float(value) for value in _column(tab, "ranking-table", 3)]
    assert scores == sorted(scores) and scores[0] == -1  # the bureau that could not be audited first
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    descending = [float(value) for value in _column(tab, "ranking-table", 3)]
    assert descending == sorted(scores, reverse=True)
    names = tab.locator("#ranking-table th", has_text="机关")
    names.click()
    ordered = _column(tab, "ranking-table", 1)
    assert ordered == tab.evaluate("list => [...list].sort((a, b) => a.localeCompare(b, 'zh-CN'))", ordered)
    assert watched.errors == []


def test_tables_filter_as_one_types(summary_page: Path, page: tuple[Page, Watched]) -> None:
    tab, watched = page
    tab.goto(summary_page.as_uri())
    total = tab.locator("#ranking-table tbody tr").count()
    tab.fill("#filter-ranking", "甘谷")
    assert _column(tab, "ranking-table", 1) == ["甘谷县司法局"]
    assert tab.inner_text('[data-count-for="ranking-table"]') == f"显示 1 / {total}"
    tab.fill("#filter-ranking", "")
    assert len(_column(tab, "ranking-table", 1)) == total
    # a bureau's own findings: open its section from the ranking, keep only what is late
    tab.locator("#ranking-table a", has_text="天水市秦州区司法局").click()
    section = tab.locator("details.bureau[open]")
    table_id = section.locator("table.findings").get_attribute("id")
    assert table_id
    section.locator("input[type=search]").fill("逾期公开")
    kinds = _column(tab, table_id, 1)
    assert kinds and set(kinds) == {"逾期公开"}
    section.screenshot(path=str(summary_page.parent / "秦州区.png"))
    assert watched.errors == []
