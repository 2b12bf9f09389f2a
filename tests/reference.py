"""Reference results: what the per-item audit core concluded, kept as test data so that the
column-at-a-time core that replaced it is held to the same findings and fingerprints.

`python -m tests.reference` (from the repository root, with the package installed) writes them
again; run it only with an implementation whose results are the reference."""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from compliance_audit.report.json_report import report_data
from compliance_audit.report.model import Report
from compliance_audit.ruleset.catalogue import CatalogueLibrary, bundled_catalogues_directory
from compliance_audit.ruleset.loader import bundled_rules_directory, load_rulebook
from compliance_audit.selftest import case_files, case_report
from compliance_audit.workcalendar import WorkCalendar
from compliance_audit.yamlsafe import load_yaml_document
from tests.helpers import AS_OF, EXAMPLE, REPO, run_cli

REFERENCE = REPO / "tests" / "data" / "reference"
GENERATED_ITEMS = 200_000
# the inventories of the examples, each audited as `audit FILE --as-of 2021-03-10` would
EXAMPLES = {
    "qinzhou": EXAMPLE,
    "maiji": REPO / "examples" / "tianshui-batch" / "maiji.csv",
    "gangu": REPO / "examples" / "tianshui-batch" / "gangu.yaml",
    "wushan-portal": REPO / "examples" / "tianshui-batch" / "wushan-portal",
}
EXAMPLE_BUREAUS = {"gangu": "甘谷县司法局", "wushan-portal": "武山县司法局"}


def canonical(data: dict[str, Any]) -> str:
    """A report's content, independent of how its JSON is laid out."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(data).encode("utf-8")).hexdigest()


def case_digests() -> Iterator[tuple[str, str]]:
    """(case file and name, digest of its whole report) for every bundled rule and catalogue case."""
    book = load_rulebook()
    library = CatalogueLibrary.bundled()
    calendar = WorkCalendar.bundled()
    with bundled_rules_directory() as rules, bundled_catalogues_directory() as catalogues:
        for path in case_files([rules, catalogues]):
            data = load_yaml_document(path).data
            for case in data["cases"]:
                report = case_report(book, library, calendar, path, data, case)
                yield f"{path.parent.name}/{path.name}: {case['name']}", digest(_portable(report))


def _portable(report: Report) -> dict[str, Any]:
    data = report_data(report)
    data["inventory"]["file"] = Path(data["inventory"]["file"]).name
    data["tool"].pop("version")
    return data


def audit_json(inventory: Path, output: Path, *extra: str) -> dict[str, Any]:
    """The JSON report of `compliance-audit audit INVENTORY`, without the tool's version."""
    result = run_cli("audit", inventory, "--as-of", AS_OF, "--format", "json", "-o", output, *extra)
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    data["tool"].pop("version")
    return data


def example_report(name: str, output: Path) -> dict[str, Any]:
    """The example's report, with the checkout's own path (a notice names the saved portal) as
    <repo>, so that the reference holds wherever the repository is cloned."""
    bureau = EXAMPLE_BUREAUS.get(name)
    data = audit_json(EXAMPLES[name], output, *(("--bureau-name", bureau) if bureau else ()))
    data["notices"] = [notice.replace(str(REPO), "<repo>") for notice in data["notices"]]
    return data


def generated_summary(directory: Path) -> dict[str, Any]:
    """The digest of the audit of the benchmarks' synthetic inventory, with counts to read."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic import generate

    inventory = directory / "inventory.jsonl"
    generate(inventory, GENERATED_ITEMS)
    data = audit_json(inventory, directory / "report.json")
    by_rule = Counter(f"{finding['rule']} {finding['kind']}" for finding in data["findings"])
    return {
        "items": GENERATED_ITEMS,
        "digest": digest(data),
        "findings": len(data["findings"]),
        "by_rule": dict(sorted(by_rule.items())),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        for name in EXAMPLES:
            data = example_report(name, directory / f"{name}.json")
            (REFERENCE / f"example-{name}.json").write_text(
                json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
            )
        lines = [f"{digest_}  {key}" for key, digest_ in case_digests()]
        (REFERENCE / "cases.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        summary = generated_summary(directory)
        (REFERENCE / "generated-200k.json").write_text(
            json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
