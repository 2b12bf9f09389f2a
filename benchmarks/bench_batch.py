"""Speed-up and memory of a batch: many bureaus, each with a large inventory.

Generates `--variants` synthetic county inventories of `--items` items each (the realistic titles of
bench_audit.py, a different seed each) and a manifest of `--bureaus` bureaus that use them in turn,
then runs `compliance-audit batch` in a fresh process for each measurement:
  - with 1 worker and with 2 workers on all the bureaus (goal: at least 1.8x faster with 2), and
  - with 2 workers on a tenth of the bureaus, to show that peak memory does not grow with the number
    of bureaus (each worker holds one audit; the main process keeps one summary row a bureau).
Peak memory is that of the largest single process (RUSAGE_CHILDREN of a wrapper that runs the
batch). Figures only, in one run; nothing here asserts a time. Defaults: 1,000 bureaus x 5,000 items.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import generate

# Runs the batch and reports the peak resident memory (KiB) of its largest process: the batch's
# workers are its children, so they count once it has waited for them.
MEASURED = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def write_manifest(path: Path, bureaus: int, inventories: list[Path]) -> None:
    lines = [
        "title: 基准测试：批量审计",
        "issuer: 某市司法局",
        "defaults: {level: county, sector: justice, profile: county-justice-bureau}",
        "bureaus:",
    ]
    for number in range(bureaus):
        inventory = inventories[number % len(inventories)]
        lines.append(f"  - {{name: 某市第{number + 1:04d}县司法局, inventory: {inventory.name}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(manifest: Path, out: Path, jobs: int) -> tuple[float, int]:
    """Wall seconds and peak MiB of one batch."""
    command = [
        sys.executable, "-c", MEASURED,
        sys.executable, "-m", "compliance_audit", "batch", str(manifest), "-o", str(out),
        "--as-of", "2021-03-10", "--jobs", str(jobs), "--fail-on", "never",
        "--history", str(out.parent / f"{out.name}.sqlite"),
    ]  # fmt: skip
    started = time.perf_counter()
    completed = subprocess.run(command, check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    code, peak = completed.stdout.split()
    if int(code) not in (0, 1):
        sys.exit(f"batch failed with exit code {code}: {' '.join(command[3:])}")
    return elapsed, int(peak) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bureaus", type=int, default=1000)
    parser.add_argument("--items", type=int, default=5000, help="items in each bureau's inventory")
    parser.add_argument("--variants", type=int, default=10, help="distinct inventories the bureaus share")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        inventories = [directory / f"county-{seed}.jsonl" for seed in range(arguments.variants)]
        for seed, inventory in enumerate(inventories):
            generate(inventory, arguments.items, seed=20210310 + seed)
        manifest = directory / "manifest.yaml"
        write_manifest(manifest, arguments.bureaus, inventories)
        fewer = max(arguments.bureaus // 10, 1)
        small = directory / "manifest-small.yaml"
        write_manifest(small, fewer, inventories)
        one_seconds, one_peak = run(manifest, directory / "out-1", 1)
        two_seconds, two_peak = run(manifest, directory / "out-2", 2)
        small_seconds, small_peak = run(small, directory / "out-small", 2)
        reports = sum(1 for _ in (directory / "out-2" / "报告").glob("*.json"))
        html = (directory / "out-2" / "汇总.html").stat().st_size / 1024 / 1024
    print(
        f"bureaus x items   {arguments.bureaus:,} x {arguments.items:,}   "
        + f"({reports:,} reports; 汇总.html {html:.1f} MiB)"
    )
    print(f"1 worker          {one_seconds:>9.1f} s   peak {one_peak:,} MiB (largest process)")
    print(f"2 workers         {two_seconds:>9.1f} s   peak {two_peak:,} MiB")
    print(f"speed-up          {one_seconds / two_seconds:>9.2f} x   (goal ≥ 1.8)")
    print(f"{fewer:,} bureaus, 2 workers {small_seconds:.1f} s   peak {small_peak:,} MiB")
    print(
        f"memory ratio      {two_peak / small_peak:>9.2f}     "
        + f"({arguments.bureaus:,} against {fewer:,} bureaus; flat ≈ 1)"
    )


if __name__ == "__main__":
    main()
