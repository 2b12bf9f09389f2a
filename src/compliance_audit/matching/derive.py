"""Matching for catalogue rows that come without keywords: the rows of a county's own table.

A row of an imported table that is a known row (the same 一级 and 二级事项 once wording variants
such as 做出/作出 are normalised, or a name a local version is recorded to use) inherits the known
row's matching: the keywords of each element of the same name, the row's own keywords, its event
and the evidence of it (and so the cases written for it). Any other row gets keywords derived from
its 事项 and 要素.

Derived keywords are runs of whole words. Words come from a segmenter (rjieba, the jieba-rs
dictionary): a keyword is cut only where a word ends, at separators (、；) and at function words
(的、和、对、进行 …); generic words at either end (信息、情况、服务 …) are dropped only when a noun is
left, so 所需材料 stays 所需材料 (never 所需) and 法律援助服务 gives 法律援助. An element word that
does not name the row's subject (指派通知书 in 法律援助服务) must appear beside it (法律援助) in a
title. Parts of a service guide (条件、材料、程序 …) are also met by the subject's 指南: 法律援助申请指南
meets 法律援助服务's 申请条件 and 所需材料.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from compliance_audit.ruleset.model import Element, Event, MatchSpec, TitleMatch
from compliance_audit.textnorm import normalise


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words of the sector the general dictionary splits (法律/服务): kept whole so that trimming a
# generic word never cuts into them (基层法律服务 must not become 基层法律).
_SECTOR_WORDS = (
    "法律服务",
    "公共法律服务",
    "基层法律服务",
    "基层法律服务所",
    "基层法律服务工作者",
    "法律咨询",
    "法治文化",
    "法治宣传",
    "法治宣传教育",
    "人民调解员",
    "人民调解委员会",
    "司法鉴定人",
    "法律援助",
    "法律顾问",
    "律师事务所",
    "公证员",
    "社区矫正",
    "安置帮教",
    "法律职业资格",
    "人民陪审员",
    "人民监督员",
    "办事指南",
    "服务指南",
    "申请指南",
)
# A keyword ends where one of these words stands (as a whole word): they frame the words that name
# things. In an element's name the words it joins are one thing (先进集体和个人申报表), so the
# joining words only end a keyword of a 事项.
_FRAMING_WORDS = _words(
    "的 对 对于 在 中 以 为 进行 做出 作出 按照 依照 依法 关于 有关 相关 由 向 将 "
    "从 等 等等 其他 各类 各项 有 没有 取得"
)
_JOINING_WORDS = _words("和 与 及 以及 或 或者 并 并且")
# Words that say nothing about what to look for on their own: dropped at either end of a keyword
# while a noun is left, and a keyword made only of them is no keyword.
_GENERIC_WORDS = _words(
    "信息 情况 内容 资讯 工作 服务 事项 公开 名称 辖区 内 县域 区域 本级 本地 本县 "
    "本区 全县 全区 单位 个人 成绩 显著成绩 突出贡献 贡献 行为 违法 违规 违法违规 "
    "违规行为 违法行为 国家 规定 国家规定 名义 业务 法律业务 从事 实施 提供 开展 推广 "
    "普及 管理 活动 相应 有效 一般"
)
# What is done about the subject of a 事项 (执业、变更、注销许可): not the subject itself.
_ACTION_WORDS = _words(
    "许可 审批 执业 变更 注销 登记 备案 核准 设立 颁发 选任 申请 给予 不予 准予 办理 "
    "受理 确认 检查 考核 评选 评定 命名"
)
_SEPARATORS = re.compile(r"[、，,;；/／\s]+|以及|或者|或")
_NUMBERING = re.compile(r"^\s*(?:\d+[.、．]|[（(]\d+[)）]|[①-⑳])\s*")
_BRACKETED = re.compile(r"[（(][^（）()]*[)）]")
_NOUN_TAGS = ("n", "vn", "l", "i", "j", "nz", "nr", "ns", "nt", "eng")
# An element naming a part of a service guide is also met by the subject's guide.
_GUIDE_PARTS = ("依据", "条件", "程序", "流程", "材料", "时限", "地点", "收费", "费用", "指南", "须知")
_GUIDE = "指南"

# The wording of a 事项 that makes it an event: an award, a penalty, a decision.
EVENT_WORDING: dict[str, tuple[str, ...]] = {
    "award": ("表彰", "奖励", "嘉奖"),
    "penalty": ("处罚", "惩戒", "吊销", "撤销", "取缔", "强制"),
    "decision": ("处理", "裁决", "决定"),
}
# What a title says when it reports such an event.
_EVENT_EVIDENCE: dict[str, tuple[str, ...]] = {
    "award": ("表彰", "奖励", "嘉奖", "先进", "评选", "命名"),
    "penalty": ("处罚", "罚款", "查处", "惩戒", "吊销", "撤销", "取缔"),
    "decision": ("处理", "决定", "裁决"),
}
# 一级事项 that name a kind of power rather than a line of work (重庆's 行政许可, 行政处罚 …): the
# subject is then in the 二级事项.
_POWER_TYPES = re.compile(r"^(?:行政|其他行政|公共服务|其他权力)")
# Wording variants that name the same thing in different versions of one catalogue.
_VARIANTS = (("做出", "作出"), ("帐", "账"), ("其它", "其他"))
_SUBJECT_GENERIC = (
    _GENERIC_WORDS | _ACTION_WORDS | {mark for marks in EVENT_WORDING.values() for mark in marks}
)
# Words that place a row in no line of work on their own (人民调解组织 is about 人民调解).
_DOMAIN_GENERIC = _words("组织 机构 平台 人员 中心 工作站 名单 名录 名册 指南")
_PUNCTUATION = re.compile(r"[\s、，,;；:：。.·（）()《》<>“”\"'‘’\[\]【】〔〕/／\-—_]+")


@cache
def _segmenter() -> Any:
    # imported when first needed: loading the dictionary takes a noticeable part of a second, and
    # an audit with the bundled catalogues never segments
    import rjieba

    segmenter = rjieba.Jieba()
    for word in _SECTOR_WORDS:
        segmenter.add_word(word, 100000, "n")
    return segmenter


def words(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech tag) pairs of a text."""
    return [(word, tag) for word, tag in _segmenter().tag(text) if word.strip()]


def phrases(text: str) -> list[str]:
    """The keyword phrases of an element's name: runs of whole words between separators and
    framing words, generic words trimmed from their ends while a noun is left; a short tail joined
    to a longer head by 、 and ending like it takes the head's first words (法治文化作品、产品 →
    法治文化产品)."""
    found: list[str] = []
    for run in _runs(text, _FRAMING_WORDS):
        phrase = _trimmed(run, _GENERIC_WORDS)
        if phrase is None:
            continue
        head = words(found[0]) if found else []
        if len(run) == 1 and len(head) > 1 and head[-1][0][-1] == phrase[-1]:
            # 作品、产品: the tail is another kind of what the head ends with
            phrase = "".join(word for word, _ in head[:-1]) + phrase
        if phrase not in found:
            found.append(phrase)
    return found


def _runs(text: str, framing: frozenset[str]) -> list[list[tuple[str, str]]]:
    cleaned = _BRACKETED.sub("", _NUMBERING.sub("", text)).strip()
    runs: list[list[tuple[str, str]]] = []
    for part in _SEPARATORS.split(cleaned):
        run: list[tuple[str, str]] = []
        for word, tag in [*words(part), ("的", "uj")]:
            if word in framing or tag == "x":
                if run:
                    runs.append(run)
                run = []
            else:
                run.append((word, tag))
    return runs


def _trimmed(
    run: Sequence[tuple[str, str]], generic: frozenset[str], *, keep_verbs: bool = True
) -> str | None:
    start, end = 0, len(run)
    while start < end and run[start][0] in generic:
        start += 1
    while end > start and run[end - 1][0] in generic:
        end -= 1
    kept = run[start:end]
    if not kept:
        return None
    if not _has_noun(kept):
        # 所需材料 → 所需 names nothing: the whole run is kept (表彰决定, a document's name, has no
        # noun either: the tagger reads both words as verbs), unless it is a 事项's action alone
        if keep_verbs is False and not _has_noun(run):
            return None
        kept = run
    text = "".join(word for word, _ in kept)
    return text if len(text) >= 2 else None


def _has_noun(run: Sequence[tuple[str, str]]) -> bool:
    return any(tag.startswith(_NOUN_TAGS) for _, tag in run)


def event_of(level1: str, level2: str, level3: str | None) -> Event | None:
    """The event a 事项 is worded as (表彰奖励, …的处罚, …的处理), if any; the most specific level
    that names one decides (…的处理 under 行政处罚 is a 处理决定)."""
    for wording in (level3, level2, level1):
        for kind, marks in EVENT_WORDING.items():
            if wording and any(mark in wording for mark in marks):
                return Event(kind, derived=True)
    return None


def subject_keywords(level1: str, level2: str, level3: str | None, *, with_line: bool = False) -> list[str]:
    """What the row is about: the things the 三级 (or 二级) 事项 names, without what is done about
    them (许可, 表彰奖励, 处罚 …). with_line: also the 一级事项 when it names a line of work
    (法律援助), not a kind of power (行政许可); so too when the lower levels name nothing."""
    found: list[str] = []
    for text in (level3 or level2, level1):
        if text is level1 and ((found and not with_line) or _POWER_TYPES.match(level1)):
            break
        for run in _runs(text, _FRAMING_WORDS | _JOINING_WORDS):
            phrase = _trimmed(run, _SUBJECT_GENERIC, keep_verbs=False)
            if phrase and not any(phrase in known or known in phrase for known in found):
                found.append(phrase)
    return found


@dataclass(frozen=True)
class Derived:
    match: MatchSpec
    why: str


def domain_words(level1: str, level2: str, level3: str | None) -> list[str]:
    """The words that say which line of work a row is in: the words of its subject and of its
    一级事项 (法律援助, 人民调解, 公证 …) without the generic ones (组织, 机构 …), the shortest
    form of each (基层法律服务 for 基层法律服务所 too)."""
    texts = [*subject_keywords(level1, level2, level3), *([] if _POWER_TYPES.match(level1) else [level1])]
    found: list[str] = []
    for text in texts:
        for word, _ in words(text):
            if len(word) >= 2 and word not in _SUBJECT_GENERIC and word not in _DOMAIN_GENERIC:
                found.append(word)
    return [
        word for word in dict.fromkeys(found) if not any(other != word and other in word for other in found)
    ]


def derived_row_match(subject: Sequence[str], event: Event | None) -> Derived | None:
    """Keywords for a row of its own: a title with every word of one of its subject's phrases;
    for an event, also a word reporting one."""
    if not subject:
        return None
    alternatives = [_content_words(phrase) for phrase in subject]
    why = f"事项分词：标题{_described(alternatives)}"
    regex = [_one_of(alternatives)]
    if event is not None:
        reported = _EVENT_EVIDENCE[event.kind]
        regex.insert(0, _some(reported))
        why += f"，且含“{'”“'.join(reported)}”之一（{event.label}）"
    exclude = _excluded(event)
    if exclude:
        why += f"；标题含“{'”“'.join(exclude)}”的（表彰、处罚等决定）除外"
    title = TitleMatch(any=_triggers(alternatives), regex=("".join(regex),), exclude=exclude)
    return Derived(MatchSpec(title=title), why)


def derived_element_match(name: str, domain: Sequence[str], event: Event | None = None) -> Derived:
    """Keywords for an element that came without any: a title with every word of one of its
    phrases, wherever they stand (表彰决定 in 关于表彰…的决定); beside a word of the row's domain
    when the phrase names none; a part of a service guide is also met by a 指南 of the domain."""
    cleaned = _BRACKETED.sub("", _NUMBERING.sub("", name)).strip() or name
    alternatives = [_content_words(phrase) for phrase in phrases(name) or [cleaned]]
    guide_part = any(part in word for words_ in alternatives for word in words_ for part in _GUIDE_PARTS)
    if guide_part and [_GUIDE] not in alternatives:
        alternatives.append([_GUIDE])
    named = all(any(d in word for word in words_ for d in domain) for words_ in alternatives)
    why = f"要素分词：标题{_described(alternatives)}"
    regex = _one_of(alternatives)
    if domain and not named:
        regex = _some(domain) + regex
        why += f"，且含“{'”“'.join(domain)}”之一"
    exclude = _excluded(event)
    if exclude:
        why += f"；标题含“{'”“'.join(exclude)}”的（表彰、处罚等决定）除外"
    return Derived(
        MatchSpec(title=TitleMatch(any=_triggers(alternatives), regex=(regex,), exclude=exclude)), why
    )


def _excluded(event: Event | None) -> tuple[str, ...]:
    """An award or a penalty is not information a row about something else asks for."""
    if event is not None:
        return ()
    return tuple(mark for kind in ("award", "penalty") for mark in EVENT_WORDING[kind])


def event_evidence(event: Event, domain: Sequence[str]) -> Derived | None:
    """Titles that report such an event in the row's domain."""
    if not domain:
        return None
    reported = _EVENT_EVIDENCE[event.kind]
    return Derived(
        MatchSpec(title=TitleMatch(any=tuple(domain), regex=(_some(reported),))),
        f"标题含“{'”“'.join(domain)}”之一，且含“{'”“'.join(reported)}”之一",
    )


def _content_words(phrase: str) -> list[str]:
    """The words of a phrase a title must hold (generic words left out, the phrase itself when
    nothing else is left)."""
    kept = [word for word, _ in words(phrase) if word not in _GENERIC_WORDS]
    return kept or [phrase]


def _triggers(alternatives: Sequence[Sequence[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(word for words_ in alternatives for word in words_))


def _described(alternatives: Sequence[Sequence[str]]) -> str:
    """标题含“表彰”和“决定” / 标题含“申请条件”，或含“指南”"""
    shown = ["含“" + "”和“".join(words_) + "”" for words_ in alternatives]
    return "，或".join(shown)


def _one_of(alternatives: Sequence[Sequence[str]]) -> str:
    """A title that holds every word of one of the alternatives (titles are normalised first)."""
    return (
        "^(?:"
        + "|".join("".join(f"(?=.*{_escaped(word)})" for word in words_) for words_ in alternatives)
        + ")"
    )


def _some(words_: Iterable[str]) -> str:
    return f"^(?=.*(?:{'|'.join(_escaped(word) for word in words_)}))"


def _escaped(word: str) -> str:
    return re.escape(normalise(word))


def name_key(text: str) -> str:
    """A 事项 or 要素 name as compared across versions of a catalogue: without spaces, brackets
    and punctuation, one form of each wording variant, without a closing 等."""
    key = _PUNCTUATION.sub("", normalise(text))
    for variant, standard in _VARIANTS:
        key = key.replace(variant, standard)
    for suffix in ("等等", "等信息", "等"):
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


def inherited_element(name: str, known: Iterable[Element]) -> Element | None:
    """The element of a known row's versions that has this name."""
    key = name_key(name)
    return next(
        (element for element in known if element.match is not None and name_key(element.name) == key),
        None,
    )
