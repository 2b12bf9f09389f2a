"""Running a batch: every bureau of a manifest audited by a pool of workers, each result written to
disk as soon as it is known, and one summary at the end.

Each worker loads the rules, the catalogues and the calendar once and then audits bureau after
bureau: it writes the bureau's reports (JSON, the table, and a 整改通知 when there is something to
fix) and its details for the summary, and sends back only its summary row and the fingerprints
history records. A bureau that cannot be audited (a file that is not there, a bad date in row 12,
a portal copy with no article page) becomes a row with its message; the batch goes on. Memory is
that of one audit per worker plus one small row per bureau, whatever the number of bureaus.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from compliance_audit import __version__
from compliance_audit.batch.history import History, Mark, marks
from compliance_audit.batch.manifest import Entry, Manifest
from compliance_audit.batch.names import inside
from compliance_audit.errors import InputError
from compliance_audit.findings import SEVERITY_RANK
from compliance_audit.output import write_output, write_output_chunks
from compliance_audit.report.model import Report
from compliance_audit.report.overview import BureauRow, Details, Overview, digest, failed_row

REPORTS_DIR, NOTICES_DIR = "报告", "整改通知"
SUMMARY_XLSX, SUMMARY_HTML = "汇总.xlsx", "汇总.html"


@dataclass(frozen=True)
class Options:
    outdir: Path
    as_of: date
    rules_dir: Path | None = None
    catalogue: str | None = None  # for every bureau that does not name its own
    calendar_file: Path | None = None
    issuer: str = ""
    reply_days: int = 15


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back for one bureau."""

    row: BureauRow
    titles: dict[str, str]
    marks: tuple[Mark, ...]
    worst: str | None  # the most severe finding's severity


@dataclass(frozen=True)
class Progress:
    done: int
    failed: int
    total: int
    elapsed: float  # seconds

    @property
    def remaining(self) -> float | None:
        """Seconds left at the pace so far (None before the first bureau is done)."""
        if not self.done:
            return None
        return self.elapsed / self.done * (self.total - self.done)


@dataclass(frozen=True)
class BatchResult:
    overview: Overview
    worst: list[str | None]  # each audited bureau's most severe finding
    outputs: list[Path]


class Worker:
    """Everything an audit needs that does not depend on the bureau, loaded once."""

    def __init__(self, options: Options, spool: Path) -> None:
        from compliance_audit.ruleset.catalogue import CatalogueLibrary
        from compliance_audit.ruleset.loader import load_rulebook
        from compliance_audit.workcalendar import WorkCalendar

        self.options = options
        self.spool = spool
        self.book = load_rulebook(options.rules_dir)
        self.library = CatalogueLibrary.bundled()
        calendar = WorkCalendar.bundled()
        self.calendar = calendar.with_file(options.calendar_file) if options.calendar_file else calendar

    def audit(self, entry: Entry) -> Outcome:
        source = entry.url or str(entry.source)
        try:
            report = self._report(entry)
            made = digest(report, entry.key, source)
            self._write(entry, report, made.details)
        except InputError as error:
            self._forget(entry)  # no report of an earlier run may pass for this one's
            facts = entry.overrides
            row = failed_row(entry.key, entry.name, source, str(error), facts.region or "", facts.level or "")
            return Outcome(row, {}, (), None)
        return Outcome(made.row, made.titles, marks(report), report.worst_severity())

    def _report(self, entry: Entry) -> Report:
        from compliance_audit.audit import check_sector, run_audit
        from compliance_audit.catalogue_import.own import PortalPages, choose_catalogue
        from compliance_audit.harvest import load_mirror
        from compliance_audit.inventory import load_inventory
        from compliance_audit.workcalendar import WorkCalendar

        source = self._crawled(entry) if entry.kind == "url" else entry.source
        portal = PortalPages(source) if entry.kind in ("portal", "url") else None
        if portal is not None:
            loaded = load_mirror(source, entry.overrides, portal.see)
        else:
            loaded = load_inventory(source, entry.overrides)
        check_sector(loaded.bureau, self.book, self.library)
        catalogue = choose_catalogue(entry.catalogue or self.options.catalogue, loaded, self.library, portal)
        # a fresh calendar view per bureau: which years fell back to weekends is each report's own
        calendar = WorkCalendar(years=self.calendar.years, sources=self.calendar.sources)
        return run_audit(loaded, self.book, catalogue, calendar, self.options.as_of)

    def _crawled(self, entry: Entry) -> Path:
        """Crawl a portal address into its mirror under OUTDIR (continuing an interrupted crawl),
        with the crawler's polite defaults; the mirror is then audited as a saved portal."""
        from compliance_audit.harvest.crawl import CrawlConfig, crawl

        assert entry.url is not None
        mirror = self.options.outdir / entry.source
        mirror.parent.mkdir(parents=True, exist_ok=True)
        outcome = crawl(mirror, CrawlConfig(entry.url))
        if outcome.interrupted:
            raise InputError("抓取被中断", file=mirror, expected="再次运行 batch 即从中断处继续")
        return mirror

    def _write(self, entry: Entry, report: Report, details: Details) -> None:
        from compliance_audit.report.json_report import render_json
        from compliance_audit.report.notice import render_notice
        from compliance_audit.report.table import render_table

        reports = self.options.outdir / REPORTS_DIR
        write_output(inside(reports, entry.key, ".json"), render_json(report))
        write_output(inside(reports, entry.key, ".txt"), render_table(report))
        notice_path = inside(self.options.outdir / NOTICES_DIR, entry.key, ".docx")
        if any(finding.severity != "info" for finding in report.findings):
            notice = render_notice(report, self.options.issuer, self.options.reply_days, self.calendar)
            write_output(notice_path, notice)
        else:
            notice_path.unlink(missing_ok=True)  # nothing to fix now; an earlier notice is stale
        details.dump(inside(self.spool, entry.key, ".json"))

    def _forget(self, entry: Entry) -> None:
        outdir = self.options.outdir
        for folder, suffix in ((REPORTS_DIR, ".json"), (REPORTS_DIR, ".txt"), (NOTICES_DIR, ".docx")):
            inside(outdir / folder, entry.key, suffix).unlink(missing_ok=True)


_worker: Worker | None = None  # the worker of this process (a pool process, or the main one)


def _start_worker(options: Options, spool: Path) -> None:
    global _worker
    _worker = Worker(options, spool)


def _audit_in_worker(entry: Entry) -> Outcome:
    assert _worker is not None, "the pool's initializer starts the worker"
    return _worker.audit(entry)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def outcomes(entries: list[Entry], options: Options, spool: Path, jobs: int) -> Iterator[Outcome]:
    """Each bureau's outcome as soon as it is known (in the order they finish)."""
    jobs = min(jobs, len(entries))
    if jobs <= 1:
        worker = Worker(options, spool)
        for entry in entries:
            yield worker.audit(entry)
        return
    # spawned, not forked: a worker starts clean, whatever the main process holds open
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, context, initializer=_start_worker, initargs=(options, spool)) as pool:
        # a finished future holds its outcome: drop each once it is yielded, or every bureau's
        # findings would stay in memory until the end
        pending = {pool.submit(_audit_in_worker, entry) for entry in entries}
        try:
            for future in as_completed(pending):
                pending.discard(future)
                yield future.result()
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def prepare_outdir(outdir: Path) -> None:
    for folder in (outdir, outdir / REPORTS_DIR, outdir / NOTICES_DIR):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(f"无法创建输出目录：{error.strerror}", file=folder) from None
        if not folder.is_dir():
            raise InputError("输出位置已有同名文件，不是目录", file=folder)


def run_batch(
    manifest: Manifest,
    options: Options,
    *,
    jobs: int,
    history: History | None,
    on_progress: Callable[[Progress, BureauRow], None] | None = None,
) -> BatchResult:
    outdir = options.outdir
    prepare_outdir(outdir)
    title = manifest.title or f"政府信息公开审计汇总（{len(manifest.entries)} 个机关）"
    spool = Path(tempfile.mkdtemp(prefix=".汇总-", dir=outdir))
    try:
        run = history.start_run(options.as_of, "batch", title) if history else 0
        rows: list[BureauRow] = []
        titles: dict[str, str] = {}
        worst: list[str | None] = []
        started = time.monotonic()
        failed = 0
        for outcome in outcomes(manifest.entries, options, spool, jobs):
            row = outcome.row.interned()
            if history is not None:
                changes = history.record(run, row.name, row.score, outcome.marks, row.error)
                row = replace(row, changes=changes, trend=history.trend(row.name) if not row.error else ())
            rows.append(row)
            titles.update(outcome.titles)
            if row.error:
                failed += 1
            else:
                worst.append(outcome.worst)
            if on_progress is not None:
                progress = Progress(len(rows), failed, len(manifest.entries), time.monotonic() - started)
                on_progress(progress, row)

        def details(row: BureauRow) -> Details:
            loaded = Details.load(inside(spool, row.key, ".json"))
            if history is None or row.changes is None or not row.changes.previous:
                return loaded  # a first record: nothing is new or fixed yet
            states = history.states(run, row.name)
            return replace(loaded, fixed=history.fixed(run, row.name), changes=states)

        overview = Overview(title, options.as_of, __version__, rows, titles, details, history is not None)
        from compliance_audit.report.html import overview_html
        from compliance_audit.report.xlsx import overview_xlsx

        write_output(outdir / SUMMARY_XLSX, overview_xlsx(overview))
        write_output_chunks(outdir / SUMMARY_HTML, overview_html(overview))
    finally:
        shutil.rmtree(spool, ignore_errors=True)
    return BatchResult(overview, worst, [outdir / SUMMARY_XLSX, outdir / SUMMARY_HTML])


def fails(result: BatchResult, fail_on: str) -> bool:
    """Exit code 1: a bureau with a finding at or above --fail-on, or a bureau that could not be
    audited (nothing is known to pass); never with --fail-on never."""
    if fail_on == "never":
        return False
    threshold = SEVERITY_RANK[fail_on]
    if result.overview.failed:
        return True
    return any(severity is not None and SEVERITY_RANK[severity] <= threshold for severity in result.worst)
