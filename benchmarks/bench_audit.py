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
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PARSE_ONLY = (
    "import json, sys\nwith open(sys.argv[1], 'rb') as f:\n    for line in f:\n        json.loads(line)\n"
)

_PLACES = ["秦州区", "麦积区", "甘谷县", "武山县", "清水县", "秦安县", "张家川县"]
_TEMPLATES = [
    ("{place}司法局开展“{campaign}”普法宣传活动", "工作动态"),
    ("{place}司法局召开{year}年全区司法行政工作会议", "工作动态"),
    ("{place}公共法律服务中心{month}月份法律援助案件办理情况", "工作动态"),
    ("关于表彰{year}年度全区先进人民调解委员会和先进人民调解员的决定", "通知公告"),
    ("关于开展{year}年度“法律明白人”培训的通知", "通知公告"),
    ("{place}司法局{year}年部门预算公开", "预决算公开及三公"),
    ("{place}司法局{prev}年度部门决算公开", "预决算公开及三公"),
    ("{place}司法局行政处罚决定书（{abbr}司罚决字〔{year}〕{n}号）", "行政执法"),
    ("{place}司法局行政执法人员信息公示（{month}月更新）", "行政执法"),
    ("《中华人民共和国民法典》{topic}", "工作动态"),
    ("{place}法治文化阵地名录（{year}年{month}月更新）", "工作动态"),
    ("{place}司法局关于印发《{place}人民调解员补贴管理办法》的通知", "文件及解读"),
    ("{place}司法局{prev}年政府信息公开工作年度报告", "计划总结及报告"),
    ("{place}司法局{year}年工作要点", "计划总结及报告"),
]
_CAMPAIGNS = ["宪法宣传周", "民法典进万家", "法律进乡村", "三八妇女维权", "国家安全教育日", "扫黑除恶"]
_TOPICS = ["主要内容和施行日期", "婚姻家庭编要点", "合同编解读", "继承编问答"]
_COLUMNS = ["工作动态", "通知公告", "文件及解读", "预决算公开及三公", "计划总结及报告", "行政执法"]


def generate(path: Path, count: int, seed: int = 20210310) -> None:
    rng = random.Random(seed)
    bureau = {
        "bureau": {
            "name": "天水市秦州区司法局",
            "level": "county",
            "region": "甘肃省天水市秦州区",
            "sector": "justice",
            "profile": "county-justice-bureau",
            "columns": [
                {"name": name, "kind": kind}
                for name, kind in zip(
                    _COLUMNS, ["news", "notice", "policy", "finance", "plans", "enforcement"], strict=True
                )
            ],
        }
    }
    start = date(2015, 1, 1)
    span = (date(2021, 3, 1) - start).days
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(bureau, ensure_ascii=False) + "\n")
        for number in range(count):
            template, column = rng.choice(_TEMPLATES)
            published = start + timedelta(days=rng.randrange(span))
            # most items go out within days; a few are late, as on real portals
            lag = rng.choice((0, 1, 1, 2, 2, 3, 4, 5, 7, 9)) if rng.random() > 0.04 else rng.randrange(25, 90)
            formed = published - timedelta(days=lag)
            place = rng.choice(_PLACES)
            title = template.format(
                place=place,
                abbr=place[0],
                campaign=rng.choice(_CAMPAIGNS),
                topic=rng.choice(_TOPICS),
                year=published.year,
                prev=published.year - 1,
                month=published.month,
                n=rng.randrange(1, 60),
            )
            item = {
                "index_no": f"11620502MB{number // 100000:08d}/{published.year}-{number % 100000:05d}",
                "title": title,
                "topic": "公安、安全、司法",
                "publisher": "区司法局",
                "formed": formed.isoformat() if rng.random() > 0.01 else "",
                "published": published.isoformat(),
                "column": column,
                "doc_no": "",
                "validity": "",
                "url": f"http://www.example.gov.cn/zfxxgk/sfj/{published:%Y%m}/t{published:%Y%m%d}_{number}.html",
                "summary": title[:20] if rng.random() > 0.03 else "",
            }
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")


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
