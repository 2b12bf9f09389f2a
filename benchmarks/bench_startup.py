"""CPU time of short commands: what starting compliance-audit costs.

Measures, in one run, the CPU seconds (user + system of the child process, best of 5) of
  - `compliance-audit --help`,
  - `compliance-audit audit INVENTORY --format json -o REPORT` on the first 20 items of the
    bundled example,
  - `compliance-audit rules list`,
each as it runs day to day (the bundled rules' validation remembered in the cache directory), and
of the audit once more as the first run on a machine (an empty cache directory each time); they
are printed beside the goal (at most 0.25 s each). --python PATH (repeatable) measures the
installation of another interpreter too (its `compliance-audit` script beside it), in the same
run, so that two branches can be compared on an equally busy machine. Figures only; nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

GOAL_SECONDS = 0.25
RUNS = 5
ITEMS = 20
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "qinzhou-justice" / "inventory.yaml"


def small_inventory(path: Path) -> None:
    """The bundled example cut to its first ITEMS items."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["items"] = data["items"][:ITEMS]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def cpu_seconds(command: list[str], cache: str | None) -> float:
    """The user + system CPU time of one run of a child process; with cache, that cache directory."""
    environment = dict(os.environ, XDG_CACHE_HOME=cache) if cache else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(command, check=False, capture_output=True, env=environment)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{completed.stderr.decode('utf-8', 'replace')}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def script_of(python: str) -> str:
    script = Path(python).parent / "compliance-audit"
    if not script.is_file():
        sys.exit(f"{python}: no compliance-audit script beside it (pip install . with that interpreter)")
    return str(script)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--python",
        action="append",
        metavar="PATH",
        help="an interpreter whose installation is measured (repeatable; default: this one)",
    )
    arguments = parser.parse_args()
    pythons: list[str] = arguments.python or [sys.executable]
    with tempfile.TemporaryDirectory() as temporary:
        inventory = Path(temporary) / "inventory.yaml"
        small_inventory(inventory)
        report = str(Path(temporary) / "report.json")
        audit = [
            "audit", str(inventory), "--as-of", "2021-03-10", "--format", "json", "-o", report,
            "--fail-on", "never",
        ]  # fmt: skip
        # name: (arguments, whether the cache directory starts empty)
        commands = {
            "--help": (["--help"], False),
            f"audit ({ITEMS} items, json)": (audit, False),
            "rules list": (["rules", "list"], False),
            "audit, first run": (audit, True),
        }
        scripts = [script_of(python) for python in pythons]
        figures: dict[tuple[str, str], float] = {}
        # rounds of every command of every installation, so that a burst of load on the machine
        # falls on all of them alike; the least of the rounds is kept
        for round_ in range(RUNS):
            for name, (command, cold) in commands.items():
                for number, script in enumerate(scripts):
                    cache = tempfile.mkdtemp(prefix=f"{round_}-{number}-", dir=temporary) if cold else None
                    used = cpu_seconds([script, *command], cache)
                    figures[name, script] = min(used, figures.get((name, script), used))
    print(f"CPU seconds (user + system), best of {RUNS}; goal ≤ {GOAL_SECONDS} s each")
    for number, python in enumerate(pythons, start=1):
        print(f"  [{number}] {python}")
    header = f"{'command':<26}{'goal':>8}" + "".join(f"{f'[{n}]':>10}" for n in range(1, len(pythons) + 1))
    print(header)
    for name in commands:
        cells = "".join(f"{figures[name, script]:>10.3f}" for script in scripts)
        print(f"{name:<26}{f'≤ {GOAL_SECONDS}':>8}{cells}")


if __name__ == "__main__":
    main()
