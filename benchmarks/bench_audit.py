"""Speed and memory of a whole audit against merely parsing the same inventory.

Generates a synthetic inventory of a county justice bureau (realistic titles, 200,000 items by
default, 1,000,000 with --large) as JSONL, then measures in one run, each in a fresh process:
  - the time to read the file and json-parse every line (nothing else),
  - the time of `compliance-audit audit FILE --format json` (load, validate, match, judge, report),
and prints both, their ratio (goal: at most 2.0 at 1,000,000 items) and the peak memory of each.
Figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import generate

PARSE_ONLY = (
    "import json, sys\nwith open(sys.argv[1], 'rb') as f:\n    for line in f:\n        json.loads(line)\n"
)


def measure(command: list[str]) -> tuple[float, int]:
    """Wall time of a child process and its peak resident memory in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    completed = subprocess.run(command, check=False, capture_output=True)
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(command)}\n{completed.stderr.decode('utf-8', 'replace')}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--large", action="store_true", help="1,000,000 items")
    parser.add_argument(
        "--keep", type=Path, help="write the inventory and report here instead of a temporary directory"
    )
    arguments = parser.parse_args()
    count = 1_000_000 if arguments.large else arguments.items
    with tempfile.TemporaryDirectory() as temporary:
        directory = arguments.keep or Path(temporary)
        directory.mkdir(parents=True, exist_ok=True)
        inventory = directory / "inventory.jsonl"
        generate(inventory, count)
        report = directory / "report.json"
        # the audit process runs second so that its peak is what RUSAGE_CHILDREN reports after it
        parse_seconds, parse_peak = measure([sys.executable, "-c", PARSE_ONLY, str(inventory)])
        audit_seconds, audit_peak = measure(
            [
                sys.executable,
                "-m",
                "compliance_audit",
                "audit",
                str(inventory),
                "--as-of",
                "2021-03-10",
                "--format",
                "json",
                "-o",
                str(report),
                "--fail-on",
                "never",
            ]
        )
        findings = len(json.loads(report.read_text(encoding="utf-8"))["findings"])
        size = inventory.stat().st_size / 1024 / 1024
    print(f"items            {count:>12,}   ({size:,.0f} MiB of JSONL)")
    print(f"json parse       {parse_seconds:>12.2f} s   peak {parse_peak:,} MiB")
    print(f"full audit       {audit_seconds:>12.2f} s   peak {audit_peak:,} MiB   ({findings:,} findings)")
    print(f"ratio            {audit_seconds / parse_seconds:>12.2f}     (goal ≤ 2.0 at 1,000,000 items)")


if __name__ == "__main__":
    main()
