"""What a crawl did, read back from its log (so a crawl that was interrupted and resumed is
summarised as one): pages kept, links left alone and why, HTTP errors by status, robots.txt
exclusions, dead internal links."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from compliance_audit.harvest.crawl.mirror import read_log

# Why a link was not fetched (log "skip" reasons) and why a fetch failed (log "error" reasons).
SKIP_REASONS = {
    "outside": "栏目范围外的本站链接（可用 --allow 纳入）",
    "offsite": "站外链接",
    "depth": "超出链接深度",
    "page-limit": "达到页面数上限后未抓取",
    "byte-limit": "达到下载量上限后未抓取",
}
ERROR_REASONS = {
    "timeout": "超时",
    "connect": "无法连接",
    "redirect-loop": "重定向循环",
    "redirects": "重定向次数过多",
    "offsite-redirect": "重定向到站外（未跟随）",
    "too-large": "页面过大",
    "other": "其他错误",
}
DEAD_STATUSES = frozenset({404, 410})
_EXAMPLES = 5


@dataclass
class CrawlSummary:
    pages: int = 0
    attachments: int = 0  # recorded (linked from a page)
    downloaded: int = 0  # of which fetched, when asked
    skipped: Counter[str] = field(default_factory=Counter)
    http_errors: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    robots: list[str] = field(default_factory=list)  # addresses robots.txt kept the crawler from
    dead_links: list[tuple[str, str]] = field(default_factory=list)  # (address, the page linking to it)
    stopped: str = ""  # why the crawl stopped early: page-limit, byte-limit

    def lines(self) -> list[str]:
        lines = [f"抓取页面 {self.pages} 个；附件链接 {self.attachments} 个（下载 {self.downloaded} 个）。"]
        if self.stopped:
            lines.append(f"已停止抓取：{SKIP_REASONS[self.stopped].removesuffix('后未抓取')}。")
        if self.skipped:
            reasons = "；".join(f"{SKIP_REASONS[reason]} {count}" for reason, count in _ordered(self.skipped))
            lines.append(f"未抓取的链接 {sum(self.skipped.values())} 个：{reasons}。")
        if self.robots:
            examples = "、".join(self.robots[:_EXAMPLES]) + ("等" if len(self.robots) > _EXAMPLES else "")
            lines.append(f"robots.txt 禁止抓取 {len(self.robots)} 个：{examples}。")
        if self.http_errors:
            statuses = "；".join(
                f"HTTP {status} {count}" for status, count in sorted(self.http_errors.items())
            )
            lines.append(f"HTTP 错误 {sum(self.http_errors.values())} 个：{statuses}。")
        if self.errors:
            reasons = "；".join(f"{ERROR_REASONS[reason]} {count}" for reason, count in _ordered(self.errors))
            lines.append(f"抓取失败 {sum(self.errors.values())} 个：{reasons}。")
        if self.dead_links:
            shown = "；".join(
                f"{url}（链接自 {referer or '起始网址'}）" for url, referer in self.dead_links[:_EXAMPLES]
            )
            more = "等" if len(self.dead_links) > _EXAMPLES else ""
            lines.append(f"站内死链 {len(self.dead_links)} 个：{shown}{more}。")
        return lines


def summarise(mirror: Path) -> CrawlSummary:
    summary = CrawlSummary()
    seen: set[tuple[str, str]] = set()  # (kind, address): a resumed crawl may log an address twice
    for entry in read_log(mirror):
        kind, url = str(entry.get("kind", "")), str(entry.get("url", ""))
        if (kind, url) in seen or kind == "state":
            continue
        seen.add((kind, url))
        reason = str(entry.get("reason", ""))
        if kind == "page":
            summary.pages += 1
        elif kind == "attachment":
            summary.attachments += 1
            summary.downloaded += 1 if entry.get("file") else 0
        elif kind == "skip" and reason in SKIP_REASONS:
            summary.skipped[reason] += 1
        elif kind == "robots":
            summary.robots.append(url)
        elif kind == "error" and reason == "http" and isinstance(entry.get("status"), int):
            status: int = entry["status"]
            summary.http_errors[status] += 1
            if status in DEAD_STATUSES:
                summary.dead_links.append((url, str(entry.get("referer") or "")))
        elif kind == "error":
            summary.errors[reason if reason in ERROR_REASONS else "other"] += 1
        elif kind == "stop" and reason in SKIP_REASONS:
            summary.stopped = reason
    # Requests run two at a time, so the log's order is not the site's: report in address order.
    summary.robots.sort()
    summary.dead_links.sort()
    return summary


def _ordered(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda entry: (-entry[1], entry[0]))
