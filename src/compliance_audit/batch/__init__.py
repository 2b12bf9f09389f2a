"""The batch package: a manifest of bureaus, audited in parallel, summarised and recorded."""
