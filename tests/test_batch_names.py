"""Output file names built from bureau names: whatever a name holds, the file stays directly in
the output folder, is unique and still reads as the bureau's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance_audit.batch.names import MAX_NAME_BYTES, inside, safe_name, unique_names

HOSTILE = [
    "../../etc/passwd",
    "/etc/cron.d/x",
    "..",
    ".",
    "",
    "   ",
    "C:\\Windows\\system32",
    "con",
    "NUL.txt",
    "甘谷县\x00司法局",
    "武山县\n司法局",
    "清水县司法局\u202egpj.exe",  # right-to-left override
    "秦安县司法局" * 60,
    'a<b>c:"d"|e?f*g',
    ".hidden",
    "~/.ssh/authorized_keys",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_no_name_can_leave_the_folder_or_hide_a_file(tmp_path: Path, name: str) -> None:
    stem = safe_name(name)
    assert stem
    assert "/" not in stem and "\\" not in stem and "\x00" not in stem and "\n" not in stem
    assert not stem.startswith(".")
    assert stem not in (".", "..")
    assert len(stem.encode("utf-8")) <= MAX_NAME_BYTES
    assert "\u202e" not in stem
    path = inside(tmp_path, stem, ".json")
    path.write_text("{}", encoding="utf-8")
    assert path.resolve().parent == tmp_path.resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_chinese_names_are_kept_as_they_read() -> None:
    assert safe_name("天水市秦州区司法局") == "天水市秦州区司法局"
    assert safe_name("天水市 秦州区司法局（公共法律服务中心）") == "天水市 秦州区司法局(公共法律服务中心)"


def test_device_names_are_not_device_names_any_more() -> None:
    assert safe_name("CON") == "_CON"
    assert safe_name("lpt1.docx") == "_lpt1.docx"


def test_names_that_sanitise_alike_get_numbers() -> None:
    names = unique_names(["甘谷县/司法局", "甘谷县\\司法局", "甘谷县:司法局", "ABC", "abc"])
    assert names == ["甘谷县_司法局", "甘谷县_司法局-2", "甘谷县_司法局-3", "ABC", "abc-2"]


def test_a_long_name_is_cut_on_a_character_boundary() -> None:
    stem = safe_name("秦安县司法局" * 60)
    stem.encode("utf-8").decode("utf-8")
    assert stem.startswith("秦安县司法局秦安县")
    longer = unique_names(["秦安县司法局" * 60, "秦安县司法局" * 61])
    assert longer[1].endswith("-2") and len(longer[1].encode("utf-8")) <= MAX_NAME_BYTES
