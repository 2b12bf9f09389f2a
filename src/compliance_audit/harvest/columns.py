"""Platform columns: which column a page sits in (its breadcrumb) and what kind of column that is.

The kind decides a column's update window in the audit, so it is guessed only from the words
portals use for the standard columns (国办公开办函〔2019〕61号 platform layout and the website
inspection indicators); anything else is "other", and --column-kind corrects a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Checked in order: "计划总结及报告" is a plans column although it ends in 报告, and "行政执法公示"
# is enforcement although it contains 公示.
_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("report", ("年度报告", "年报")),
    ("finance", ("预决算", "预算", "决算", "三公", "财政资金")),
    ("enforcement", ("执法", "行政处罚", "行政许可", "双随机")),
    ("personnel", ("人事", "任免", "招录", "招聘", "录用")),
    ("plans", ("规划", "计划", "总结")),
    ("guide", ("指南", "公开目录")),
    ("policy", ("政策", "规范性文件", "文件", "解读")),
    ("notice", ("通知", "公告", "公示")),
    ("news", ("动态", "要闻", "新闻", "工作信息")),
    ("interaction", ("互动", "回应", "信箱", "咨询", "征集")),
)

# Traditional forms too: mirrors copy pages in traditional script (當前位置：首頁 > …).
BREADCRUMB_PREFIX = re.compile(
    r"^\s*(?:当前位置|當前位置|您的位置|您现在的位置|您現在的位置|你现在的位置|你的位置|所在位置|当前页面|位置)"
    r"\s*[:：]?\s*"
)
_SEPARATOR = re.compile(r"\s*(?:>>|>|＞＞|＞|»|›|→)\s*")
HOME_SEGMENTS = frozenset({"首页", "首頁", "网站首页", "網站首頁", "主页", "返回首页", "门户首页"})
_LEAVES = frozenset(
    {
        "正文",
        "详情",
        "详细信息",
        "内容",
        "正文内容",
        "文章内容",
        "浏览文章",
        "信息详情",
        "查看详情",
        "详情页",
        "阅读",
    }
)


def guess_kind(name: str) -> str:
    """One of inventory.model.COLUMN_KINDS."""
    for kind, words in _KIND_WORDS:
        if any(word in name for word in words):
            return kind
    return "other"


def is_breadcrumb(text: str) -> bool:
    """A line such as "当前位置：首页 > 政务公开 > 工作动态" or "首页 >> 政务公开 >> 年报"."""
    if BREADCRUMB_PREFIX.match(text):
        return True
    return text.lstrip().startswith(("首页", "首頁", "网站首页")) and len(split_breadcrumb(text)) >= 2


def split_breadcrumb(text: str) -> list[str]:
    text = BREADCRUMB_PREFIX.sub("", text, count=1)
    return [segment.strip() for segment in _SEPARATOR.split(text) if segment.strip()]


def column_of(segments: Sequence[str], title: str) -> str:
    """The column a page sits in: the breadcrumb's last segment, leaving out the home page and a
    trailing 正文 / 详情 or the page's own title."""
    kept = [segment for segment in segments if segment not in HOME_SEGMENTS]
    while kept and (kept[-1] in _LEAVES or (title and kept[-1] == title)):
        kept.pop()
    return kept[-1] if kept else ""
