"""The audit history: every batch and every `audit --history DB` recorded in SQLite.

Per run: when it was recorded, its as-of day and what kind it was; per bureau: its score (or why it
could not be audited); per finding: its fingerprint, rule, severity, message and state against the
bureau's previous recorded run (new, open = still open, fixed = gone since). History stores what
reports said; it never judges again.

The schema is versioned (PRAGMA user_version) and only ever upgraded by the migrations below, in
order, each in one transaction; before an existing database is upgraded a copy of it is kept beside
it (history.sqlite.v1.bak). A database written by a newer version is refused, never overwritten.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from compliance_audit.errors import InputError
from compliance_audit.report.model import Report
from compliance_audit.report.overview import Changes

# MIGRATIONS[n] takes a database from version n to version n + 1.
MIGRATIONS = (
    # 1: runs, each bureau's score, each finding's fingerprint and state
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        recorded TEXT NOT NULL,
        as_of TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE results (
        run INTEGER NOT NULL REFERENCES runs(id),
        bureau TEXT NOT NULL,
        score REAL,
        PRIMARY KEY (run, bureau)
    );
    CREATE TABLE findings (
        run INTEGER NOT NULL REFERENCES runs(id),
        bureau TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        state TEXT NOT NULL
    );
    """,
    # 2: why a bureau could not be audited; what each finding was (so that a later run can say what
    # was fixed in words); indexes for a bureau's history
    """
    ALTER TABLE results ADD COLUMN error TEXT NOT NULL DEFAULT '';
    ALTER TABLE findings ADD COLUMN rule TEXT NOT NULL DEFAULT '';
    ALTER TABLE findings ADD COLUMN severity TEXT NOT NULL DEFAULT '';
    ALTER TABLE findings ADD COLUMN message TEXT NOT NULL DEFAULT '';
    CREATE INDEX results_by_bureau ON results (bureau, run);
    CREATE INDEX findings_by_run ON findings (run, bureau);
    """,
)
VERSION = len(MIGRATIONS)
STATES = {"new": "新增", "open": "仍未整改", "fixed": "已整改"}
KIND_LABELS = {"batch": "批量审计", "audit": "单个审计"}
TREND_RUNS = 12


@dataclass(frozen=True)
class Mark:
    """What history keeps of one finding."""

    fingerprint: str
    rule: str
    severity: str
    message: str


def marks(report: Report) -> tuple[Mark, ...]:
    return tuple(Mark(f.fingerprint, f.rule, f.severity, f.message) for f in report.findings)


@dataclass(frozen=True)
class Run:
    id: int
    recorded: str
    as_of: str
    kind: str
    title: str
    bureaus: int
    failed: int
    mean_score: float | None


@dataclass(frozen=True)
class BureauRun:
    run: int
    as_of: str
    kind: str
    score: float | None
    error: str
    new: int
    still_open: int
    fixed: int


class History:
    def __init__(self, path: Path) -> None:
        self.path = path
        existed = path.exists()
        if existed and not path.is_file():
            raise InputError("历史记录数据库不是文件", file=path)
        if not existed and not path.parent.is_dir():
            raise InputError("历史记录数据库所在的目录不存在", file=path.parent)
        try:
            self.connection = sqlite3.connect(path, isolation_level=None)
            version = self.connection.execute("PRAGMA user_version").fetchone()[0]
            self.connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as error:
            raise InputError(f"不是 SQLite 数据库（{error}）", file=path, expected="history.sqlite") from None
        if version > VERSION:
            self.connection.close()
            raise InputError(
                f"历史记录数据库由更新版本的 compliance-audit 写成（格式版本 {version}，"
                f"本程序只认识到 {VERSION}），不会改动它",
                file=path,
                expected="升级 compliance-audit，或另用 --history 指定数据库",
            )
        if version < VERSION:
            if existed and version > 0:
                self._keep_copy(version)
            self._migrate(version)

    def _keep_copy(self, version: int) -> None:
        copy = self.path.with_name(f"{self.path.name}.v{version}.bak")
        if not copy.exists():
            shutil.copy2(self.path, copy)

    def _migrate(self, version: int) -> None:
        for number in range(version, VERSION):
            self.connection.executescript(
                f"BEGIN;\n{MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;"
            )

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        value: int = self.connection.execute("PRAGMA user_version").fetchone()[0]
        return value

    def start_run(self, as_of: date, kind: str, title: str = "") -> int:
        recorded = datetime.now().astimezone().isoformat(timespec="seconds")
        cursor = self.connection.execute(
            "INSERT INTO runs (recorded, as_of, kind, title) VALUES (?, ?, ?, ?)",
            (recorded, as_of.isoformat(), kind, title),
        )
        run = cursor.lastrowid
        assert run is not None
        return run

    def record(
        self, run: int, bureau: str, score: float | None, marks: Sequence[Mark], error: str = ""
    ) -> Changes | None:
        """Record one bureau's result in a run; for an audited bureau, what changed since its previous
        recorded run."""
        db = self.connection
        db.execute("BEGIN")
        try:
            db.execute(
                "INSERT INTO results (run, bureau, score, error) VALUES (?, ?, ?, ?)",
                (run, bureau, score, error),
            )
            if error:
                db.execute("COMMIT")
                return None
            previous = db.execute(
                "SELECT results.run, runs.as_of FROM results JOIN runs ON runs.id = results.run "
                "WHERE results.bureau = ? AND results.run < ? AND results.error = '' "
                "ORDER BY results.run DESC LIMIT 1",
                (bureau, run),
            ).fetchone()
            before: dict[str, Mark] = {}
            if previous is not None:
                rows = db.execute(
                    "SELECT fingerprint, rule, severity, message FROM findings "
                    "WHERE run = ? AND bureau = ? AND state != 'fixed'",
                    (previous[0], bureau),
                )
                before = {row[0]: Mark(*row) for row in rows}
            now = {mark.fingerprint: mark for mark in marks}
            fixed = [mark for fingerprint, mark in before.items() if fingerprint not in now]
            rows_to_add = [
                (mark, "open" if mark.fingerprint in before else "new") for mark in now.values()
            ] + [(mark, "fixed") for mark in fixed]
            db.executemany(
                "INSERT INTO findings (run, bureau, fingerprint, state, rule, severity, message) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (run, bureau, m.fingerprint, state, m.rule, m.severity, m.message)
                    for m, state in rows_to_add
                ],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        still_open = sum(1 for fingerprint in now if fingerprint in before)
        return Changes(
            previous=previous[1] if previous else "",
            new=len(now) - still_open,
            still_open=still_open,
            fixed=len(fixed),
        )

    def record_audit(self, report: Report) -> Changes | None:
        """A single audit as a run of its own."""
        run = self.start_run(report.as_of, "audit", report.bureau.name)
        return self.record(run, report.bureau.name, report.summary.score, marks(report))

    def fixed(self, run: int, bureau: str) -> list[str]:
        """The findings of the bureau's previous run that this run no longer has, in words."""
        rows = self.connection.execute(
            "SELECT rule, message FROM findings "
            "WHERE run = ? AND bureau = ? AND state = 'fixed' ORDER BY rowid",
            (run, bureau),
        )
        return [
            f"{message}（{rule}）" if message else f"（{rule or '旧版本未记录内容'}）"
            for rule, message in rows
        ]

    def states(self, run: int, bureau: str) -> dict[str, str]:
        """fingerprint → 新增 or 仍未整改, for the findings the bureau has in this run."""
        rows = self.connection.execute(
            "SELECT fingerprint, state FROM findings WHERE run = ? AND bureau = ? AND state != 'fixed'",
            (run, bureau),
        )
        return {fingerprint: STATES[state] for fingerprint, state in rows}

    def trend(self, bureau: str, limit: int = TREND_RUNS) -> tuple[tuple[str, float], ...]:
        """(as-of, score) of the bureau's last recorded runs, oldest first."""
        rows = self.connection.execute(
            "SELECT runs.as_of, results.score FROM results JOIN runs ON runs.id = results.run "
            "WHERE results.bureau = ? AND results.score IS NOT NULL ORDER BY results.run DESC LIMIT ?",
            (bureau, limit),
        ).fetchall()
        return tuple((as_of, float(score)) for as_of, score in reversed(rows))

    def runs(self) -> list[Run]:
        rows = self.connection.execute(
            "SELECT runs.id, runs.recorded, runs.as_of, runs.kind, runs.title, COUNT(results.bureau), "
            "SUM(CASE WHEN results.error != '' THEN 1 ELSE 0 END), AVG(results.score) "
            "FROM runs LEFT JOIN results ON results.run = runs.id GROUP BY runs.id ORDER BY runs.id"
        )
        return [
            Run(
                id,
                recorded,
                as_of,
                kind,
                title,
                count,
                failed or 0,
                round(mean, 1) if mean is not None else None,
            )
            for id, recorded, as_of, kind, title, count, failed, mean in rows
        ]

    def bureaus(self) -> list[str]:
        return [
            row[0] for row in self.connection.execute("SELECT DISTINCT bureau FROM results ORDER BY bureau")
        ]

    def bureau_runs(self, bureau: str) -> list[BureauRun]:
        rows = self.connection.execute(
            "SELECT runs.id, runs.as_of, runs.kind, results.score, results.error, "
            "SUM(CASE WHEN findings.state = 'new' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN findings.state = 'open' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN findings.state = 'fixed' THEN 1 ELSE 0 END) "
            "FROM results JOIN runs ON runs.id = results.run "
            "LEFT JOIN findings ON findings.run = results.run AND findings.bureau = results.bureau "
            "WHERE results.bureau = ? GROUP BY runs.id ORDER BY runs.id",
            (bureau,),
        )
        return [
            BureauRun(run, as_of, kind, score, error, new or 0, still_open or 0, fixed or 0)
            for run, as_of, kind, score, error, new, still_open, fixed in rows
        ]
