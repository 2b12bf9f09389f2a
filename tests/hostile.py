"""Hand-made damaged and hostile Office files (the zip parts written one by one), for the tests
that prove such files end in a clear message instead of a crash."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def workbook_xml(with_sheet: bool = True) -> str:
    sheets = '<sheet name="信息清单" sheetId="1" r:id="rId1"/>' if with_sheet else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f"<sheets>{sheets}</sheets></workbook>"
    )


def sheet_xml(rows: str) -> str:
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
    return f"{head}<sheetData>{rows}</sheetData></worksheet>"


def shared_strings_xml(strings: list[str]) -> str:
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="{len(strings)}">{items}</sst>'


HEADER_ROW = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
STRINGS = ["标题", "发布日期", "秦州区司法局领导信息"]


def xlsx_bytes(
    rows: str = HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="inlineStr">'
    "<is><t>2021-02-01</t></is></c></row>",
    *,
    with_sheet: bool = True,
    sheet: str | bytes | None = None,
    strings: list[str] | None = None,
    encrypted: bool = False,
    broken_deflate: bool = False,
) -> bytes:
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": workbook_xml(with_sheet),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet if sheet is not None else sheet_xml(rows),
        "xl/sharedStrings.xml": shared_strings_xml(STRINGS if strings is None else strings),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    raw = buffer.getvalue()
    if encrypted:
        raw = _set_encrypted_flag(raw)
    if broken_deflate:
        raw = _break_member(raw, "xl/worksheets/sheet1.xml")
    return raw


def _set_encrypted_flag(raw: bytes) -> bytes:
    """Mark every entry as encrypted (general purpose flag bit 0), as a password-protected zip is."""
    data = bytearray(raw)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + offset] |= 0x01
            start = data.find(signature, start + 4)
    return bytes(data)


def _break_member(raw: bytes, name: str) -> bytes:
    """Overwrite the compressed data of one member with bytes that are not a deflate stream."""
    with zipfile.ZipFile(io.BytesIO(raw)) as package:
        info = package.getinfo(name)
    data = bytearray(raw)
    header = info.header_offset
    name_length = int.from_bytes(data[header + 26 : header + 28], "little")
    extra_length = int.from_bytes(data[header + 28 : header + 30], "little")
    start = header + 30 + name_length + extra_length
    data[start : start + min(info.compress_size, 64)] = b"\xff" * min(info.compress_size, 64)
    return bytes(data)


def docx_without_body(template: Path) -> bytes:
    """A copy of a real .docx whose document part has no <w:body>."""
    source = zipfile.ZipFile(template)
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = (
                    b'<?xml version="1.0" encoding="UTF-8"?>'
                    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
                )
            package.writestr(info, data)
    return buffer.getvalue()
