"""Speed and memory of a whole audit against merely parsing the same inventory.

Generates a synthetic inventory of a county justice bureau (realistic titles, 200,000 items by
default, 1,000,000 with --large) as JSONL, then measures in one run, each in a fresh process:
  - the time to read the file and json-parse every line (nothing else),
  - `compliance-audit audit FILE --format json` (load, validate, match, judge, report),
  - the same audit with every rule file of the bundled rules given twice (--rules, ids renamed),
  - with --before PYTHON, the audit by another installation (e.g. the per-item implementation
    this one replaced), so that before and after are measured on the same machine at the same time;
and prints each one's wall time, its ratio to the parse (goal: at most 2.0) and its peak memory
(goal at 1,000,000 items: at most 0.6 GiB); doubling the rules should add at most 10%.
Each is measured --repeat times (3 by default), in turn, and the best time is kept: on a shared
machine one measurement can be slowed by a neighbour, which would make a ratio say nothing.
Figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from synthetic import generate

PARSE_ONLY = (
    "import json, sys\nwith open(sys.argv[1], 'rb') as f:\n    for line in f:\n        json.loads(line)\n"
)
BUNDLED_RULES = Path(__file__).resolve().parent.parent / "rules"


def measure(command: list[str]) -> tuple[float, int]:
    """Wall time of a child process and its own peak resident memory in MiB."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(command)}\n{errors.decode('utf-8', 'replace')}")
    return elapsed, usage.ru_maxrss // 1024


def doubled_rules(directory: Path) -> Path:
    """The bundled rules with every rule file given twice (the copy's ruleset and rule ids renamed)."""
    doubled = directory / "rules-doubled"
    shutil.copytree(BUNDLED_RULES, doubled, ignore=shutil.ignore_patterns("cases"))
    for path in sorted(BUNDLED_RULES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "rules" not in data:
            continue
        data["ruleset"]["id"] += "-copy"
        for rule in data["rules"]:
            rule["id"] += "-copy"
        copy = doubled / f"{path.stem}-copy.yaml"
        copy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return doubled


def audit_command(python: str, inventory: Path, report: Path, *options: str) -> list[str]:
    return [
        python,
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
        *options,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--large", action="store_true", help="1,000,000 items")
    parser.add_argument(
        "--before", metavar="PYTHON", help="an interpreter with another installation to compare"
    )
    parser.add_argument("--repeat", type=int, default=3, help="measurements of each, the best kept")
    parser.add_argument(
        "--keep", type=Path, help="write the inventory and reports here instead of a temporary directory"
    )
    arguments = parser.parse_args()
    count = 1_000_000 if arguments.large else arguments.items
    with tempfile.TemporaryDirectory() as temporary:
        directory = arguments.keep or Path(temporary)
        directory.mkdir(parents=True, exist_ok=True)
        inventory = directory / "inventory.jsonl"
        generate(inventory, count)
        size = inventory.stat().st_size / 1024 / 1024
        report = directory / "report.json"
        runs: list[tuple[str, list[str], Path | None]] = [
            ("json parse", [sys.executable, "-c", PARSE_ONLY, str(inventory)], None)
        ]
        if arguments.before:
            before = directory / "report-before.json"
            runs.append(("audit (before)", audit_command(arguments.before, inventory, before), before))
        runs.append(("audit", audit_command(sys.executable, inventory, report), report))
        doubled = directory / "report-doubled.json"
        rules = str(doubled_rules(directory))
        runs.append(
            ("audit, rules ×2", audit_command(sys.executable, inventory, doubled, "--rules", rules), doubled)
        )
        best: dict[str, tuple[float, int]] = {}
        for _ in range(arguments.repeat):
            for name, command, _output in runs:
                seconds, peak = measure(command)
                if name in best:
                    seconds, peak = min(seconds, best[name][0]), max(peak, best[name][1])
                best[name] = (seconds, peak)
        # read only once every child has run: a child's peak counts the memory of this process
        # at the moment it was forked, and a report read here would be counted in the next one
        measured = {
            name: (
                *best[name],
                len(json.loads(output.read_text(encoding="utf-8"))["findings"]) if output else None,
            )
            for name, _command, output in runs
        }
    parse_seconds = measured["json parse"][0]
    print(f"items              {count:>10,}   ({size:,.0f} MiB of JSONL)")
    print(f"{'':18} {'seconds':>10} {'× parse':>8} {'peak MiB':>9}  findings")
    for name, (seconds, peak, findings) in measured.items():
        shown = f"{findings:,}" if findings is not None else ""
        print(f"{name:18} {seconds:>10.2f} {seconds / parse_seconds:>8.2f} {peak:>9,}  {shown}")
    print("goals: audit ≤ 2.0 × parse; peak ≤ 614 MiB at 1,000,000 items; rules ×2 ≤ 1.1 × audit")
    print(f"rules ×2 / audit   {measured['audit, rules ×2'][0] / measured['audit'][0]:>10.2f}")


if __name__ == "__main__":
    main()
