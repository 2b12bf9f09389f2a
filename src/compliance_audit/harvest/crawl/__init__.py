"""Crawl a live portal section into a mirror folder, politely, with Scrapy.

The crawl runs in a process of its own (python -m compliance_audit.harvest.crawl MIRROR): Scrapy
runs on Twisted, whose reactor can be started once per process, and a process of its own keeps the
command line's process free of Twisted's signal handling and logging. The command line waits for it,
passes Ctrl-C on (Scrapy then stops cleanly and keeps its queue in MIRROR/.crawl/job), and reads the
outcome from the mirror. Running the same command again continues where the crawl stopped.

The mirror is then read by the one page reader (compliance_audit.harvest), exactly as a saved copy
of a site is, so a live audit can be repeated offline from the mirror.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from compliance_audit import __version__
from compliance_audit.errors import InputError
from compliance_audit.harvest.crawl.mirror import (
    CONFIG_NAME,
    JOB_NAME,
    STATE_NAME,
    crawl_dir,
    read_log,
)
from compliance_audit.harvest.crawl.scope import Scope
from compliance_audit.harvest.crawl.summary import CrawlSummary, summarise

__all__ = ["CrawlConfig", "CrawlOutcome", "crawl", "is_url", "prepare_mirror", "user_agent"]

# Defaults for a government server: a couple of requests at a time, a pause between them, and
# bounds a county portal section stays well inside.
DEFAULT_MAX_PAGES = 5000
DEFAULT_MAX_DEPTH = 10
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
DEFAULT_DELAY = 1.0
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2
REQUESTS_PER_SITE = 2
INTERRUPTED_EXIT = 130  # the shell's code for a command stopped by Ctrl-C


def user_agent() -> str:
    return f"compliance-audit/{__version__} (government information disclosure audit; obeys robots.txt)"


def is_url(argument: str) -> bool:
    return argument.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class CrawlConfig:
    start_url: str
    allow: tuple[str, ...] = ()
    max_pages: int = DEFAULT_MAX_PAGES
    max_depth: int = DEFAULT_MAX_DEPTH
    max_bytes: int = DEFAULT_MAX_BYTES
    delay: float = DEFAULT_DELAY
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    attachments: bool = False
    progress: bool = False  # a live status line on stderr (a terminal)

    def __post_init__(self) -> None:
        Scope.of(self.start_url, self.allow)  # a bad address or pattern is bad input, now
        for name, least in (("max_pages", 1), ("max_depth", 0), ("max_bytes", 1)):
            if getattr(self, name) < least:
                raise InputError(f"不能小于 {least}", field="--" + name.replace("_", "-"))
        if self.delay < 0 or self.timeout <= 0 or self.retries < 0:
            raise InputError("抓取间隔、超时和重试次数不能为负", field="--delay/--timeout")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CrawlConfig:
        return cls(**{**data, "allow": tuple(data.get("allow", ()))})


@dataclass
class CrawlOutcome:
    mirror: Path
    interrupted: bool
    resumed: bool
    summary: CrawlSummary = field(default_factory=CrawlSummary)


def prepare_mirror(mirror: Path, config: CrawlConfig) -> bool:
    """Make the mirror folder ready; True when an interrupted crawl of the same address is resumed.

    A folder that holds anything but an earlier crawl is refused (it would be mixed into the
    inventory). The pages of an earlier, finished crawl are removed, so that pages the portal has
    since taken down do not stay in the inventory; its HTTP cache is kept, so unchanged pages are
    answered by the server with 304 Not Modified.
    """
    if mirror.exists() and not mirror.is_dir():
        raise InputError("不是目录", file=mirror, expected="镜像目录（新目录，或之前抓取写出的目录）")
    crawl = crawl_dir(mirror)
    if mirror.is_dir() and not crawl.is_dir() and any(mirror.iterdir()):
        raise InputError(
            "目录已存在且不是 compliance-audit 抓取的镜像，不会写入",
            file=mirror,
            expected="新目录、空目录，或之前用 --mirror 写出的镜像目录",
        )
    if (crawl / JOB_NAME).is_dir():
        previous = _read_json(crawl / CONFIG_NAME).get("start_url")
        if previous != config.start_url:
            raise InputError(
                f"镜像目录中有另一网址（{previous}）未完成的抓取",
                file=mirror,
                expected="同一网址继续抓取，或另选镜像目录",
            )
        return True
    if crawl.is_dir():
        _remove_earlier_pages(mirror)
    crawl.mkdir(parents=True, exist_ok=True)
    return False


def _remove_earlier_pages(mirror: Path) -> None:
    root = os.path.realpath(mirror)
    for entry in read_log(mirror):
        relative = entry.get("file")
        if not isinstance(relative, str):
            continue
        path = os.path.realpath(os.path.join(root, *relative.split("/")))
        if os.path.commonpath([root, path]) == root and os.path.isfile(path):
            os.remove(path)
    for name in ("log.jsonl", STATE_NAME, "inflight.json"):
        (crawl_dir(mirror) / name).unlink(missing_ok=True)


_WAIT_STEP_SECONDS = 0.2


def crawl(mirror: Path, config: CrawlConfig) -> CrawlOutcome:
    """Crawl into mirror (resuming an interrupted crawl of the same address) and wait for it."""
    resumed = prepare_mirror(mirror, config)
    (crawl_dir(mirror) / CONFIG_NAME).write_text(
        json.dumps(asdict(config), ensure_ascii=False), encoding="utf-8"
    )
    (crawl_dir(mirror) / STATE_NAME).unlink(missing_ok=True)
    command = [sys.executable, "-m", "compliance_audit.harvest.crawl", str(mirror)]
    # A session of its own: Ctrl-C reaches this process only, which passes exactly one SIGINT on
    # per Ctrl-C (Scrapy stops cleanly on the first and at once on the second).
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
    interrupted = False
    while True:
        try:
            # waited for in short steps: Ctrl-C may be delivered to another thread of this process
            # (the columnar library's workers), and a wait in one system call would not see it
            process.wait(timeout=_WAIT_STEP_SECONDS)
            break
        except subprocess.TimeoutExpired:
            continue
        except KeyboardInterrupt:
            interrupted = True
            process.send_signal(signal.SIGINT)
    state = _read_json(crawl_dir(mirror) / STATE_NAME)
    reason = state.get("reason")
    if reason is None:
        log = crawl_dir(mirror) / "crawl.log"
        raise RuntimeError(f"the crawl process ended without a result (exit {process.returncode}); see {log}")
    if interrupted or reason == "shutdown":
        return CrawlOutcome(mirror, interrupted=True, resumed=resumed, summary=summarise(mirror))
    shutil.rmtree(crawl_dir(mirror) / JOB_NAME, ignore_errors=True)
    return CrawlOutcome(mirror, interrupted=False, resumed=resumed, summary=summarise(mirror))


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
