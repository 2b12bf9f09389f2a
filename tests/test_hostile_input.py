"""Every input that once crashed the tool with a traceback (issue 9, point 1) now ends in exit code 2
and one line naming the file and, where there is one, the line or row and what was expected.

Each case is the smallest input that showed the crash."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest
from docx import Document

from compliance_audit.errors import InputError
from compliance_audit.harvest import harvest
from compliance_audit.workcalendar import WorkCalendar
from compliance_audit.yamlsafe import load_yaml_text
from tests.helpers import EXAMPLE, run_cli
from tests.hostile import HEADER_ROW, docx_without_body, xlsx_bytes

BUREAU = "bureau:\n  name: 秦州区司法局\n"
ITEM = "items:\n  - title: 秦州区司法局领导信息\n    published: 2020-03-05\n"
AS_OF = ("--as-of", "2021-03-10")


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def bad_input(*args: str | Path) -> str:
    result = run_cli(*args)
    assert result.exit_code == 2, (result.exit_code, result.output)
    return one_line(result.stderr)


# --- YAML: every YAML input goes through the one loader -------------------------------------------

TAGS = {
    "!!timestamp 2021-02-30": None,  # read as the text it holds; where a date is expected, checked as one
    "!!int abc": "不能按 !!int 读取",
    "!!float x": "不能按 !!float 读取",
    "!!bool maybe": "不能按 !!bool 读取",
    "!!binary aGVsbG8=": "不支持 YAML 标签 !!binary",
    "!!set {a: 1}": "不支持 YAML 标签 !!set",
    "!!python/object:os.system x": "不支持 YAML 标签 !!python/object:os.system",
    "1" * 4301: "数字过长（4301 位）",
}


def _yaml_loaders(tmp_path: Path, value: str) -> dict[str, tuple[Path, list[str | Path]]]:
    """Each YAML input of the tool holding `value` on its line 3, and the command that reads it."""
    inventory = tmp_path / "清单.yaml"
    inventory.write_text(BUREAU + ITEM.replace("items:\n", "items:\n", 1) + f"    doc_no: {value}\n", "utf-8")
    csv = tmp_path / "附属.csv"
    csv.write_text("标题,发布日期\n秦州区司法局领导信息,2020-03-05\n", encoding="utf-8")
    (tmp_path / "附属.bureau.yaml").write_text(f"bureau:\n  name: 秦州区司法局\n  region: {value}\n", "utf-8")
    waivers = tmp_path / "豁免.yaml"
    waivers.write_text(
        f"waivers:\n  - rule: ogi-26-timeliness\n    reason: {value}\n    approved_by: 秦州区司法局局务会\n",
        encoding="utf-8",
    )
    calendar = tmp_path / "日历.yaml"
    calendar.write_text(f"source: 通知\nyears:\n  2027:\n    holidays: [{value}]\n", encoding="utf-8")
    mirror = tmp_path / "site"
    (mirror / "a").mkdir(parents=True)
    (mirror / "a" / "1.html").write_text(
        "<html><body><h1>秦州区司法局领导信息</h1><p>发布日期：2020-03-05</p></body></html>", encoding="utf-8"
    )
    (tmp_path / "site.bureau.yaml").write_text(f"bureau:\n  name: 秦州区司法局\n  region: {value}\n", "utf-8")
    return {
        "inventory": (inventory, ["audit", inventory, *AS_OF]),
        "sidecar": (tmp_path / "附属.bureau.yaml", ["audit", csv, *AS_OF]),
        "waivers": (waivers, ["audit", EXAMPLE, "--waivers", waivers, *AS_OF]),
        "calendar": (calendar, ["audit", EXAMPLE, "--calendar", calendar, *AS_OF]),
        "mirror sidecar": (tmp_path / "site.bureau.yaml", ["audit", mirror, *AS_OF]),
    }


@pytest.mark.parametrize("loader", ["inventory", "sidecar", "waivers", "calendar", "mirror sidecar"])
@pytest.mark.parametrize("value", list(TAGS))
def test_yaml_tags_and_huge_numbers_are_bad_input_with_their_line(
    tmp_path: Path, loader: str, value: str
) -> None:
    path, command = _yaml_loaders(tmp_path, value)[loader]
    result = run_cli(*command)
    expected = TAGS[value]
    if expected is None:
        # a timestamp tag is text: only where a date is expected (the calendar) it is judged as one
        assert result.exit_code in (0, 1, 2), result.output
        if result.exit_code == 2:
            message = one_line(result.stderr)
            assert path.name in message and "2021-02-30" in message and "不是存在的日期" in message
        return
    assert result.exit_code == 2, result.output
    message = one_line(result.stderr)
    line = {"inventory": 6, "calendar": 4}.get(loader, 3)
    assert path.name in message and f"第 {line} 行" in message and expected in message


def test_yaml_errors_give_a_line_never_a_character_position(tmp_path: Path) -> None:
    path = tmp_path / "清单.yaml"
    path.write_text(BUREAU + ITEM + "    doc_no: 秦司\x00发\n", encoding="utf-8")
    message = bad_input("audit", path, *AS_OF)
    assert "第 6 行" in message and "U+0000" in message and "position" not in message


def test_yaml_nesting_is_bounded() -> None:
    deep = "".join("  " * level + "a:\n" for level in range(300)) + "  " * 300 + "b\n"
    with pytest.raises(InputError, match="嵌套过深"):
        load_yaml_text(deep, "深.yaml")


@pytest.mark.parametrize(("fact", "value"), [("profile", "county-prison-bureau"), ("sector", "ustice")])
def test_an_unknown_profile_or_sector_names_the_file_the_bureau_came_from(
    tmp_path: Path, fact: str, value: str
) -> None:
    # found by the fuzz suite: these are checked against the rules, after loading, without a file
    inventory = tmp_path / "清单.csv"
    inventory.write_text("标题,发布日期\n秦州区司法局领导信息,2020-03-05\n", encoding="utf-8")
    sidecar = tmp_path / "清单.bureau.yaml"
    sidecar.write_text(BUREAU + f"  {fact}: {value}\n", encoding="utf-8")
    message = bad_input("audit", inventory, *AS_OF)
    assert "清单.bureau.yaml" in message and f"bureau.{fact}" in message and value in message


# --- JSON and JSONL: one reader, with limits ------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('"items": ' + "[" * 100_000 + "]" * 100_000, "嵌套过深"),
        ('"items": [{"title": "秦州区司法局领导信息", "doc_no": ' + "1" * 4301 + "}]", "数字过长（4301 位）"),
        ('"items": [{"title": "秦州区司法局\\ud800领导信息", "published": "2020-03-05"}]', "代理项"),
        ('"items": [{"title": "秦州区司法局领导信息", "published": "2020-03-05", "doc_no": NaN}]',
         "NaN 不是 JSON 的值"),
    ],
)  # fmt: skip
def test_json_limits(tmp_path: Path, body: str, expected: str) -> None:
    path = tmp_path / "清单.json"
    path.write_text('{"bureau": {"name": "秦州区司法局"},\n' + body + "}", encoding="utf-8")
    message = bad_input("audit", path, *AS_OF)
    assert "清单.json" in message and "第 2 行" in message and expected in message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, "嵌套过深"),
        (
            '{"title": "秦州区司法局领导信息", "published": "2020-03-05", "doc_no": ' + "9" * 4301 + "}",
            "数字过长",
        ),
        ('{"title": "秦州区司法局\\udc00领导信息", "published": "2020-03-05"}', "代理项"),
    ],
)
def test_jsonl_limits_name_the_line(tmp_path: Path, line: str, expected: str) -> None:
    path = tmp_path / "清单.jsonl"
    path.write_text(
        '{"name": "秦州区司法局"}\n{"title": "领导信息", "published": "2020-03-05"}\n' + line + "\n", "utf-8"
    )
    message = bad_input("audit", path, *AS_OF)
    assert "清单.jsonl" in message and "第 3 行" in message and expected in message


def test_json_surrogate_pairs_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "清单.json"
    path.write_text(
        '{"bureau": {"name": "秦州区司法局"}, "items": [{"title": "秦州区司法局\\ud83d\\ude00领导信息",'
        ' "published": "2020-03-05"}]}',
        encoding="utf-8",
    )
    result = run_cli("audit", path, *AS_OF, "--format", "json")
    assert result.exit_code in (0, 1) and "😀" in result.stdout


# --- dates at the end of the calendar ------------------------------------------------------------


@pytest.mark.parametrize("field", ["published", "formed"])
def test_dates_beyond_what_can_be_judged_are_bad_input(tmp_path: Path, field: str) -> None:
    path = tmp_path / "清单.yaml"
    dates = {"published": "2020-03-05", "formed": "2020-03-01", field: "9999-12-31"}
    path.write_text(
        BUREAU + "items:\n  - title: 秦州区司法局领导信息\n"
        f"    formed: {dates['formed']}\n    published: {dates['published']}\n",
        encoding="utf-8",
    )
    message = bad_input("audit", path, *AS_OF)
    assert f"字段 {field}" in message and "9999-12-31" in message and "超出可判断的日期范围" in message


def test_as_of_at_the_end_of_the_calendar_is_a_usage_error() -> None:
    result = run_cli("audit", EXAMPLE, "--as-of", "9999-12-31")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "超出可判断的日期范围" in result.stderr


def test_valid_until_9999_means_no_end(tmp_path: Path) -> None:
    path = tmp_path / "清单.yaml"
    path.write_text(
        BUREAU + "items:\n  - title: 秦州区行政执法公示办法\n    published: 2020-03-05\n"
        "    validity: 有效\n    valid_until: 9999-12-31\n",
        encoding="utf-8",
    )
    result = run_cli("audit", path, *AS_OF, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(result.stdout)["findings"]
    assert findings and "expired" not in {finding["kind"] for finding in findings}


def test_working_days_over_decades_are_counted_not_walked() -> None:
    calendar = WorkCalendar.bundled()
    # 1900-2199 is the whole judged range; counting it is arithmetic, not a walk over 100,000 days
    assert calendar.working_days_after(date(1900, 1, 1), date(2199, 12, 31)) > 70_000
    # 2021: 春节 holidays 2月11-17日 (5 of them weekdays), make-up working days 2月7日 (Sun) and 20日 (Sat)
    assert calendar.working_days_after(date(2021, 2, 1), date(2021, 3, 1)) == 20 - 5 + 2


# --- CSV -------------------------------------------------------------------------------------------


def test_csv_field_longer_than_the_csv_modules_default_limit(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    body = "公民法律援助申请审查" * 14_000  # 140,000 characters of 正文
    path.write_text(f'标题,发布日期,正文\n秦州区司法局领导信息,2020-03-05,"{body}"\n', encoding="utf-8")
    result = run_cli("audit", path, "--bureau-name", "秦州区司法局", *AS_OF)
    assert result.exit_code in (0, 1), result.output


def test_csv_with_an_unclosed_quote_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_text(
        '标题,发布日期\n秦州区司法局领导信息,2020-03-05\n"未闭合\x00,2020-03-06\n', encoding="utf-8"
    )
    result = run_cli("audit", path, "--bureau-name", "秦州区司法局", *AS_OF)
    assert result.exit_code == 2
    assert "清单.csv" in one_line(result.stderr)


# --- xlsx and docx ------------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ROW2 = HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" {}</v></c></row>'
SHARED_OUT_OF_RANGE = (
    HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>99</v></c><c r="B2" t="s"><v>1</v></c></row>'
)
XLSX_CASES = {
    "no sheets": (xlsx_bytes(with_sheet=False), "没有工作表"),
    "sheet not XML": (xlsx_bytes(sheet=b"\x00\x01 not xml <<<"), "不是有效的 xlsx 工作簿"),
    "shared string out of range": (xlsx_bytes(SHARED_OUT_OF_RANGE), "不是有效的 xlsx 工作簿"),
    "date cell 2021-02-30": (xlsx_bytes(_ROW2.format('t="d"><v>2021-02-30')), "不是有效的 xlsx 工作簿"),
    "number cell holding text": (xlsx_bytes(_ROW2.format("><v>abc")), "不是有效的 xlsx 工作簿"),
    "cell reference ZZZZZZ2": (
        xlsx_bytes(HEADER_ROW + '<row r="2"><c r="ZZZZZZ2" t="s"><v>2</v></c></row>'),
        "不是有效的 xlsx 工作簿",
    ),
    "row number past the sheet": (
        xlsx_bytes(HEADER_ROW + '<row r="99999999999"><c r="A99999999999" t="s"><v>2</v></c></row>'),
        "1048576",
    ),
    "broken deflate data": (xlsx_bytes(broken_deflate=True), "不是有效的 xlsx 工作簿"),
    "encrypted entries": (xlsx_bytes(encrypted=True), "已加密"),
    "an OLE file (old .xls, or a password)": (OLE_MAGIC + bytes(600), "旧版 Office"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(XLSX_CASES))
def test_damaged_xlsx_inventory(tmp_path: Path, case: str) -> None:
    data, expected = XLSX_CASES[case]
    path = tmp_path / "清单.xlsx"
    path.write_bytes(data)
    message = bad_input("audit", path, "--bureau-name", "秦州区司法局", *AS_OF)
    assert "清单.xlsx" in message and expected in message


@pytest.mark.parametrize("case", [case for case in XLSX_CASES if case != "no sheets"])
def test_damaged_xlsx_catalogue_table(tmp_path: Path, case: str) -> None:
    data, expected = XLSX_CASES[case]
    path = tmp_path / "目录.xlsx"
    path.write_bytes(data)
    message = bad_input("catalogue", "import", path, "-o", tmp_path / "目录.yaml")
    assert "目录.xlsx" in message
    assert expected in message or "过大" in message
    assert not (tmp_path / "目录.yaml").exists()


def test_a_sheet_of_millions_of_cells_is_refused_before_it_is_loaded(tmp_path: Path) -> None:
    row = "".join(f'<c r="{letter}{{r}}" s="1"/>' for letter in "ABCDEFGHIJ")
    rows = "".join(f'<row r="{r}">' + row.replace("{r}", str(r)) + "</row>" for r in range(1, 20_002))
    path = tmp_path / "目录.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    message = bad_input("catalogue", "import", path, "-o", tmp_path / "目录.yaml")
    assert "目录.xlsx" in message and "超过 100000 个单元格" in message


def test_docx_without_a_body(tmp_path: Path) -> None:
    template = tmp_path / "空白.docx"
    Document().save(str(template))
    path = tmp_path / "目录.docx"
    path.write_bytes(docx_without_body(template))
    message = bad_input("catalogue", "import", path, "-o", tmp_path / "目录.yaml")
    assert "目录.docx" in message and "没有正文" in message


# --- HTML catalogue tables ------------------------------------------------------------------------

CATALOGUE_HEAD = (
    "<table><tr><th>一级事项</th><th>二级事项</th><th>公开内容（要素）</th><th>公开时限</th></tr>"
)


@pytest.mark.parametrize("span", ["²", "٣", "99999999999999999999999", "3px", "-2", "", "0", "007"])
def test_html_spans_are_read_as_browsers_read_them(tmp_path: Path, span: str) -> None:
    path = tmp_path / "目录.html"
    path.write_text(
        CATALOGUE_HEAD + f'<tr><td rowspan="{span}">法律援助</td><td colspan="{span}">法律援助机构</td>'
        "<td>名称、地址、联系方式</td><td>信息形成之日起20个工作日内</td></tr>"
        "<tr><td>公证服务</td><td>公证机构</td><td>名称、地址</td><td>20个工作日内</td></tr></table>",
        encoding="utf-8",
    )
    result = run_cli("catalogue", "import", path, "-o", tmp_path / "目录.yaml")
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.stderr


def test_html_spans_beyond_the_cell_limit_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "目录.html"
    rows = "".join('<tr><td colspan="1000">法律援助</td></tr>' for _ in range(200))
    path.write_text(CATALOGUE_HEAD + rows + "</table>", encoding="utf-8")
    message = bad_input("catalogue", "import", path, "-o", tmp_path / "目录.yaml")
    assert "超过 100000 个单元格" in message


# --- saved portals ---------------------------------------------------------------------------------


def test_mirror_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    mirror = tmp_path / "site"
    mirror.mkdir()
    page = "<html><body><h1>秦州区司法局领导信息</h1><p>发布日期：2020-03-05</p></body></html>"
    gbk_name = "领导信息.html".encode("gbk")  # an archive made on Chinese Windows
    mirror.joinpath(gbk_name.decode("utf-8", "surrogateescape")).write_text(page, encoding="utf-8")
    broken = b"\xff\xfe\x80.html"
    mirror.joinpath(broken.decode("utf-8", "surrogateescape")).write_text(page, encoding="utf-8")

    result = harvest(mirror)
    assert [unquote(item.url) for item in result.items] == ["领导信息.html"]
    skipped = [note.path for note in result.notes if note.skipped]
    assert all(path.encode("utf-8") for path in skipped)  # every name is text an output can hold
    audited = run_cli("harvest", mirror, "-o", tmp_path / "清单.yaml", "--bureau-name", "秦州区司法局", "-v")
    assert audited.exit_code == 0, audited.output


def test_numeric_keys_are_text_as_in_json(tmp_path: Path) -> None:
    # found by the fuzz suite: a number as an unexpected key broke the message about it
    calendar = tmp_path / "日历.yaml"
    calendar.write_text("source: 通知\nyears:\n  2027:\n    holidays: []\n    2027: [2027-01-01]\n", "utf-8")
    message = bad_input("audit", EXAMPLE, "--calendar", calendar, *AS_OF)
    assert "日历.yaml" in message and "不认识的键 2027" in message
    assert load_yaml_text("1: a\nnull: b\ntrue: c\n", "键.yaml").data == {"1": "a", "null": "b", "true": "c"}


def test_annual_report_docx_damaged_or_without_a_body(tmp_path: Path) -> None:
    template = tmp_path / "空白.docx"
    Document().save(str(template))
    report = tmp_path / "年报.docx"
    report.write_bytes(docx_without_body(template))
    message = bad_input("report", "check", report, *AS_OF)
    assert "年报.docx" in message and "没有正文" in message
    raw = bytearray(template.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = raw.find(signature)
        while start != -1:
            raw[start + offset] |= 0x01  # every entry marked as encrypted
            start = raw.find(signature, start + 4)
    report.write_bytes(bytes(raw))
    assert "已加密" in bad_input("report", "check", report, *AS_OF)


def test_annual_report_page_with_a_non_ascii_rowspan(tmp_path: Path) -> None:
    # found by the fuzz suite: the annual report reader had a span parser of its own
    from tests.annual_reports import correct_2021, write_html

    page = write_html(correct_2021(), tmp_path / "年报.html")
    text = page.read_text(encoding="utf-8")
    assert "<td" in text
    page.write_text(text.replace("<td", '<td rowspan="²" colspan="٣"', 3), encoding="utf-8")
    result = run_cli("report", "check", page, *AS_OF)
    assert result.exit_code in (0, 1, 2) and "Traceback" not in result.stderr, result.output
