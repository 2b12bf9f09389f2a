"""The judgements. Each check is a small pure function (rule, context) → outcome; a rule file
names the check its rule uses (`check:`), and this registry is where the name is resolved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from compliance_audit.annual.checks import ANNUAL_CHECKS
from compliance_audit.findings import Outcome
from compliance_audit.judge import (
    annual_report,
    body_elements,
    catalogue_coverage,
    catalogue_present,
    citations,
    columns,
    expired,
    interpretation,
    late,
    metadata,
    personal_data,
    platform,
    requirement,
)
from compliance_audit.judge.context import Context
from compliance_audit.ruleset.model import Rule


@dataclass(frozen=True)
class CheckSpec:
    name: str
    run: Callable[[Rule, Context], Outcome]
    reports: str  # "requirement": a state in the requirements list; "check": a check summary
    params_schema: dict[str, object]
    rule_params: tuple[str, ...] = ()  # params that name other rules
    needs_match: bool = False  # the rule must say which items it is about
    after_requirements: bool = False  # judged once every requirement has its state


CHECKS: dict[str, CheckSpec] = {
    spec.name: spec
    for spec in (
        CheckSpec("requirement", requirement.run, "requirement", requirement.PARAMS_SCHEMA, needs_match=True),
        CheckSpec(
            "body-elements",
            body_elements.run,
            "requirement",
            body_elements.PARAMS_SCHEMA,
            body_elements.RULE_PARAMS,
        ),
        CheckSpec("catalogue-present", catalogue_present.run, "requirement", catalogue_present.PARAMS_SCHEMA),
        CheckSpec(
            "catalogue-coverage",
            catalogue_coverage.run,
            "requirement",
            catalogue_coverage.PARAMS_SCHEMA,
            after_requirements=True,
        ),
        CheckSpec("platform-column", platform.run, "requirement", platform.PARAMS_SCHEMA),
        CheckSpec("late", late.run, "check", late.PARAMS_SCHEMA),
        CheckSpec("expired", expired.run, "check", expired.PARAMS_SCHEMA),
        CheckSpec("field-required", metadata.field_required, "check", metadata.FIELD_PARAMS_SCHEMA),
        CheckSpec("index-number", metadata.index_number, "check", metadata.INDEX_PARAMS_SCHEMA),
        CheckSpec("unique", metadata.unique, "check", metadata.UNIQUE_PARAMS_SCHEMA),
        CheckSpec("date-order", metadata.date_order, "check", metadata.NO_PARAMS_SCHEMA),
        CheckSpec("publisher-names", metadata.publisher_names, "check", metadata.NO_PARAMS_SCHEMA),
        CheckSpec("personal-data", personal_data.run, "check", personal_data.PARAMS_SCHEMA),
        CheckSpec("superseded-citation", citations.run, "check", citations.PARAMS_SCHEMA),
        CheckSpec("column-freshness", columns.freshness, "check", columns.FRESHNESS_PARAMS_SCHEMA),
        CheckSpec("column-empty", columns.empty, "check", columns.EMPTY_PARAMS_SCHEMA),
        CheckSpec("site-veto", columns.site_veto, "check", columns.VETO_PARAMS_SCHEMA),
        CheckSpec(
            "interpretation-pairing",
            interpretation.run,
            "check",
            interpretation.PARAMS_SCHEMA,
            needs_match=True,
        ),
        # the annual-report checks, each run on the inventory's newest annual report (its body)
        *(
            CheckSpec(name, annual_report.runner(name), "check", check.params_schema, check.rule_params)
            for name, check in ANNUAL_CHECKS.items()
        ),
    )
}
