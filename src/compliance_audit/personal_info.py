"""Finding and masking personal numbers in published text: resident identity numbers, bank card
numbers and mobile numbers.

The judgement (judge/personal_data.py) decides what a published number means; this module only
recognises the numbers, and masks them wherever the report repeats portal text (titles in item
references, messages, matched-item labels), so that a report never repeats the leak it reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

# 6-digit area code, a birth date from 1800 to 2099, a 3-digit sequence number and a check digit
_ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"(?![0-9A-Za-z])"
)
# eleven digits, also written 138 1234 5678 or 138-1234-5678
_MOBILE = re.compile(r"(?<![\d])1[3-9]\d(?:[ \-]?\d{4}){2}(?![\d])")
# 16 to 19 digits, also in groups of four separated by a space or a hyphen
_CARD = re.compile(r"(?<![\d])\d{4}(?:[ \-]?\d{4}){3}(?:[ \-]?\d{1,3})?(?![\d])")
# what a card number starts with: UnionPay 62, Visa 4, Mastercard 51-55 and 2221-2720, JCB/Amex 3
_CARD_PREFIX = re.compile(r"^(?:62|4|5[1-5]|2[2-7]|3[4-7])")
_LONG_DIGITS = re.compile(r"\d(?:[ \-]?\d){10}")  # every kind holds eleven digits in a row

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# The most common Chinese surnames (about nine in ten people bear one of them), single and double.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝"
)
_DOUBLE_SURNAMES = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "夏侯",
    "长孙",
)
# how a name usually introduces a number: 张三 13812345678, 联系人：张三，电话：13812345678
_NAME_BEFORE = re.compile(
    r"(?:^|[^\u4e00-\u9fff])([\u4e00-\u9fff]{2,4})"
    r"(?:同志|先生|女士)?[\s:：,，、;；(（]*(?:联系电话|联系方式|手机号码|手机号|手机|电话|tel|TEL|Tel)?[\s:：,，、(（]*$"
)
_LABELLED_PERSON = re.compile(
    r"(?:联系人|负责人|申请人|当事人|被处罚人|举报人|受援人|承办人|经办人|代理人|调解员|律师|姓名)"
    r"[\s:：]*[\u4e00-\u9fff]{2,4}"
)
# words that end the name of a place or an office, not of a person
_NOT_A_PERSON = re.compile(
    r"(?:村|镇|乡|街|路|局|所|室|科|股|站|队|处|办|部|会|组|厅|院|馆|中心|热线|公司|窗口)$"
)


@dataclass(frozen=True, slots=True)
class Found:
    kind: str  # id-number | bank-card | mobile
    number: str  # digits only (an identity number may end in X)
    certain: bool  # id-number: valid check digit; mobile: beside a person's name; bank-card: always


def valid_id_number(number: str) -> bool:
    """GB 11643-1999 check digit."""
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def find_personal_numbers(text: str) -> list[Found]:
    """Every identity, bank card and mobile number in the text, in order of appearance."""
    if _LONG_DIGITS.search(text) is None:
        return []
    found: list[tuple[int, Found]] = []
    taken: list[tuple[int, int]] = []
    for match in _ID_NUMBER.finditer(text):
        number = match.group()
        found.append((match.start(), Found("id-number", number, valid_id_number(number))))
        taken.append(match.span())
    for match in _CARD.finditer(text):
        digits = re.sub(r"[ \-]", "", match.group())
        if (
            16 <= len(digits) <= 19
            and _CARD_PREFIX.match(digits)
            and luhn_valid(digits)
            and not _overlaps(match.span(), taken)
        ):
            found.append((match.start(), Found("bank-card", digits, True)))
            taken.append(match.span())
    for match in _MOBILE.finditer(text):
        if _overlaps(match.span(), taken):
            continue
        digits = re.sub(r"[ \-]", "", match.group())
        found.append((match.start(), Found("mobile", digits, _beside_a_name(text, match.start()))))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in taken)


def _beside_a_name(text: str, start: int) -> bool:
    """Whether a person's name comes right before the number (张三 138…, 联系人：张三 电话：138…)."""
    before = text[max(0, start - 24) : start]
    if _LABELLED_PERSON.search(before):
        return True
    match = _NAME_BEFORE.search(before)
    if match is None:
        return False
    name = match.group(1)
    if _NOT_A_PERSON.search(name):
        return False
    return name[0] in _SURNAMES or name.startswith(_DOUBLE_SURNAMES)


def mask(number: str) -> str:
    """138****5678, 6222***********1234, 6201**********123X: enough to find the place, not the person."""
    keep = 3 if len(number) <= 11 else 4
    return number[:keep] + "*" * (len(number) - keep - 4) + number[-4:]


def mask_text(text: str) -> str:
    """The text with every identity, bank card and mobile number masked."""
    if _LONG_DIGITS.search(text) is None:
        return text
    text = _ID_NUMBER.sub(lambda match: mask(match.group()), text)

    def card(match: re.Match[str]) -> str:
        digits = re.sub(r"[ \-]", "", match.group())
        if 16 <= len(digits) <= 19 and _CARD_PREFIX.match(digits) and luhn_valid(digits):
            return mask(digits)
        return match.group()

    text = _CARD.sub(card, text)
    return _MOBILE.sub(lambda match: mask(re.sub(r"[ \-]", "", match.group())), text)


def mask_column(texts: pl.Series) -> pl.Series:
    """mask_text of each text of a column. Only the texts holding eleven digits in a row can hold a
    number, and only they are masked one by one: the others are given back as they are."""
    suspect = texts.str.contains(_LONG_DIGITS.pattern).fill_null(False)
    positions = suspect.arg_true()
    if positions.is_empty():
        return texts
    return texts.clone().scatter(positions, [mask_text(text) for text in texts.filter(suspect).to_list()])
