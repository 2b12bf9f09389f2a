"""The Scrapy side of a crawl: the spider, two small downloader middlewares (no request leaves the
allowed hosts, a redirect loop stops at once), the polite settings, and the process entry point.

Scrapy gives what a government server deserves and a hand-written loop would get wrong: robots.txt
(Protego), a per-site concurrency limit, AutoThrottle on top of a fixed delay, retries of 5xx and
timeouts, an HTTP cache that revalidates, and a job directory that makes a crawl resumable.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.exceptions import (
    CannotResolveHostError,
    CloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response, TextResponse
from scrapy.utils.response import get_base_url
from twisted.internet.defer import CancelledError
from twisted.internet.error import ConnectError, DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from compliance_audit.harvest import classify_page
from compliance_audit.harvest.crawl import REQUESTS_PER_SITE, CrawlConfig, user_agent
from compliance_audit.harvest.crawl.mirror import (
    CACHE_NAME,
    CONFIG_NAME,
    JOB_NAME,
    SCRAPY_LOG_NAME,
    STATE_NAME,
    MirrorWriter,
    crawl_dir,
    read_log,
)
from compliance_audit.harvest.crawl.scope import Scope, absolute, is_pagination, record_links, script_pages
from compliance_audit.harvest.pages import MAX_PAGE_BYTES

ROBOTS_MESSAGE = "Forbidden by robots.txt"  # what Scrapy's RobotsTxtMiddleware raises
OFFSITE_MESSAGE = "compliance-audit: address outside the allowed hosts"
LOOP_MESSAGE = "compliance-audit: redirect loop"
INFLIGHT_NAME = "inflight.json"
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_PAGE_TYPES = ("text/html", "application/xhtml+xml")


def scrapy_settings(config: CrawlConfig, mirror: Path) -> dict[str, Any]:
    crawl = crawl_dir(mirror)
    return {
        "BOT_NAME": "compliance-audit",
        "USER_AGENT": user_agent(),
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": "compliance-audit",
        "CONCURRENT_REQUESTS": REQUESTS_PER_SITE,
        "CONCURRENT_REQUESTS_PER_DOMAIN": REQUESTS_PER_SITE,
        "DOWNLOAD_DELAY": config.delay,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": max(config.delay, 1.0) if config.delay else 0.0,
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_TIMEOUT": config.timeout,
        "RETRY_ENABLED": config.retries > 0,
        "RETRY_TIMES": config.retries,
        "REDIRECT_MAX_TIMES": 5,
        "DOWNLOAD_MAXSIZE": MAX_PAGE_BYTES,
        "DOWNLOAD_WARNSIZE": 0,
        "HTTPERROR_ALLOW_ALL": True,  # 404 and 500 reach the spider, which records them
        "HTTPCACHE_ENABLED": True,
        "HTTPCACHE_DIR": str(crawl / CACHE_NAME),
        "HTTPCACHE_POLICY": "scrapy.extensions.httpcache.RFC2616Policy",
        "HTTPCACHE_GZIP": True,
        "JOBDIR": str(crawl / JOB_NAME),
        # Breadth first: the list pages of a section before the pages they link to.
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "DOWNLOADER_MIDDLEWARES": {f"{__name__}.HostGuard": 40, f"{__name__}.RedirectGuard": 650},
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "MEMUSAGE_ENABLED": False,
        "LOG_FILE": str(crawl / SCRAPY_LOG_NAME),
        "LOG_LEVEL": "INFO",
        "LOG_INSTALL_ROOT_HANDLER": True,
    }


class HostGuard:
    """No request, robots.txt fetches and meta refreshes included, goes to a host outside the crawl."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostGuard:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        if isinstance(spider, PortalSpider) and not spider.scope.host_allowed(request.url):
            raise IgnoreRequest(OFFSITE_MESSAGE)


class RedirectGuard:
    """Sees a redirect before Scrapy follows it: one to another site, or back to an address of the
    same chain, ends there (the duplicate filter would otherwise drop the loop without a word)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuard:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        spider = self.crawler.spider
        if response.status not in _REDIRECT_STATUSES or not location or not isinstance(spider, PortalSpider):
            return response
        target = absolute(request.url, location.decode("latin-1"))
        if target is None:
            return response
        if not spider.scope.host_allowed(target):
            raise IgnoreRequest(OFFSITE_MESSAGE)
        if target in (*request.meta.get("redirect_urls", ()), request.url):
            raise IgnoreRequest(LOOP_MESSAGE)
        return response


class PortalSpider(Spider):
    name = "compliance-audit"

    def __init__(self, config: CrawlConfig, mirror: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config
        self.mirror = mirror
        self.scope = Scope.of(config.start_url, config.allow, config.attachments)
        self.writer = MirrorWriter(mirror)
        self.pages = self.items = self.errors = self.bytes = 0
        for entry in read_log(mirror):  # an interrupted crawl goes on counting
            kind = entry.get("kind")
            self.pages += kind == "page"
            self.items += kind == "page" and bool(entry.get("item"))
            self.errors += kind == "error"
            self.bytes += int(entry.get("bytes", 0)) if kind in ("page", "attachment") else 0
        self.noted: set[tuple[str, str]] = set()  # (kind, address) logged in this run
        # Requests handed to the downloader and not back yet: a crawl stopped now loses them from
        # Scrapy's queue, so they are kept in .crawl/inflight.json and asked again on resume.
        self.in_flight: dict[str, dict[str, Any]] = {}
        self.stopping = False
        self._shown = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        spider: PortalSpider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(spider._left, signal=signals.request_left_downloader)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        inflight = crawl_dir(self.mirror) / INFLIGHT_NAME
        try:
            earlier: dict[str, dict[str, Any]] = json.loads(inflight.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            earlier = {}
        for url, meta in earlier.items():
            yield self._request(url, int(meta.get("hops", 0)), str(meta.get("referer", "")), again=True)
        yield self._request(self.config.start_url, 0, "")

    def _request(self, url: str, hops: int, referer: str, *, again: bool = False) -> Request:
        return Request(
            url,
            callback=self.parse,
            errback=self.failed,
            meta={"hops": hops, "referer": referer, "page": True},
            dont_filter=again,
        )

    def _reached(self, request: Request) -> None:
        if request.meta.get("page"):
            self.in_flight[request.url] = {"hops": request.meta["hops"], "referer": request.meta["referer"]}

    def _left(self, request: Request) -> None:
        self.in_flight.pop(request.url, None)

    def parse(self, response: Response) -> Iterator[Request]:
        if self.stopping:
            return
        referer = str(response.meta.get("referer", ""))
        self.bytes += len(response.body)
        if response.status >= 400:
            self._error(response.url, "http", referer, status=response.status)
            return
        kind = _page_kind(response)
        if kind is None:  # a file served without a telling name: an attachment
            self._attachment(response.url, "", referer, response)
            return
        relative = self.writer.save(response.url, response.body, kind)
        charset = _header_charset(response)
        item = classify_page(self.mirror, relative, response.url, charset)
        self.pages += 1
        self.items += item
        self.writer.log(
            "page",
            url=response.url,
            file=relative,
            status=response.status,
            charset=charset,
            referer=referer,
            bytes=len(response.body),
            item=item,
        )
        self._progress()
        if self.pages >= self.config.max_pages:
            self._stop("page-limit")
        if self.bytes >= self.config.max_bytes:
            self._stop("byte-limit")
        if kind == "html" and isinstance(response, TextResponse):
            yield from self._follow(response)

    def _follow(self, response: TextResponse) -> Iterator[Request]:
        base = get_base_url(response)
        hops = int(response.meta.get("hops", 0))
        links: list[tuple[str, str, bool]] = []  # (href, link text, known to be a list page)
        for anchor in response.xpath("//a[@href] | //area[@href]"):
            links.append(
                (anchor.attrib["href"], anchor.xpath("normalize-space(string())").get() or "", False)
            )
        links.extend((src, "", False) for src in response.xpath("//iframe/@src | //frame/@src").getall())
        links.extend((href, "", False) for href in record_links(response.text))
        links.extend(
            (url, "", True) for url in script_pages(response.url, response.text, self.config.max_pages)
        )
        seen: set[str] = set()
        for href, text, listing in links:
            url = absolute(base, href)
            if url is None or url in seen:
                continue
            seen.add(url)
            verdict = self.scope.classify(url)
            if verdict == "page":
                depth = hops if listing or is_pagination(url, text) else hops + 1
                if depth > self.config.max_depth:
                    self._note("skip", url, reason="depth", referer=response.url)
                else:
                    yield self._request(url, depth, response.url)
            elif verdict == "attachment":
                if self.config.attachments:
                    yield Request(
                        url,
                        callback=self._save_attachment,
                        errback=self.failed,
                        meta={"referer": response.url, "text": text},
                    )
                else:
                    self._note("attachment", url, text=text, referer=response.url)
            elif verdict in ("outside", "offsite"):
                self._note("skip", url, reason=verdict, referer=response.url)

    def _save_attachment(self, response: Response) -> None:
        referer = str(response.meta.get("referer", ""))
        if response.status >= 400:
            self._error(response.url, "http", referer, status=response.status)
            return
        self._attachment(response.url, str(response.meta.get("text", "")), referer, response)

    def _attachment(self, url: str, text: str, referer: str, response: Response) -> None:
        fields: dict[str, Any] = {"text": text, "referer": referer, "type": _content_type(response)}
        if self.config.attachments:
            fields["file"] = self.writer.save(url, response.body, "file")
            fields["bytes"] = len(response.body)
        self._note("attachment", url, **fields)

    def failed(self, failure: Failure) -> None:
        request: Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy
        referer = str(request.meta.get("referer", ""))
        error = failure.value
        message = str(error)
        if isinstance(error, IgnoreRequest):
            if message == ROBOTS_MESSAGE:
                self._note("robots", request.url, referer=referer)
                return
            reason = {OFFSITE_MESSAGE: "offsite-redirect", LOOP_MESSAGE: "redirect-loop"}.get(message)
            if reason is None:
                reason = "redirects" if "redirections" in message else "other"
        elif isinstance(error, DownloadTimeoutError | TimeoutError | TCPTimedOutError):
            reason = "timeout"
        elif isinstance(
            error, DownloadConnectionRefusedError | CannotResolveHostError | ConnectError | DNSLookupError
        ):
            reason = "connect"
        elif isinstance(error, DownloadCancelledError | CancelledError):
            reason = "too-large"
        else:
            reason = "other"
        self._error(request.url, reason, referer, message=message[:300])

    def _error(self, url: str, reason: str, referer: str, **fields: Any) -> None:
        self.errors += 1
        self.writer.log("error", url=url, reason=reason, referer=referer, **fields)
        self._progress()

    def _note(self, kind: str, url: str, **fields: Any) -> None:
        """Log an address once per run (the same footer link is on every page)."""
        if (kind, url) not in self.noted:
            self.noted.add((kind, url))
            self.writer.log(kind, url=url, **fields)

    def _stop(self, reason: str) -> None:
        self.stopping = True
        self.writer.log("stop", reason=reason)
        raise CloseSpider(reason)

    def _progress(self, final: bool = False) -> None:
        if not self.config.progress:
            return
        now = time.monotonic()
        if not final and now - self._shown < 0.2:
            return
        self._shown = now
        line = f"\r抓取页面 {self.pages} 个，发现信息 {self.items} 条，错误 {self.errors} 个"
        sys.stderr.write(line + ("\n" if final else ""))
        sys.stderr.flush()

    def closed(self, reason: str) -> None:
        self._progress(final=True)
        inflight = self.in_flight if reason == "shutdown" else {}
        (crawl_dir(self.mirror) / INFLIGHT_NAME).write_text(json.dumps(inflight, ensure_ascii=False), "utf-8")
        self.writer.close()
        (crawl_dir(self.mirror) / STATE_NAME).write_text(json.dumps({"reason": reason}), "utf-8")


def _content_type(response: Response) -> str:
    return (response.headers.get(b"Content-Type") or b"").decode("latin-1").strip().lower()


def _page_kind(response: Response) -> str | None:
    """html, text, or None for anything else (PDF, images, downloads)."""
    content_type = _content_type(response)
    if not content_type or content_type.startswith(_PAGE_TYPES):
        return "html"
    if content_type.startswith("text/plain"):
        return "text"
    return None


def _header_charset(response: Response) -> str | None:
    for parameter in _content_type(response).split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.strip() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'")
    return None


def run(mirror: Path) -> None:
    """The crawl process: one crawl into mirror, configured by mirror/.crawl/config.json."""
    config = CrawlConfig.from_json(json.loads((crawl_dir(mirror) / CONFIG_NAME).read_text(encoding="utf-8")))
    logging.captureWarnings(True)  # into the crawl log, not onto the user's terminal
    process = CrawlerProcess(scrapy_settings(config, mirror))
    process.crawl(PortalSpider, config=config, mirror=mirror)
    process.start()
