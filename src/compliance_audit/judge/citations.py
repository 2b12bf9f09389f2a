"""superseded-citation: published after a text was replaced, still citing the replaced text.

A guide or document that still cites 《政府信息公开条例》(国务院令第492号, 2007) after the revised
regulation (国务院令第711号) took effect on 2019-05-15 cites an outdated text: not unlawful in
itself, but a sign that the content was not updated. The citation is looked for in title, summary
and body; an item without its body is not declared clean on its title alone.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from compliance_audit.findings import CheckResult, Outcome
from compliance_audit.judge.context import Context
from compliance_audit.ruleset.model import Rule
from compliance_audit.textnorm import normalise

PARAMS_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["instruments"],
    "additionalProperties": False,
    "properties": {
        "instruments": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "patterns", "replaced_on", "replaced_by"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"},
                    "patterns": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
                    "replaced_on": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                    "replaced_by": {"type": "string"},
                },
            },
        }
    },
}


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_TEXTS = ("title", "summary", "body")


def _probe(pattern: str) -> str:
    """The longest run of Chinese characters in a pattern: normalisation leaves those unchanged, so
    raw text without it cannot contain the pattern, and most items are skipped unnormalised."""
    return max(_HAN_RUN.findall(pattern), key=len, default="")


def run(rule: Rule, ctx: Context) -> Outcome:
    applicability = ctx.applies(rule)
    if not applicability.applies:
        return Outcome(
            check=CheckResult(rule.id, rule.title, applicability.status, reason=applicability.reason)
        )
    instruments = [
        (spec, [normalise(p) for p in spec["patterns"]], date.fromisoformat(spec["replaced_on"]))
        for spec in rule.params["instruments"]
    ]
    probes = [_probe(pattern) for spec in rule.params["instruments"] for pattern in spec["patterns"]]
    findings = []
    in_force = ~ctx.frame["validity"].is_in(["失效", "废止"])
    without_body = int((in_force & (ctx.frame["body"] == "")).sum())
    if all(probes):
        # a probe is a run of Chinese characters, which never spans two fields
        citing = pl.any_horizontal(pl.col(field).str.contains_any(probes) for field in _TEXTS)
        citing_rows = ctx.shared(
            f"citing {probes}", lambda: ctx.frame.select(citing.alias("citing"))["citing"]
        )
    else:
        citing_rows = pl.repeat(True, ctx.count, eager=True)
    for item in ctx.items_at((in_force & citing_rows).arg_true().to_list()):
        text = normalise(f"{item.title} {item.summary} {item.body}")
        for spec, patterns, replaced_on in instruments:
            if item.published >= replaced_on and any(pattern in text for pattern in patterns):
                findings.append(
                    ctx.finding(
                        rule,
                        "stale",
                        f"发布于 {item.published.isoformat()}，引用的是已被修订的{spec['name']}"
                        f"（{spec['replaced_by']}自 {replaced_on.isoformat()} 起施行），"
                        "请核对内容是否已随之更新",
                        item=item,
                        element=spec["name"],
                    )
                )
    judged = ctx.count - without_body
    reason = (
        f"{without_body} 条信息未提供正文，只查了标题和内容概述，未发现的不作结论" if without_body else ""
    )
    status = "failed" if findings else "passed" if judged else "not-evaluated"
    return Outcome(
        check=CheckResult(rule.id, rule.title, status, judged, without_body, reason), findings=findings
    )
