"""The small pure functions behind the judgements, where a rule case would hide the arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from compliance_audit.judge.interpretation import subject_of
from compliance_audit.judge.personal_data import find_numbers, mask, valid_id_number
from compliance_audit.judge.requirement import months_before, required_due, required_period
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


def test_identity_numbers_need_a_valid_check_digit() -> None:
    assert valid_id_number("620502198507150019")
    assert valid_id_number("11010519491231002X")
    assert not valid_id_number("620502198507150018")
    text = "受援人身份证号620502198507150019，另一号码620502198507150018，已遮盖的6205**********0019"
    assert find_numbers("id-number", text) == ["620502198507150019"]
    assert mask("620502198507150019") == "6205**********0019"


def test_mobile_numbers_masked_or_landline_are_not_found() -> None:
    text = "联系电话13993800000，办公电话0938-8212345，已遮盖138****1234，订单号913993800000123"
    assert find_numbers("mobile", text) == ["13993800000"]
    assert mask("13993800000") == "139****0000"


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
