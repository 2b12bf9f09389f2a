"""The command line: one module per command group. Each command parses its options, calls the
library and prints; bad input of any kind ends in one paragraph on stderr and exit code 2, never a
traceback."""

from __future__ import annotations

from compliance_audit.cli import annual, audit, catalogue, harvest, rules  # noqa: F401  (registers the commands)
from compliance_audit.cli.base import main

__all__ = ["main"]
