"""Reading one cell of a catalogue table: element lists, legal bases, ■/□ channel lists, √ ticks,
deadline sentences. Each function takes the cell's text (merged cells and 同上 already resolved)
and says None where it cannot read the cell, so that the caller keeps the text verbatim.

Element lists are split on newlines, ；/; and numbering ("1." "（2）" "③") first. A cell that has
none of these is split on 、 only when every part is at least four characters long: 、 lists
whole items ("办事指南（依据、条件、程序）、准予行政许可决定") but also joins words that share a head
or a tail ("法治文化作品、产品", "公共法律服务实体、热线、网络平台法律咨询服务指南"), which are one
element. 、 inside brackets never splits.
"""

from __future__ import annotations

import re
from typing import Any

from compliance_audit.catalogue_import.header import level_of_label, normalize_label

_OPEN = "（(《〈【[“<"
_CLOSE = "）)》〉】]”>"
_EDGE_PUNCTUATION = " \t；;，,。、：:"
_MIN_LISTED_LENGTH = 4
_LEADING_NUMBER = re.compile(r"^\s*(?:(\d{1,2})\s*[.．、)）](?!\d)|[(（](\d{1,2})[)）]|([①-⑳]))\s*")
_SAME_AS_ABOVE = frozenset({"同上", "同上栏", "同上项"})
# the ways a list says it is not complete: 等, 等等, and 等 with the kind of thing listed
_OPEN_LIST = ("等等", "等信息", "等情况", "等内容", "等材料", "等事项", "等")

_SELECTED = "■☑✓✔√●"
_UNSELECTED = "□☐"
_MARKER = re.compile(f"([{_SELECTED}{_UNSELECTED}])")
_CHANNEL_NOTE = re.compile(r"(?<!关)(?:备)?注\s*[:：]")

_TICKS = frozenset({*"√✓✔☑■●", "是", "有", "Y", "y", "V", "v", "yes", "Yes", "YES"})
_NOT_TICKS = frozenset({"", *"×✗✘□☐/-—", "——", "否", "无", "N", "n", "no", "No", "NO"})

_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBER = r"(\d{1,3}|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])"
_WORKING_DAYS = re.compile(_NUMBER + r"个?工作日")
_CALENDAR_DAYS = re.compile(r"(?<![\d月])" + _NUMBER + r"个?(?:自然日|日历日|天|日)(?:内|以内|之内)")
_ANNUAL_DUE = re.compile(r"每年(\d{1,2})月(\d{1,2})日(?:前|之前|以前)")
_DECISION = re.compile(r"作出.{0,12}决定|决定作出")
# deadlines that set no period of days: published continuously or as soon as possible
_NO_PERIOD = ("实时", "即时", "及时", "随时", "长期", "常态", "常年", "动态", "持续")
_CITATION_BOUNDARY = re.compile(r"(?<=》)[\s、，,]*(?=《)|(?<=》)[\s、，,]+|[\s、，,]+(?=《)")


def is_same_as_above(text: str) -> bool:
    return normalize_label(text).strip(_EDGE_PUNCTUATION) in _SAME_AS_ABOVE


def split_elements(text: str) -> list[str]:
    pieces = [piece for part in split_outside_brackets(text, "；;\n") for piece in _split_numbered(part)]
    elements = [cleaned for cleaned in (_clean_item(piece) for piece in pieces) if cleaned]
    if len(elements) == 1 and len(pieces) == 1 and not _LEADING_NUMBER.match(text):
        listed = [_clean_item(part) for part in split_outside_brackets(elements[0], "、")]
        if len(listed) > 1 and all(len(part) >= _MIN_LISTED_LENGTH for part in listed):
            elements = listed
    if elements:
        # "…普法讲师团信息等": 等 says the list is open, it is not part of the last element's name
        last = elements[-1]
        for suffix in _OPEN_LIST:
            if last.endswith(suffix) and len(last) - len(suffix) >= 2:
                elements[-1] = last[: -len(suffix)]
                break
    return elements


def lists_examples(text: str) -> bool:
    """Whether an element list ends in 等 (等信息, 等情况 …): what it lists are examples."""
    return normalize_label(text).rstrip(_EDGE_PUNCTUATION + "\n").endswith(_OPEN_LIST)


def split_basis(text: str) -> list[str]:
    """Legal bases: one per line, per ；, or per citation (《A》、《B》, 《A》 浙江省“七五”普法规划)."""
    items: list[str] = []
    for part in split_outside_brackets(text, "；;\n"):
        for piece in _split_numbered(part):
            items.extend(cleaned for cleaned in (_clean_item(c) for c in _split_citations(piece)) if cleaned)
    return items


def parse_channels(text: str) -> tuple[list[str], str]:
    """(the ■ items, or every listed item when the cell has no check boxes; the cell's 注：note)."""
    note_at = _CHANNEL_NOTE.search(text)
    body, note = (text[: note_at.start()], text[note_at.end() :].strip()) if note_at else (text, "")
    if not _MARKER.search(body):
        return [
            item
            for item in (_clean_item(part) for part in split_outside_brackets(body, "；;、，,\n"))
            if item
        ], note
    tokens = _MARKER.split(body)
    leading = _clean_item(tokens[0])
    channels = [
        item
        for marker, raw in zip(tokens[1::2], tokens[2::2], strict=True)
        if marker in _SELECTED and (item := _clean_item(raw))
    ]
    return channels, "；".join(part for part in (leading, note) if part)


def checked_items(text: str) -> list[str] | None:
    """The items a check-box cell selects ("■全社会□特定群众" → [全社会]); None when the cell has
    no check boxes."""
    if not _MARKER.search(text):
        return None
    tokens = _MARKER.split(text)
    return [
        item
        for marker, raw in zip(tokens[1::2], tokens[2::2], strict=True)
        if marker in _SELECTED and (item := _clean_item(raw))
    ]


def tick(text: str) -> bool | None:
    """True for √ (and the like), False for an empty or crossed cell, None for anything else."""
    compact = normalize_label(text)
    if compact in _TICKS:
        return True
    if compact in _NOT_TICKS:
        return False
    return None


def parse_deadline(text: str) -> dict[str, Any] | None:
    """The deadline model for a 公开时限 sentence; None when the sentence is not understood."""
    compact = normalize_label(text)
    start = _start(compact)
    if match := _WORKING_DAYS.search(compact):
        return {"working_days": _number(match.group(1)), "from": start, "text": text}
    if match := _CALENDAR_DAYS.search(compact):
        return {"calendar_days": _number(match.group(1)), "from": start, "text": text}
    if (
        (match := _ANNUAL_DUE.search(compact))
        and 1 <= int(match.group(1)) <= 12
        and 1 <= int(match.group(2)) <= 31
    ):
        return {"annual_due": f"{int(match.group(1)):02d}-{int(match.group(2)):02d}", "text": text}
    if any(word in compact for word in _NO_PERIOD):
        return {"working_days": None, "text": text}
    return None


def levels_in_text(text: str) -> list[str] | None:
    """Levels named in a text cell ("县级、乡级", "县、乡"); None when any part names no level."""
    levels: list[str] = []
    for part in split_outside_brackets(normalize_label(text), "、，,;；/和及与"):
        if not part:
            continue
        level = level_of_label(part) or level_of_label(part + "级")
        if level is None:
            return None
        if level not in levels:
            levels.append(level)
    return levels


def split_outside_brackets(text: str, separators: str) -> list[str]:
    parts: list[str] = []
    depth = start = 0
    for position, character in enumerate(text):
        if character in _OPEN:
            depth += 1
        elif character in _CLOSE:
            depth = max(depth - 1, 0)
        elif character in separators and depth == 0:
            parts.append(text[start:position])
            start = position + 1
    parts.append(text[start:])
    return parts


def _split_numbered(text: str) -> list[str]:
    """ "1.甲 2.乙 3.丙" → [甲, 乙, 丙]: after marker n, only marker n + 1 starts the next item, so a
    stray number inside an item ("第7条", "2016年") does not split it."""
    first = _LEADING_NUMBER.match(text)
    if not first:
        return [text]
    number = _marker_number(first)
    items: list[str] = []
    position = first.end()
    while True:
        number += 1
        following = _marker(number).search(text, position)
        if following is None:
            items.append(text[position:])
            return items
        items.append(text[position : following.start()])
        position = following.end()


def _marker_number(match: re.Match[str]) -> int:
    arabic = match.group(1) or match.group(2)
    return int(arabic) if arabic else ord(match.group(3)) - ord("①") + 1


def _marker(number: int) -> re.Pattern[str]:
    circled = re.escape(chr(ord("①") + number - 1)) if number <= 20 else "(?!)"
    return re.compile(rf"(?<!\d)(?:{number}\s*[.．、)）](?!\d)|[(（]{number}[)）]|{circled})")


def _split_citations(text: str) -> list[str]:
    depth_before = []
    depth = 0
    for character in text:
        depth_before.append(depth)
        if character in _OPEN:
            depth += 1
        elif character in _CLOSE:
            depth = max(depth - 1, 0)
    parts: list[str] = []
    start = 0
    for boundary in _CITATION_BOUNDARY.finditer(text):
        if depth_before[boundary.start()] == 0 and boundary.start() > start:
            parts.append(text[start : boundary.start()])
            start = boundary.end()
    parts.append(text[start:])
    return parts


def _clean_item(text: str) -> str:
    return _LEADING_NUMBER.sub("", text.strip(_EDGE_PUNCTUATION + "\n"), count=1).strip(
        _EDGE_PUNCTUATION + "\n"
    )


def _start(compact: str) -> str:
    if "获取" in compact:
        return "formed_or_obtained"
    if _DECISION.search(compact):
        return "decision"
    if "批准" in compact:
        return "approval"
    return "formed"


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _CHINESE_DIGITS[text]
    tens, _, units = text.partition("十")
    return _CHINESE_DIGITS.get(tens, 1) * 10 + _CHINESE_DIGITS.get(units, 0)
