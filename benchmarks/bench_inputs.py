"""Seconds per megabyte of each loader on large but legal inputs (issue 9, bounded work).

Writes, in a temporary folder: the synthetic county inventory of bench_audit.py (50,000 items by
default) as YAML, JSON, JSONL, CSV and XLSX; a published catalogue table of 2,000 rows as HTML, CSV,
XLSX and DOCX (about 60,000 cells, under the 100,000-cell limit); a saved portal of 2,000 pages.
Each is loaded in a fresh process by the library call the command line uses, and the time, size,
seconds per MB and peak memory are printed. Figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from docx import Document
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import generate

from compliance_audit.inventory import load_inventory
from compliance_audit.inventory.writer import write_inventory

LOAD = {
    "inventory": "from compliance_audit.inventory import load_inventory as load\n",
    "catalogue": (
        "from compliance_audit.catalogue_import import import_table\n"
        "def load(path):\n    return import_table(path, catalogue_id='bench-catalogue')\n"
    ),
    "mirror": "from compliance_audit.harvest import harvest as load\n",
}
# VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec
RUN = (
    "import re, sys, time\nfrom pathlib import Path\n{load}"
    "start = time.perf_counter()\nload(Path(sys.argv[1]))\nseconds = time.perf_counter() - start\n"
    "peak = re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text()).group(1)\n"
    "print(seconds, peak)\n"
)
HEADER = [
    *(
        "序号",
        "一级事项",
        "二级事项",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
    ),
    *("全社会", "特定群众", "主动", "依申请", "县级", "乡级", "村级"),
]


def catalogue_rows(count: int) -> list[list[str]]:
    rows = [HEADER]
    for number in range(1, count + 1):
        rows.append(
            [
                str(number),
                f"法律援助{number // 10}",
                f"法律援助机构信息{number}",
                "名称、地址、联系方式、办公时间",
                "《法律援助条例》第五条",
                "信息形成或变更之日起20个工作日内",
                "县司法局",
                "政府网站、公开栏",
                "√",
                "",
                "√",
                "",
                "√",
                "√",
                "",
            ]
        )
    return rows


def write_catalogues(folder: Path, count: int) -> list[Path]:
    rows = catalogue_rows(count)
    html = folder / "目录.html"
    cells = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    html.write_text(f"<html><head><meta charset='utf-8'><title>标准目录</title></head><body><table>{cells}"
                    "</table></body></html>", encoding="utf-8")  # fmt: skip
    table = folder / "目录.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    table.write_text(buffer.getvalue(), encoding="utf-8")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    xlsx = folder / "目录.xlsx"
    workbook.save(xlsx)
    document = Document()
    word = document.add_table(rows=len(rows) // 4, cols=len(HEADER))
    for row, values in zip(word.rows, rows, strict=False):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    docx = folder / "目录.docx"
    document.save(str(docx))
    return [html, table, xlsx, docx]


def write_mirror(folder: Path, inventory: Path, count: int) -> Path:
    site = folder / "www.example.gov.cn"
    for item in load_inventory(inventory).items[:count]:
        page = site / "art" / f"{item.row}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f"<html><head><meta charset='utf-8'><title>{item.title}</title></head><body>"
            f"<div>当前位置：首页 > {item.column}</div><table><tr><td>索引号：</td><td>{item.index_no}</td>"
            f"<td>发布日期：</td><td>{item.published.isoformat()}</td></tr></table><h1>{item.title}</h1>"
            f"<p>{item.title}。" + "正文内容。" * 200 + "</p></body></html>",
            encoding="utf-8",
        )
    return site


def size_of(path: Path) -> int:
    if path.is_dir():
        return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())
    return path.stat().st_size


def measure(kind: str, path: Path) -> tuple[float, int]:
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(load=LOAD[kind]), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, peak = done.stdout.split()
    return float(seconds), int(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--rows", type=int, default=2_000)
    parser.add_argument("--pages", type=int, default=2_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        jsonl = folder / "清单.jsonl"
        generate(jsonl, options.items)
        inventory = load_inventory(jsonl)
        cases: list[tuple[str, Path]] = [("inventory", jsonl)]
        for suffix in ("yaml", "csv", "xlsx"):
            path = folder / f"清单.{suffix}"
            write_inventory(path, inventory.bureau, inventory.items, inventory.fields_present)
            cases.append(("inventory", path))
        json_path = folder / "清单.json"
        json_path.write_text(
            json.dumps(yaml.safe_load((folder / "清单.yaml").read_text("utf-8")), ensure_ascii=False),
            encoding="utf-8",
        )
        cases.append(("inventory", json_path))
        cases.extend(("catalogue", path) for path in write_catalogues(folder, options.rows))
        cases.append(("mirror", write_mirror(folder, jsonl, options.pages)))
        print(f"{'input':<28}{'MB':>8}{'seconds':>10}{'s/MB':>8}{'peak MB':>10}")
        for kind, path in cases:
            megabytes = size_of(path) / 1024 / 1024
            seconds, peak = measure(kind, path)
            print(f"{kind + ' ' + path.name:<28}{megabytes:>8.1f}{seconds:>10.2f}{seconds / megabytes:>8.2f}"
                  f"{peak / 1024:>10.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
