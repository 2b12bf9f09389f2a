"""Hypothesis strategies for bad input: a valid seed file changed in a few hostile ways.

Most of what breaks a loader sits inside an otherwise well-formed file (a tag on one value, a
span attribute, a date at the end of the calendar, a damaged part of a zip), so the strategies
start from a realistic seed and insert, replace, repeat, delete and truncate, with tokens taken
from what has broken loaders before, plus now and then bytes with no structure at all.
"""

from __future__ import annotations

import io
import zipfile

from hypothesis import strategies as st

MAX_FUZZED_BYTES = 2 * 1024 * 1024

_TEXT_TOKENS = [
    # YAML
    "!!binary aGk=", "!!timestamp 2021-02-30", "!!int abc", "!!float x", "!!bool maybe", "!!set {a: 1}",
    "!!python/object:os.system x", "!foo x", "&a [1, 2]", "*a", "<<: {name: x}", "? [1]\n: 2", "--- ", "...",
    "!!str [1]", "!!null x", "!!omap [a: 1]", "!!merge x", "!!value x",
    # numbers and dates
    "9" * 4301, "1e99999", "-0", "NaN", "Infinity", "0x", "1_000", "2021-02-30", "9999-12-31", "0001-01-01",
    "2021年13月1日", "2021/2/29", "2199-12-31", "1899-12-31", "10000-01-01", "99999999999999999999个工作日",
    # JSON
    "\\ud800", "\\udfff", "\\ud83d\\ude00", "\\u0000", "[" * 3000, "{\"a\":" * 3000, "]", "}", "null", "true",
    # control and bidirectional characters, terminal escapes
    "\x00", "\x1b[31m", "\x1b]0;title\x07", "\u202e", "\u2066", "\r", "\ufeff", "\t", "\n", "\x85", "\u2028",
    # CSV, spreadsheet
    "'", '"', ",", ";", ":", "#", "|", "\\", "=cmd|' /C calc'!A0", "x" * 140_000, '"' * 3,
    # inventory and catalogue vocabulary
    "标题", "发布日期", "成文日期", "有效期至", "栏目", "索引号", "tags", "validity", "有效", "废止",
    "level", "city", "公开事项", "一级事项", "二级事项", "公开内容", "公开时限", "公开方式", "主动",
    "依申请", "■", "√", "同上",
    "20个工作日内", "信息形成或变更之日起20个工作日内", "每年3月31日前", "9999999个工作日",
    # HTML
    '<td rowspan="²">', '<td colspan="99999999999">', '<td rowspan="0">', '<td colspan="1000">', "<table>",
    "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "<br>", "<!--", "<![CDATA[", "&#0;", "&#x202e;",
    "&nbsp;", "<meta charset=\"gbk\">", "<meta charset=\"x-unknown\">", "<script>", "<div>" * 500,
    # xlsx and docx parts
    '<c r="ZZZZZZ2">', "<v>abc</v>", ' t="d"', ' t="s"', "<v>99999</v>", '<row r="99999999999">',
    '<c r="XFD1048576">', "<sheetData>", "</sheetData>", '<mergeCell ref="A1:XFD1048576"/>', "<w:body>",
    "</w:body>", "<w:tbl>", "</w:tbl>", '<w:gridSpan w:val="999999"/>', '<w:vMerge w:val="restart"/>',
    "<w:tc>", '<w:gridBefore w:val="99999"/>', '<!DOCTYPE x [<!ENTITY e "e">]>', "&e;",
]  # fmt: skip
_BYTE_TOKENS = [
    b"\xff\xfe", b"\xfe\xff", b"\x80", b"\xc3", b"\xed\xa0\x80", "标题".encode("gbk"), "發佈".encode("big5"),
    b"\x00" * 16, b"\xef\xbb\xbf", b"PK\x03\x04", b"%PDF-1.4",
]  # fmt: skip

TOKENS = [token.encode("utf-8", errors="surrogatepass") for token in _TEXT_TOKENS] + _BYTE_TOKENS


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with one to four hostile changes."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "replace", "repeat", "delete", "truncate", "flip"]))
        start = draw(st.integers(0, len(data)))
        end = min(len(data), start + draw(st.integers(0, 64)))
        if kind == "insert":
            data[start:start] = draw(st.sampled_from(TOKENS))
        elif kind == "replace":
            data[start:end] = draw(st.sampled_from(TOKENS))
        elif kind == "repeat":
            data[start:end] = data[start:end] * draw(st.integers(2, 2000))
        elif kind == "delete":
            del data[start:end]
        elif kind == "truncate":
            del data[start:]
        elif data:
            position = min(start, len(data) - 1)
            data[position] ^= draw(st.integers(1, 255))
        if len(data) > MAX_FUZZED_BYTES:
            del data[MAX_FUZZED_BYTES:]
    return bytes(data)


def bad_bytes(seed: bytes) -> st.SearchStrategy[bytes]:
    """Mostly the seed changed in a few hostile ways; now and then anything at all."""
    return st.one_of(mutated(seed), mutated(seed), mutated(seed), st.binary(max_size=4096))


@st.composite
def bad_package(draw: st.DrawFn, seed: bytes) -> bytes:
    """A zip package (xlsx, docx) with one part changed, a part dropped, or the zip itself damaged."""
    with zipfile.ZipFile(io.BytesIO(seed)) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    kind = draw(st.sampled_from(["part", "part", "part", "drop", "raw", "encrypted"]))
    if kind == "raw":
        return draw(mutated(seed))
    names = sorted(parts)
    name = draw(st.sampled_from(names))
    if kind == "drop":
        del parts[name]
    elif kind == "part":
        parts[name] = draw(mutated(parts[name]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for part, data in parts.items():
            package.writestr(part, data)
    raw = buffer.getvalue()
    if kind == "encrypted":
        raw = raw.replace(b"PK\x03\x04\x14\x00\x00\x00", b"PK\x03\x04\x14\x00\x01\x00", 1)
    return raw


# Names a saved portal's files can have: not UTF-8 (GBK from a Chinese Windows archive, or no
# charset at all), terminal escapes and bidirectional overrides, very long, query strings.
FILE_NAMES = [
    "领导信息.html".encode("gbk"), b"\xff\xfe\x80.html", b"a\x1b[31m.html", "报告\u202elmth.exe".encode(),
    ("长" * 80 + ".html").encode(), b"show.jsp?id=3&x=\xff", b"index.htm", b"page.txt", b"noext",
]  # fmt: skip
