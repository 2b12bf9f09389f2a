"""The inventory's fields and the Chinese column headers portal exports use for them."""

from __future__ import annotations

import unicodedata

# Canonical item fields, in the order templates and harvested inventories write them.
ITEM_FIELDS = (
    "index_no",
    "title",
    "topic",
    "publisher",
    "formed",
    "published",
    "column",
    "doc_no",
    "validity",
    "valid_until",
    "url",
    "summary",
    "tags",
    "body",
)
DATE_FIELDS = frozenset({"formed", "published", "valid_until"})
TEXT_FIELDS = tuple(name for name in ITEM_FIELDS if name != "tags")

# The label a person sees for each field (templates, messages, reports).
FIELD_LABELS = {
    "index_no": "索引号",
    "title": "标题",
    "topic": "主题分类",
    "publisher": "发布机构",
    "formed": "成文日期",
    "published": "发布日期",
    "column": "栏目",
    "doc_no": "文号",
    "validity": "有效性",
    "valid_until": "有效期至",
    "url": "链接",
    "summary": "内容概述",
    "tags": "标签",
    "body": "正文",
}

VALIDITY_VALUES = ("有效", "失效", "废止", "已修改")

# A workbook carries its bureau in a sheet of this name, one fact per row (label, value, help), so
# that a filled-in template travels as one file; the labels and the bureau keys they stand for:
BUREAU_SHEET = "公开主体"
BUREAU_ROWS = (
    ("名称", "name"),
    ("层级", "level"),
    ("地区", "region"),
    ("领域", "sector"),
    ("职能档案", "profile"),
    ("职能", "functions"),
    ("栏目", "columns"),
)
LIST_SEPARATORS = "、,，;；"  # between functions, or between 栏目名=类型 pairs, in one cell

# A cell starting with one of these is a formula to a spreadsheet; written to CSV such text gets a
# leading apostrophe (which spreadsheets read as "text"), and reading takes the apostrophe off again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_ALIASES = {
    "index_no": ("索引号", "索引", "信息索引号"),
    "title": ("标题", "信息名称", "名称", "文件名称"),
    "topic": ("主题分类", "信息分类"),
    "publisher": ("发布机构",),
    "formed": ("成文日期", "生成日期", "产生日期"),
    "published": ("发布日期", "发布时间", "公开日期"),
    "column": ("栏目", "所属栏目"),
    "doc_no": ("文号", "发文字号"),
    "validity": ("有效性",),
    "valid_until": ("有效期至",),
    "url": ("链接", "网址", "链接地址"),
    "summary": ("内容概述", "摘要"),
    "tags": ("标签",),
    "body": ("正文",),
}


def header_key(header: str) -> str:
    """A header cell reduced to what identifies it: no spaces, colons or required-field stars."""
    text = unicodedata.normalize("NFKC", header)
    return "".join(ch for ch in text if not ch.isspace() and ch not in ":*").lower()


HEADER_ALIASES: dict[str, str] = {
    header_key(alias): name for name, aliases in _ALIASES.items() for alias in (name, *aliases)
}


def field_for_header(header: str) -> str | None:
    return HEADER_ALIASES.get(header_key(header))
