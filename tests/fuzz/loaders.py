"""Every loader of the tool, as the fuzz suite drives it: the files it reads (a realistic seed for
each), which of them are fuzzed, and the command that reads them.

Adding a loader (batch manifests …) is one more entry in LOADERS: a seed, the fuzzed file
names, and a command.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from docx import Document
from hypothesis import strategies as st
from openpyxl import Workbook

from compliance_audit.catalogue_import import import_table
from compliance_audit.catalogue_import.readers import read_html
from compliance_audit.inventory import load_inventory
from compliance_audit.inventory.writer import write_inventory
from tests.fuzz.mutations import FILE_NAMES, bad_bytes, bad_package
from tests.helpers import EXAMPLE, REPO

AS_OF = ("--as-of", "2021-03-10")
BUREAU_NAME = ("--bureau-name", "天水市秦州区司法局")
CATALOGUE_TABLE = REPO / "tests" / "fixtures" / "catalogue_import" / "dongyang.html"
SITE = REPO / "tests" / "fixtures" / "harvest" / "site"
MIRROR_PAGES = (
    "www.ningguo.gov.cn/OpennessContent/show/2277958.html",
    "www.jindong.gov.cn/art/2019/3/25/art_1229404637_26754.html",
    "dumps/qinzhou-justice-2020-summary.txt",
)

# the command that reads the files: (workspace, output path, what hypothesis drew) → arguments
Command = Callable[[Path, Path, st.DataObject], list[str | Path]]


@dataclass(frozen=True)
class Loader:
    name: str
    seeds: Callable[[], dict[str, bytes]]  # relative path → content of every file the run reads
    fuzzed: tuple[str, ...]  # which of them get bad content
    command: Command
    output: str  # where the run writes, relative to the workspace
    packaged: bool = False  # the fuzzed files are zip packages (xlsx, docx)
    mirror: str | None = None  # a folder whose file names are fuzzed too

    def bad_content(self, data: st.DataObject, seed: bytes) -> bytes:
        strategy = bad_package(seed) if self.packaged else bad_bytes(seed)
        return data.draw(strategy, label="content")


def _report_options(data: st.DataObject, output: Path) -> list[str | Path]:
    report_format = data.draw(st.sampled_from(["table", "markdown", "json"]), label="format")
    return [*AS_OF, "--format", report_format, "-o", output]


# --- seeds ------------------------------------------------------------------------------------------


@cache
def _inventory_seeds() -> dict[str, bytes]:
    """The bundled example's first items, written in every inventory format."""
    example = load_inventory(EXAMPLE)
    items = example.items[:8]
    seeds: dict[str, bytes] = {}
    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"fuzz-seeds-{os.getpid()}"
    work.mkdir(exist_ok=True)
    for suffix in ("yaml", "csv", "xlsx"):
        path = work / f"清单.{suffix}"
        for written in write_inventory(path, example.bureau, items, example.fields_present, force=True):
            seeds[written.name] = written.read_bytes()
            written.unlink()
    work.rmdir()
    yaml_text = seeds["清单.yaml"].decode("utf-8")
    import json

    import yaml

    document = yaml.safe_load(yaml_text)
    seeds["清单.json"] = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    lines = [json.dumps(document["bureau"], ensure_ascii=False)]
    lines.extend(json.dumps(item, ensure_ascii=False) for item in document["items"])
    seeds["清单.jsonl"] = ("\n".join(lines) + "\n").encode("utf-8")
    return seeds


@cache
def _catalogue_grid() -> list[list[str]]:
    return [list(row) for row in read_html(CATALOGUE_TABLE)[1].rows]


def _catalogue_seed(suffix: str) -> bytes:
    grid = _catalogue_grid()
    if suffix == "html":
        return CATALOGUE_TABLE.read_bytes()
    if suffix == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(grid)
        return buffer.getvalue().encode("utf-8")
    if suffix == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        for row in grid:
            sheet.append(row)
        sheet.merge_cells("A3:A5")
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()
    document = Document()
    document.add_paragraph("公共法律服务领域基层政务公开标准目录")
    table = document.add_table(rows=len(grid), cols=len(grid[0]))
    for row, values in zip(table.rows, grid, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


@cache
def _catalogue_seeds(suffix: str) -> dict[str, bytes]:
    return {f"目录.{suffix}": _catalogue_seed(suffix)}


def _with_example(extra: dict[str, bytes]) -> Callable[[], dict[str, bytes]]:
    return lambda: {"清单.yaml": _inventory_seeds()["清单.yaml"], **extra}


@cache
def _mirror_seeds() -> dict[str, bytes]:
    seeds = {f"site/{page}": (SITE / page).read_bytes() for page in MIRROR_PAGES}
    seeds["site.bureau.yaml"] = "bureau:\n  name: 天水市秦州区司法局\n  level: county\n".encode()
    return seeds


@cache
def _catalogue_file() -> dict[str, bytes]:
    """A catalogue file as `catalogue import` writes it, for `audit --catalogue FILE`."""
    imported = import_table(CATALOGUE_TABLE, catalogue_id="dongyang-fuzz", region="浙江省金华市东阳市")
    return {**_with_example({})(), "目录.yaml": imported.text.encode("utf-8")}


@cache
def _rules() -> dict[str, bytes]:
    """The bundled rule files, for `audit --rules DIR` (the cases are not read by an audit)."""
    files = {f"rules/{path.name}": path.read_bytes() for path in sorted((REPO / "rules").glob("*.yaml"))}
    return {**_with_example({})(), **files}


@cache
def _annual_report(suffix: str) -> dict[str, bytes]:
    """A 2021 annual report (政府信息公开工作年度报告) with correct figures, in one file format."""
    from tests.annual_reports import correct_2021, write

    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"fuzz-report-{os.getpid()}"
    work.mkdir(exist_ok=True)
    written = write(correct_2021(), work / f"年报{suffix}")
    content = written.read_bytes()
    written.unlink()
    work.rmdir()
    return {f"年报{suffix}": content}


def _report_check(name: str) -> Command:
    def command(workspace: Path, output: Path, data: st.DataObject) -> list[str | Path]:
        return ["report", "check", workspace / name, *_report_options(data, output)]

    return command


WAIVERS = """waivers:
  - rule: ogi-49-annual-report
    reason: 2020年度报告已报送区政府办，网站改版期间暂未上线
    until: 2021-04-30
  - rule: ogi-26-timeliness
    item: 20230618-164604-828
    reason: 春节前集中审核
""".encode()
CALENDAR = """source: 国务院办公厅关于2027年部分节假日安排的通知
years:
  2027:
    holidays: [2027-01-01, 2027-02-05, 2027-02-08, 2027-02-09]
    workdays: [2027-02-07]
""".encode()


# --- commands ---------------------------------------------------------------------------------------


def _audit(name: str, *extra: str) -> Command:
    def command(workspace: Path, output: Path, data: st.DataObject) -> list[str | Path]:
        options: list[str | Path] = []
        for option, file in zip(extra[::2], extra[1::2], strict=True):
            options.extend([option, workspace / file])
        return ["audit", workspace / name, *options, *BUREAU_NAME, *_report_options(data, output)]

    return command


def _import(name: str) -> Command:
    return lambda workspace, output, data: ["catalogue", "import", workspace / name, "-o", output]


def _mirror(workspace: Path, output: Path, data: st.DataObject) -> list[str | Path]:
    if data.draw(st.booleans(), label="harvest rather than audit"):
        return ["harvest", workspace / "site", "-o", output, *BUREAU_NAME, "-v"]
    return ["audit", workspace / "site", *BUREAU_NAME, *_report_options(data, output)]


def _inventory(suffix: str, *fuzzed: str) -> Loader:
    files = tuple(name for name in _INVENTORY_FILES[suffix])
    return Loader(
        f"inventory-{suffix}" if not fuzzed else "sidecar",
        lambda: {name: _inventory_seeds()[name] for name in files},
        fuzzed or (f"清单.{suffix}",),
        _audit(f"清单.{suffix}"),
        "out/报告.txt",
        packaged=suffix == "xlsx" and not fuzzed,
    )


_INVENTORY_FILES = {
    "yaml": ("清单.yaml",),
    "json": ("清单.json",),
    "jsonl": ("清单.jsonl",),
    "csv": ("清单.csv", "清单.bureau.yaml"),
    "xlsx": ("清单.xlsx",),
}

LOADERS: list[Loader] = [
    *(_inventory(suffix) for suffix in _INVENTORY_FILES),
    _inventory("csv", "清单.bureau.yaml"),
    Loader("mirror", _mirror_seeds, tuple(f"site/{name}" for name in MIRROR_PAGES), _mirror, "out/清单.yaml",
           mirror="site"),
    Loader("mirror-sidecar", _mirror_seeds, ("site.bureau.yaml",), _mirror, "out/清单.yaml"),
    *(
        Loader(f"catalogue-{suffix}", partial(_catalogue_seeds, suffix), (f"目录.{suffix}",),
               _import(f"目录.{suffix}"), "out/目录.yaml", packaged=suffix in ("xlsx", "docx"))
        for suffix in ("html", "xlsx", "csv", "docx")
    ),
    Loader("catalogue-file", _catalogue_file, ("目录.yaml",),
           _audit("清单.yaml", "--catalogue", "目录.yaml"), "out/报告.txt"),
    Loader("rules", _rules, ("rules/ogi-2019.yaml",),
           _audit("清单.yaml", "--rules", "rules"), "out/报告.txt"),
    *(
        Loader(f"annual-report-{suffix[1:]}", partial(_annual_report, suffix), (f"年报{suffix}",),
               _report_check(f"年报{suffix}"), "out/报告.txt", packaged=suffix == ".docx")
        for suffix in (".txt", ".html", ".docx", ".pdf")
    ),
    Loader("waivers", _with_example({"豁免.yaml": WAIVERS}), ("豁免.yaml",),
           _audit("清单.yaml", "--waivers", "豁免.yaml"), "out/报告.txt"),
    Loader("calendar", _with_example({"日历.yaml": CALENDAR}), ("日历.yaml",),
           _audit("清单.yaml", "--calendar", "日历.yaml"), "out/报告.txt"),
]  # fmt: skip


def mirror_names(data: st.DataObject) -> list[bytes]:
    """Extra files for a mirror, with names from FILE_NAMES."""
    return data.draw(st.lists(st.sampled_from(FILE_NAMES), max_size=3, unique=True), label="file names")
