"""What the fuzz run tried, for the summary at the end of the session (and `make fuzz`'s figures)."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class LoaderStats:
    tried: int = 0
    codes: Counter[int] = field(default_factory=Counter)
    tracebacks: int = 0
    hangs: int = 0
    slowest: float = 0.0
    slowest_case: str = ""
    seconds: float = 0.0


STATS: dict[str, LoaderStats] = {}


def record(loader: str, code: int | None, seconds: float, case: str, *, traceback: bool, hang: bool) -> None:
    stats = STATS.setdefault(loader, LoaderStats())
    stats.tried += 1
    stats.seconds += seconds
    if code is not None:
        stats.codes[code] += 1
    stats.tracebacks += traceback
    stats.hangs += hang
    if seconds > stats.slowest:
        stats.slowest, stats.slowest_case = seconds, case


def _row(name: str, stats: LoaderStats) -> str:
    other = sum(count for code, count in stats.codes.items() if code not in (0, 1, 2))
    codes = f"{stats.codes[0]}/{stats.codes[1]}/{stats.codes[2]} ({other})"
    return (
        f"{name:<17}{stats.tried:>8}  {codes:<22}{stats.tracebacks:>11}{stats.hangs:>7}{stats.slowest:>10.2f}"
    )


def summary_lines() -> list[str]:
    lines = [
        f"{'loader':<17}{'inputs':>8}  {'exit 0/1/2 (other)':<22}"
        + f"{'tracebacks':>11}{'hangs':>7}{'slowest s':>10}"
    ]
    total = LoaderStats()
    for name, stats in sorted(STATS.items()):
        lines.append(_row(name, stats))
        total.tried += stats.tried
        total.codes.update(stats.codes)
        total.tracebacks += stats.tracebacks
        total.hangs += stats.hangs
        if stats.slowest > total.slowest:
            total.slowest, total.slowest_case = stats.slowest, f"{name}: {stats.slowest_case}"
    lines.append(_row("total", total))
    lines.append(f"slowest case: {total.slowest_case}")
    return lines


def save(path: str | None = os.environ.get("FUZZ_STATS")) -> None:
    if not path or not STATS:
        return
    data = {
        name: {**vars(stats), "codes": {str(code): count for code, count in sorted(stats.codes.items())}}
        for name, stats in sorted(STATS.items())
    }
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
