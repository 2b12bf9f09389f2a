"""The two formats of the 政府信息公开工作年度报告: what tables 二、三、四 hold, row by row.

The 2021 format (国办公开办函〔2021〕30号) is used for reports on 2021 and later years; the trial
format issued with 国办公开办函〔2019〕60号 for the 2019 and 2020 reports. Both are taken from
shared/reference/annual-report-format-2021.yaml (status verified: gov.cn copies of the notice and
real reports of 凤县人社局 and 湘潭县云湖桥镇 for 2021, the Shanghai 2019 report for the trial
format). Keywords are matched after textnorm.normalise(), so full-width and half-width forms,
brackets and spaces do not matter; they are the words that tell one row from another in the real
wordings seen, not the whole printed label.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance_audit.errors import InputError

FIRST_YEAR = 2019  # the trial format came with the 2019 revision of the 条例
NEW_FORMAT_YEAR = 2021

# 表三 columns, in the printed order (申请人情况: 自然人, 法人或其他组织 ×5, 总计)
T3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")

NEW, CARRIED_IN, OPENED, PARTLY, TOTAL, CARRIED_OUT = (
    "new",
    "carried-in",
    "opened",
    "partly",
    "total",
    "carried-out",
)
T3_TOP_LABELS = {
    NEW: "一、本年新收政府信息公开申请数量",
    CARRIED_IN: "二、上年结转政府信息公开申请数量",
    OPENED: "三（一）予以公开",
    PARTLY: "三（二）部分公开",
    TOTAL: "三（七）总计",
    CARRIED_OUT: "四、结转下年度继续办理",
}


@dataclass(frozen=True)
class Group:
    """A result of 三、本年度办理结果 that the format splits into numbered sub-items."""

    key: str
    label: str  # as printed, e.g. （三）不予公开
    marker: str  # the words that name the group in any wording
    items: tuple[tuple[str, str], ...] = ()  # (printed label, distinguishing keyword)

    def item_key(self, number: int) -> str:
        return f"{self.key}-{number}" if self.items else self.key

    def row_keys(self) -> tuple[str, ...]:
        return tuple(self.item_key(n) for n in range(1, len(self.items) + 1)) or (self.key,)

    def label_of(self, key: str) -> str:
        if not self.items:
            return f"三{self.label}"
        number = int(key.rsplit("-", 1)[1])
        return f"三{self.label} {number}.{self.items[number - 1][0]}"


DENIED = Group(
    "denied",
    "（三）不予公开",
    "不予公开",
    (
        ("属于国家秘密", "国家秘密"),
        ("其他法律行政法规禁止公开", "禁止公开"),
        ("危及“三安全一稳定”", "三安全一稳定"),
        ("保护第三方合法权益", "第三方合法权益"),
        ("属于三类内部事务信息", "内部事务"),
        ("属于四类过程性信息", "过程性信息"),
        ("属于行政执法案卷", "执法案卷"),
        ("属于行政查询事项", "查询事项"),
    ),
)
UNABLE = Group(
    "unable",
    "（四）无法提供",
    "无法提供",
    (
        ("本机关不掌握相关政府信息", "不掌握"),
        ("没有现成信息需要另行制作", "现成信息"),
        ("补正后申请内容仍不明确", "仍不明确"),
    ),
)
NOT_HANDLED = Group(
    "not-handled",
    "（五）不予处理",
    "不予处理",
    (
        ("信访举报投诉类申请", "信访"),
        ("重复申请", "重复申请"),
        ("要求提供公开出版物", "出版物"),
        ("无正当理由大量反复申请", "大量反复"),
        ("要求行政机关确认或重新出具已获取信息", "重新出具"),
    ),
)
OTHER_2021 = Group(
    "other",
    "（六）其他处理",
    "其他处理",
    (
        ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "不补正"),
        ("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "缴纳费用"),
        ("其他", "其他"),
    ),
)
OTHER_2019 = Group("other", "（六）其他处理", "其他处理")  # one cell in the trial format

# 表四: one data row of 15 cells
T4_GROUPS = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
T4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# 表二 column kinds: a count of documents or decisions, a change that may be negative, an amount
COUNT, CHANGE, AMOUNT = "count", "change", "amount"


@dataclass(frozen=True)
class T2Column:
    name: str  # as printed (the key cells are stored under)
    kind: str
    keyword: str  # what identifies the column in a header cell
    unit: str = ""  # the unit the format prints in the header


@dataclass(frozen=True)
class T2Row:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class T2Block:
    caption: str  # 第二十条第（一）项
    columns: tuple[T2Column, ...]
    rows: tuple[T2Row, ...]


@dataclass(frozen=True)
class Layout:
    id: str
    name: str
    groups: tuple[Group, ...]
    table2: tuple[T2Block, ...]

    def result_keys(self) -> tuple[str, ...]:
        """Every row of 三、本年度办理结果 except （七）总计, in printed order."""
        return (OPENED, PARTLY, *(key for group in self.groups for key in group.row_keys()))

    def t3_keys(self) -> tuple[str, ...]:
        return (NEW, CARRIED_IN, *self.result_keys(), TOTAL, CARRIED_OUT)

    def t3_label(self, key: str) -> str:
        if key in T3_TOP_LABELS:
            return T3_TOP_LABELS[key]
        group = next(group for group in self.groups if key == group.key or key.startswith(group.key + "-"))
        return group.label_of(key)


_DECISIONS = T2Column("本年处理决定数量", COUNT, "本年处理决定数量")
LAYOUT_2021 = Layout(
    "2021",
    "2021年格式（国办公开办函〔2021〕30号）",
    (DENIED, UNABLE, NOT_HANDLED, OTHER_2021),
    (
        T2Block(
            "第二十条第（一）项",
            (
                T2Column("本年制发件数", COUNT, "制发件数"),
                T2Column("本年废止件数", COUNT, "废止件数"),
                T2Column("现行有效件数", COUNT, "现行有效件数"),
            ),
            (T2Row("规章"), T2Row("行政规范性文件", ("规范性文件",))),
        ),
        T2Block("第二十条第（五）项", (_DECISIONS,), (T2Row("行政许可"),)),
        T2Block("第二十条第（六）项", (_DECISIONS,), (T2Row("行政处罚"), T2Row("行政强制"))),
        T2Block(
            "第二十条第（八）项",
            (T2Column("本年收费金额（单位：万元）", AMOUNT, "收费金额", "万元"),),
            (T2Row("行政事业性收费"),),
        ),
    ),
)

_PREVIOUS = T2Column("上一年项目数量", COUNT, "上一年项目数量")
_CHANGE = T2Column("本年增/减", CHANGE, "增/减")
LAYOUT_2019 = Layout(
    "2019",
    "2019年试行格式（国办公开办函〔2019〕60号）",
    (DENIED, UNABLE, NOT_HANDLED, OTHER_2019),
    (
        T2Block(
            "第二十条第（一）项",
            (
                T2Column("本年新制作数量", COUNT, "新制作数量"),
                T2Column("本年新公开数量", COUNT, "新公开数量"),
                T2Column("对外公开总数量", COUNT, "对外公开总数量"),
            ),
            (T2Row("规章"), T2Row("规范性文件", ("行政规范性文件",))),
        ),
        T2Block(
            "第二十条第（五）项",
            (_PREVIOUS, _CHANGE, T2Column("处理决定数量", COUNT, "处理决定数量")),
            (T2Row("行政许可"), T2Row("其他对外管理服务事项")),
        ),
        T2Block(
            "第二十条第（六）项",
            (_PREVIOUS, _CHANGE, T2Column("处理决定数量", COUNT, "处理决定数量")),
            (T2Row("行政处罚"), T2Row("行政强制")),
        ),
        T2Block("第二十条第（八）项", (_PREVIOUS, _CHANGE), (T2Row("行政事业性收费"),)),
        T2Block(
            "第二十条第（九）项",
            (T2Column("采购项目数量", COUNT, "采购项目数量"), T2Column("采购总金额", AMOUNT, "采购总金额")),
            (T2Row("政府集中采购"),),
        ),
    ),
)

# Columns only the trial format has: a report on 2021 or later that prints them uses the
# superseded template (reference identity I-7)
TRIAL_ONLY_COLUMNS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购总金额")


def layout_for(year: int) -> Layout:
    if year < FIRST_YEAR:
        raise InputError(
            f"{year} 年度报告早于2019年修订的条例，不适用现行的两种年度报告格式",
            expected="2019 年度及以后的报告",
        )
    return LAYOUT_2021 if year >= NEW_FORMAT_YEAR else LAYOUT_2019


def t2_columns() -> dict[str, T2Column]:
    """Every 表二 column of both formats, by printed name (a report may use the wrong one)."""
    return {
        column.name: column
        for layout in (LAYOUT_2021, LAYOUT_2019)
        for block in layout.table2
        for column in block.columns
    }
