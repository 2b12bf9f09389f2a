"""The small pure functions behind the judgements, where a rule case would hide the arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from compliance_audit.judge.interpretation import subject_of
from compliance_audit.judge.requirement import months_before, required_due, required_period
from compliance_audit.organs import Organ
from compliance_audit.personal_info import find_personal_numbers, luhn_valid, mask, mask_text, valid_id_number
from compliance_audit.ruleset.model import Refresh

ANNUAL_REPORT = Refresh(reason="第四十九条", annual_due=(1, 31), year_offset=1)
BUDGET = Refresh(reason="预算法", annual_due=(12, 31), year_offset=0)


@pytest.mark.parametrize(
    ("as_of", "period"),
    [
        (date(2021, 1, 31), 2019),  # the 2020 report is due by 31 January: not late on the day itself
        (date(2021, 2, 1), 2020),
        (date(2021, 12, 31), 2020),
    ],
)
def test_latest_annual_report_that_must_exist(as_of: date, period: int) -> None:
    assert required_period(ANNUAL_REPORT, as_of) == period


def test_due_day_of_the_latest_period() -> None:
    assert required_due(ANNUAL_REPORT, date(2021, 3, 10)) == date(2021, 1, 31)
    assert required_period(BUDGET, date(2021, 3, 10)) == 2020
    assert required_due(BUDGET, date(2021, 3, 10)) == date(2020, 12, 31)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2021, 3, 10), 6, date(2020, 9, 10)),
        (date(2021, 8, 31), 6, date(2021, 2, 28)),
        (date(2020, 8, 31), 6, date(2020, 2, 29)),
        (date(2021, 1, 15), 12, date(2020, 1, 15)),
    ],
)
def test_months_before(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


def _found(text: str) -> list[tuple[str, str, bool]]:
    return [(found.kind, found.number, found.certain) for found in find_personal_numbers(text)]


def test_identity_numbers_certain_with_a_valid_check_digit_suspected_without() -> None:
    assert valid_id_number("620502198507150019")
    assert valid_id_number("11010519491231002X")
    assert not valid_id_number("620502198507150018")
    text = "受援人身份证号620502198507150019，另一号码620502198507150018，已遮盖的6205**********0019"
    assert _found(text) == [
        ("id-number", "620502198507150019", True),
        ("id-number", "620502198507150018", False),
    ]
    assert mask("620502198507150019") == "6205**********0019"


def test_mobile_numbers_count_as_personal_beside_a_name_only() -> None:
    text = (
        "联系人：张某某，电话：13893812345；值班手机13993800000，办公电话0938-8212345，订单号913993800000123"
    )
    assert _found(text) == [("mobile", "13893812345", True), ("mobile", "13993800000", False)]
    assert _found("寻找当事人王某某（电话138 9381 2345）")[0] == ("mobile", "13893812345", True)
    assert _found("秦州区法律援助中心值班手机：13993800000") == [("mobile", "13993800000", False)]
    assert _found("李庄村 13993800000") == [("mobile", "13993800000", False)]
    assert mask("13993800000") == "139****0000"


def test_bank_cards_need_a_card_prefix_and_a_valid_luhn_digit() -> None:
    assert luhn_valid("6222021203456780")
    assert not luhn_valid("6222021203456781")
    text = (
        "卡号6222021203456780，另一张6217 0023 8001 2345 672；无效的6222021203456781；文号20230618164604828"
    )
    assert _found(text) == [
        ("bank-card", "6222021203456780", True),
        ("bank-card", "6217002380012345672", True),
    ]


def test_masking_leaves_nothing_to_read_back() -> None:
    text = "李某某（620502198503120015）卡号6222021203456780 电话13893812345 办公电话0938-8211001"
    masked = mask_text(text)
    assert masked == "李某某（6205**********0015）卡号6222********6780 电话138****2345 办公电话0938-8211001"
    assert mask_text("没有号码的标题") == "没有号码的标题"


@pytest.mark.parametrize(
    ("publisher", "same"),
    [
        ("区司法局", True),
        ("秦州区司法局", True),
        ("天水市秦州区司法局", True),
        ("甘肃省天水市秦州区司法局", True),
        ("秦州区司法局办公室", True),
        ("司法局", True),
        ("天水市司法局", False),  # the city's bureau
        ("麦积区司法局", False),  # the next district's
        ("秦州区人民政府", False),
        ("秦州区法律援助中心", False),
    ],
)
def test_a_bureau_is_recognised_however_its_name_is_written(publisher: str, same: bool) -> None:
    assert Organ.of("天水市秦州区司法局", "甘肃省天水市秦州区").names(publisher) is same


def test_a_bureau_without_region_is_recognised_by_its_own_name() -> None:
    organ = Organ.of("兰州市城关区司法局")
    assert organ.names("城关区司法局")
    assert not organ.names("兰州市司法局")


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        ("关于印发《秦州区人民调解员补贴管理办法（试行）》的通知", "秦州区人民调解员补贴管理办法(试行)"),
        ("秦州区司法局关于印发秦州区人民调解员等级评定管理办法的通知", "秦州区人民调解员等级评定管理办法"),
        ("秦州区司法局关于加强公共法律服务体系建设的实施意见", "加强公共法律服务体系建设的实施意见"),
    ],
)
def test_the_name_an_interpretation_must_carry(title: str, subject: str) -> None:
    assert subject_of(title) == subject.lower()
