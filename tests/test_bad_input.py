"""Bad input ends in exit code 2 and one paragraph on stderr naming the file, the row or line
and the field — never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli

BUREAU = "bureau:\n  name: 秦州区司法局\n"


def _audit(path: Path) -> tuple[int, str]:
    result = run_cli("audit", path, "--as-of", "2021-03-10")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stderr


def _one_message(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_broken_yaml_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "清单.yaml"
    path.write_text(
        BUREAU + "items:\n  - title: 秦州区司法局领导信息\n    published: [2020-03-05\n", encoding="utf-8"
    )
    code, stderr = _audit(path)
    message = _one_message(stderr)
    assert code == 2
    assert "清单.yaml" in message and "YAML 语法错误" in message and "第 5 行" in message


def test_impossible_date_names_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_text(
        "标题,发布日期\n秦州区司法局领导信息,2020-03-05\n秦州区司法局内设机构,2021-02-30\n", encoding="utf-8"
    )
    path.with_suffix(".bureau.yaml").write_text(BUREAU, encoding="utf-8")
    code, stderr = _audit(path)
    message = _one_message(stderr)
    assert code == 2
    assert "清单.csv" in message and "第 3 行" in message and "published（发布日期）" in message
    assert "2021-02-30" in message and "不是存在的日期" in message


def test_missing_required_field_is_named(tmp_path: Path) -> None:
    path = tmp_path / "清单.yaml"
    path.write_text(
        BUREAU + "items:\n  - title: 秦州区司法局领导信息\n    formed: 2020-03-02\n", encoding="utf-8"
    )
    code, stderr = _audit(path)
    message = _one_message(stderr)
    assert code == 2
    assert "第 4 行（第 1 条）" in message and "published" in message and "缺少必填项" in message


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_text("标题,栏目\n秦州区司法局领导信息,领导信息\n", encoding="utf-8")
    code, stderr = _audit(path)
    message = _one_message(stderr)
    assert code == 2 and "表头缺少必填列 published" in message and "发布日期/发布时间" in message


def test_unknown_column_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "清单.yaml"
    path.write_text(BUREAU + "  columns:\n    - {name: 工作动态, kind: blog}\nitems: []\n", encoding="utf-8")
    code, stderr = _audit(path)
    message = _one_message(stderr)
    assert code == 2
    assert "第 4 行" in message and "bureau.columns.0.kind" in message and "blog" in message
    assert "news" in message  # the expected kinds are listed


@pytest.mark.parametrize("name", ["清单.yaml", "清单.csv", "清单.json", "清单.jsonl"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    code, stderr = _audit(path)
    assert code == 2 and "文件为空" in _one_message(stderr)


def test_binary_file_given_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    code, stderr = _audit(path)
    assert code == 2 and "不是文本 CSV 文件" in _one_message(stderr)


def test_junk_given_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "清单.xlsx"
    path.write_bytes(b"not a zip file at all")
    code, stderr = _audit(path)
    assert code == 2 and "不是有效的 xlsx 工作簿" in _one_message(stderr)


def test_json_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "清单.json"
    path.write_text('{"bureau": {"name": "秦州区司法局"},\n "items": [}\n', encoding="utf-8")
    code, stderr = _audit(path)
    message = _one_message(stderr)
    assert code == 2 and "JSON 语法错误" in message and "第 2 行" in message


def test_unsupported_suffix_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "清单.txt"
    path.write_text("x", encoding="utf-8")
    code, stderr = _audit(path)
    assert code == 2 and "不支持的清单格式" in _one_message(stderr)
    code, stderr = _audit(tmp_path / "不存在.yaml")
    assert code == 2 and "文件不存在" in _one_message(stderr)


def test_csv_without_bureau_says_how_to_give_one(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_text("标题,发布日期\n秦州区司法局领导信息,2020-03-05\n", encoding="utf-8")
    code, stderr = _audit(path)
    message = _one_message(stderr)
    assert code == 2 and "清单.bureau.yaml" in message and "--bureau-name" in message


def test_unknown_profile_and_function(tmp_path: Path) -> None:
    path = tmp_path / "清单.yaml"
    path.write_text(BUREAU + "  profile: county-police-bureau\nitems: []\n", encoding="utf-8")
    code, stderr = _audit(path)
    assert code == 2 and "未定义的职能档案 county-police-bureau" in _one_message(stderr)
    path.write_text(BUREAU + "  functions: [fishing]\nitems: []\n", encoding="utf-8")
    code, stderr = _audit(path)
    assert code == 2 and "未定义的职能 fishing" in _one_message(stderr)


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "清单.yaml"
    path.write_text(
        BUREAU + "items:\n  - &a {title: 秦州区司法局领导信息, published: 2020-03-05}\n  - *a\n",
        encoding="utf-8",
    )
    code, stderr = _audit(path)
    assert code == 2 and "不支持 YAML 锚点/别名" in _one_message(stderr)


def test_bad_option_values_exit_2(tmp_path: Path) -> None:
    result = run_cli("audit", tmp_path / "x.yaml", "--as-of", "2021-02-30")
    assert result.exit_code == 2 and "不是存在的日期" in result.stderr
