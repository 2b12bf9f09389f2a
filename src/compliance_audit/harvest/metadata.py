"""Finding label/value pairs of a 政府信息公开 metadata block in lines of page text.

Portals write the same block in many ways (see shared/reference/portal-pages.md): labels padded
with spaces (索 引 号, 名　　称), both colons, one to three pairs on a line, the value on the line
after its label, the block repeated for a mobile layout, and on mirrors labels in traditional
characters with pinyin after them (索引號(hào)). Everything here works on plain lines, so HTML
(html.py) and text dumps (text.py) share it: they only have to turn a page into lines, writing a
label that stands alone in its own cell or element as "label：".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class Label:
    field: str  # canonical field, or "" for a label read only so that it ends the value before it
    rank: int  # when several labels give one field, the lowest rank wins (then the first seen)


# Ranks encode which variant is the catalogue's own field. 发布日期/公开日期 (rank < BODY_DATE_RANK)
# belong to the metadata block; 发布时间/日期/时间 are usually the date line under the title.
BODY_DATE_RANK = 2

LABELS: dict[str, Label] = {
    "索引号": Label("index_no", 0),
    "信息索引号": Label("index_no", 0),
    "索引": Label("index_no", 1),
    "名称": Label("title", 0),
    "标题": Label("title", 0),
    "文件名称": Label("title", 0),
    "信息名称": Label("title", 0),
    "文章标题": Label("title", 1),
    "主题分类": Label("topic", 0),
    "信息分类": Label("topic", 1),
    "主题导航": Label("topic", 2),
    "分类": Label("topic", 3),
    "发布目录": Label("topic", 4),
    "组配分类": Label("topic", 5),
    "发布机构": Label("publisher", 0),
    "发文机关": Label("publisher", 1),
    "发文机构": Label("publisher", 1),
    "发布机关": Label("publisher", 1),
    "发布单位": Label("publisher", 2),
    "来源": Label("publisher", 3),
    "信息来源": Label("publisher", 3),
    "文章来源": Label("publisher", 3),
    "成文日期": Label("formed", 0),
    "成文时间": Label("formed", 0),
    "生成日期": Label("formed", 1),
    "产生日期": Label("formed", 1),
    "形成日期": Label("formed", 1),
    "发文日期": Label("formed", 2),
    "印发日期": Label("formed", 2),
    "发布日期": Label("published", 0),
    "公开日期": Label("published", 1),
    "发布时间": Label("published", BODY_DATE_RANK),
    "日期": Label("published", BODY_DATE_RANK + 1),
    "时间": Label("published", BODY_DATE_RANK + 2),
    "文号": Label("doc_no", 0),
    "发文字号": Label("doc_no", 0),
    "发布文号": Label("doc_no", 1),
    "有效性": Label("validity", 0),
    "时效性": Label("validity", 1),
    "时效": Label("validity", 1),
    "有效期至": Label("valid_until", 0),
    "失效日期": Label("valid_until", 1),
    "内容概述": Label("summary", 0),
    "内容摘要": Label("summary", 0),
    "摘要": Label("summary", 1),
}

# Labels that are not inventory fields but sit on the same lines; knowing them keeps
# "来源:县住建局 浏览次数: 字体:[ ]" from becoming a publisher "县住建局 浏览次数: 字体:[ ]".
_STOP_LABELS = (
    "公开方式",
    "公开形式",
    "公开范围",
    "公开时限",
    "审核程序",
    "关键词",
    "关键字",
    "主题词",
    "浏览次数",
    "访问次数",
    "阅读次数",
    "点击次数",
    "点击数",
    "浏览量",
    "访问量",
    "累计次数",
    "字体",
    "字号",
    "作者",
    "责任编辑",
    "编辑",
    "归档时间",
    "生效日期",
    "施行日期",
    "体裁分类",
    "服务对象",
    "有效期",
    "打印",
    "分享到",
    "当前位置",
    "您的位置",
    "您现在的位置",
)
LABELS.update({label: Label("", 0) for label in _STOP_LABELS})

# Traditional forms of the label characters above: mirrors copy gov pages in traditional script.
# Only labels are matched in either script; values are kept exactly as the page has them.
_TRADITIONAL = {
    "号": "號",
    "发": "發",
    "布": "佈",
    "机": "機",
    "构": "構",
    "题": "題",
    "类": "類",
    "标": "標",
    "称": "稱",
    "时": "時",
    "间": "間",
    "开": "開",
    "关": "關",
    "来": "來",
    "产": "產",
    "组": "組",
    "导": "導",
    "录": "錄",
    "内": "內",
    "审": "審",
    "键": "鍵",
    "词": "詞",
    "浏": "瀏",
    "览": "覽",
    "数": "數",
    "访": "訪",
    "问": "問",
    "计": "計",
    "体": "體",
    "归": "歸",
    "档": "檔",
    "当": "當",
    "单": "單",
    "点": "點",
    "击": "擊",
    "阅": "閱",
    "读": "讀",
    "责": "責",
    "编": "編",
    "辑": "輯",
    "围": "圍",
    "范": "範",
    "现": "現",
    "务": "務",
}
_SIMPLIFIED = {traditional: simplified for simplified, traditional in _TRADITIONAL.items()}

# Some mirrors add the pinyin of a character after it: 索引號(hào).
_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_PINYIN_SYLLABLE = f"[(（][{_PINYIN_LETTERS}]{{1,8}}[)）]"
_PINYIN = f"(?:{_PINYIN_SYLLABLE})?"
_PINYIN_RE = re.compile(_PINYIN_SYLLABLE)
COLONS = ":：﹕"
_CJK = "\u3400-\u9fff\uf900-\ufaff"


def _alternation() -> str:
    """Every label as one regular expression, written as a trie (发布(?:机构|日期|…)) so that a
    position is rejected after a character or two rather than after trying each label in turn.
    Longer labels are tried first (成文日期 before 日期); a label of two characters only counts at
    the start of a phrase, so that "单位名称：" or "会议时间：" in body text is not read as one."""
    long_labels = [label for label in LABELS if len(label) > 2]
    short_labels = [label for label in LABELS if len(label) <= 2]
    first = "".join(sorted({c for label in LABELS for c in label[0] + _TRADITIONAL.get(label[0], "")}))
    return f"(?=[{first}])(?:{_trie(long_labels)}|(?<![{_CJK}]){_trie(short_labels)})"


def _trie(labels: list[str]) -> str:
    tree: dict[str, Any] = {}
    for label in labels:
        node = tree
        for char in label:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(tree)


def _branches(node: dict[str, Any]) -> str:
    options = []
    for char in sorted(key for key in node if key):  # continuations first: the longest label wins
        traditional = _TRADITIONAL.get(char)
        head = (f"[{char}{traditional}]" if traditional else re.escape(char)) + _PINYIN
        rest = node[char]
        following = [key for key in rest if key]
        if not following:
            options.append(head)
        else:
            tail = f" *{_branches(rest)}"
            options.append(head + (f"(?:{tail})?" if "" in rest else tail))
    return options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"


def _source_pattern() -> str:
    """Labels followed by a colon as they are written in HTML source (padded with spaces, &nbsp; or
    U+3000), spelt backwards: the pattern is searched in the reversed source, where it starts with
    the colon, so that the search skips along to the few colons of a page instead of trying every
    label at every character. A two-character label must not follow another CJK character."""
    tree: dict[str, Any] = {}
    for label in LABELS:
        node = tree
        for char in reversed(label):
            node = node.setdefault(char, {})
        node[""] = {"short": len(label) <= 2}
    endings = "".join(
        sorted({char for label in LABELS for char in label[-1] + _TRADITIONAL.get(label[-1], "")})
    )
    # the lookahead rejects at once the colons of URLs, styles and scripts
    return f"{_SOURCE_SPACE}*(?=[{endings})）])(?:{_reversed_branches(tree)})"


_SOURCE_SPACE = r"(?:[ \t\r\n\u3000\xa0]|;psbn&|;061#&|;8823#&)"
_REVERSED_PINYIN = f"(?:[)）][{_PINYIN_LETTERS}]{{1,8}}[(（])?"


def _reversed_branches(node: dict[str, Any]) -> str:
    options = []
    for char in sorted(key for key in node if key):
        traditional = _TRADITIONAL.get(char)
        head = _REVERSED_PINYIN + (f"[{char}{traditional}]" if traditional else re.escape(char))
        rest = node[char]
        end = rest.get("")
        ending = f"(?![{_CJK}])" if end and end["short"] else ""
        following = [key for key in rest if key]
        if not following:
            options.append(head + ending)
        else:
            tail = f"{_SOURCE_SPACE}*{_reversed_branches(rest)}"
            options.append(head + (f"(?:{tail}|{ending})" if end is not None else tail))
    return options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"


# The patterns below take a good part of a second to compile: they are compiled on first use, so
# that only a command that reads pages pays for them.


@cache
def source_labels() -> tuple[re.Pattern[str], ...]:
    """One pattern per colon: a pattern that starts with a single character is searched for that
    character at C speed; one that starts with a choice of characters is tried at every position."""
    return tuple(re.compile(re.escape(colon) + _source_pattern()) for colon in COLONS)


@cache
def _label_re() -> re.Pattern[str]:
    return re.compile(f"(?P<label>{_alternation()}) *[{COLONS}]")


@cache
def _label_only_re() -> re.Pattern[str]:
    return re.compile(f"[ •·*●◆■▪>|-]*(?P<label>{_alternation()}) *[{COLONS}]? *")


_EDGE_JUNK = " |•·●◆■▪"
_SPACES = re.compile(r" {2,}")

# Lines longer than this are body text, not metadata (a block line holds at most three pairs).
MAX_METADATA_LINE = 600
# The value on the line after its label is only taken when that line is this short.
MAX_NEXT_LINE_VALUE = 200


class Pair(NamedTuple):
    label: str  # canonical (simplified, no spaces) label
    value: str
    next_line: bool = False  # the value was the whole line after the label, not beside it

    @property
    def field(self) -> str:
        return LABELS[self.label].field

    @property
    def rank(self) -> int:
        return LABELS[self.label].rank


def has_label(line: str) -> bool:
    return _label_re().search(line) is not None


@lru_cache(maxsize=4096)
def canonical_label(text: str) -> str:
    """索 引 號(hào) → 索引号"""
    text = _PINYIN_RE.sub("", text)
    return "".join(_SIMPLIFIED.get(char, char) for char in text if char not in " \t")


_LABEL_EDGES = " \t\r\n\u3000\xa0:：﹕•·*●◆■▪>|-"
_LABEL_FORMS = frozenset(
    form for label in LABELS for form in (label, "".join(_TRADITIONAL.get(char, char) for char in label))
)


def label_endings() -> frozenset[str]:
    """The last characters of the labels (both scripts), and ")" for labels followed by pinyin."""
    return frozenset(form[-1] for form in _LABEL_FORMS) | {")", "）"}


def is_label(text: str) -> bool:
    """Is text nothing but a label? The quick form of label_only, for every short text of a page."""
    key = text.strip(_LABEL_EDGES)
    if key in _LABEL_FORMS or (len(key) < 20 and "".join(key.split()) in _LABEL_FORMS):
        return True
    return ("(" in text or "（" in text) and label_only(text.strip()) is not None


def label_only(text: str) -> str | None:
    """The canonical label if text is nothing but a label (with or without its colon)."""
    if len(text) > 40:
        return None
    match = _label_only_re().fullmatch(text)
    return canonical_label(match.group("label")) if match else None


def clean_value(text: str) -> str:
    """A value without the separators around it (and the second colon of "索引号：：")."""
    text = text.strip(_EDGE_JUNK).lstrip(COLONS + " ")
    return _SPACES.sub(" ", text) if "  " in text else text


def pairs_in_lines(lines: Sequence[str], *, next_line_values: bool = False) -> list[Pair]:
    """Every label/value pair, in document order. With next_line_values (text dumps, where a value
    can only be told from its label by position), a label with nothing after it on its line takes
    the next line as its value when that line is short and holds no label itself."""
    label_re = _label_re()
    pairs: list[Pair] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if len(line) > MAX_METADATA_LINE or not any(colon in line for colon in COLONS):
            continue
        matches = list(label_re.finditer(line))
        for position, match in enumerate(matches):
            end = matches[position + 1].start() if position + 1 < len(matches) else len(line)
            label = canonical_label(match.group("label"))
            value = clean_value(line[match.end() : end])
            if next_line_values and not value and position + 1 == len(matches) and index < len(lines):
                following = clean_value(lines[index])
                if following and len(following) <= MAX_NEXT_LINE_VALUE and not label_re.search(lines[index]):
                    pairs.append(Pair(label, following, next_line=True))
                    index += 1
                    continue
            pairs.append(Pair(label, value))
    return pairs


_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


@dataclass
class Block:
    """The best pair for each field, choosing by label rank and then by first appearance (a block
    repeated for the mobile layout gives the same values again; the first copy wins)."""

    best: dict[str, Pair]
    body_date: Pair | None  # the date line under the title, kept to compare with 发布日期
    dates: frozenset[str]  # the different values labelled as a publication date (a list has many)

    @classmethod
    def of(cls, pairs: Iterable[Pair]) -> Block:
        best: dict[str, Pair] = {}
        body_date: Pair | None = None
        dates: set[str] = set()
        for pair in pairs:
            field = pair.field
            if not field:
                continue
            day = _DAY.search(pair.value) if field == "published" else None
            if day is not None:
                dates.add("-".join(str(int(number)) for number in day.groups()))
            if field == "published" and pair.rank >= BODY_DATE_RANK and body_date is None and pair.value:
                body_date = pair
            current = best.get(field)
            if (
                current is None
                or pair.rank < current.rank
                or (not current.value and pair.rank == current.rank)
            ):
                best[field] = pair
        return cls(best, body_date, frozenset(dates))

    def value(self, field: str) -> str:
        pair = self.best.get(field)
        return pair.value if pair else ""

    @property
    def catalogue_date(self) -> Pair | None:
        pair = self.best.get("published")
        return pair if pair is not None and pair.rank < BODY_DATE_RANK else None

    def is_block(self) -> bool:
        """A 政府信息公开 metadata block: an 索引号, or at least two catalogue fields with values
        (a list page's table header 标题 | 发布日期 has the labels but no values)."""
        if self.value("index_no"):
            return True
        catalogue = ("title", "publisher", "formed", "doc_no", "topic", "validity")
        filled = sum(1 for field in catalogue if self.value(field))
        catalogue_date = self.catalogue_date
        if catalogue_date is not None and catalogue_date.value:
            filled += 1
        return filled >= 2
