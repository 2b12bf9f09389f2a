"""Names of organs as people write them: is a 发布机构 this bureau, or another body?

A county bureau writes its own name in several ways: 天水市秦州区司法局, 秦州区司法局, 区司法局,
司法局, or names one of its offices (秦州区司法局办公室). All of these are the bureau itself. A
name that carries another place (天水市司法局: the city's bureau) or another organ (秦州区人民政府)
is another body: its items are reprints (转载), and their timeliness is that body's duty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance_audit.textnorm import normalise

# one administrative division: 甘肃省, 天水市, 秦州区, 某某自治县, 某某镇, 某某街道 (a bare 州 is left
# out: it ends too many names of places that are themselves 市 or 区, such as 秦州区 and 兰州市)
_DIVISION = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:自治区|自治州|自治县|特别行政区|省|市|地区|盟|区|县|旗|镇|乡|街道)"
)
# the bare level a bureau writes before its own name (区司法局, 县司法局)
_LEVEL_WORD = ("自治县", "区", "县", "市", "旗", "镇", "乡")
_SELF = ("本局", "本机关", "本单位", "我局")


@dataclass(frozen=True)
class Organ:
    """One bureau's name, split into the divisions it sits in and its own name (司法局)."""

    divisions: tuple[str, ...]  # 甘肃省, 天水市, 秦州区: outermost first
    core: str

    @classmethod
    def of(cls, name: str, region: str = "") -> Organ:
        normalised = normalise(name)
        divisions = [division for division in _DIVISION.findall(normalise(region))] if region else []
        rest = normalised
        for division in divisions:
            if rest.startswith(division):
                rest = rest[len(division) :]
        # divisions written in the name but not in the region (or no region given)
        while (match := _DIVISION.match(rest)) and len(rest) > len(match.group()) + 1:
            division = match.group()
            if division not in divisions:
                divisions.append(division)
            rest = rest[len(division) :]
        return cls(tuple(divisions), rest)

    def names(self, publisher: str) -> bool:
        """Whether publisher is this organ (or one of its offices), however it is written."""
        text = normalise(publisher)
        if not text or text in _SELF:
            return bool(text)
        used: list[str] = []
        progressed = True
        while progressed:
            progressed = False
            for division in self.divisions:
                if text.startswith(division) and len(text) > len(division):
                    used.append(division)
                    text = text[len(division) :]
                    progressed = True
        if not used:
            for word in _LEVEL_WORD:
                if text.startswith(word + self.core):
                    text = text[len(word) :]
                    break
        if not text.startswith(self.core):
            return False
        remainder = text[len(self.core) :]
        if remainder and _DIVISION.match(remainder):
            return False
        # another place of the same kind of organ (天水市司法局 for 秦州区司法局): the bureau's own
        # division must be among those written, when any is written
        return not used or not self.divisions or self.divisions[-1] in used
