"""Hypothesis profiles for the fuzz suite, and its summary.

`quick` (the default, part of `make test`) runs a few derandomised examples per loader, the same
ones every time, so a CI run never fails by chance; `long` (`make fuzz`, HYPOTHESIS_PROFILE=long)
runs FUZZ_EXAMPLES (default 720) random examples per loader, over 10,000 in all.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from compliance_audit.ruleset import loader as rules_loader
from tests.fuzz import stats

_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile(
    "quick", max_examples=20, deadline=None, derandomize=True, database=None, suppress_health_check=_CHECKS
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "720")),
    deadline=None,
    suppress_health_check=_CHECKS,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


@pytest.fixture(scope="module", autouse=True)
def rules_loaded_once() -> Iterator[None]:
    """The bundled rules are not what is fuzzed: load them once, not per example. (The catalogue
    library is not cached: an audit adds the catalogue files it is given to it.)"""
    original = rules_loader.load_rulebook
    bundled_rules = cache(original)

    def load_rulebook(directory: Path | None = None, *, collect: bool = False) -> rules_loader.RuleBook:
        return bundled_rules() if directory is None and not collect else original(directory, collect=collect)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rules_loader, "load_rulebook", load_rulebook)
        yield


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if stats.STATS:
        terminalreporter.section("fuzz")
        for line in stats.summary_lines():
            terminalreporter.write_line(line)
        stats.save()
