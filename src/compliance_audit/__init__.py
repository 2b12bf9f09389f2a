"""compliance-audit: check a bureau's published information against the 政府信息公开条例 and
the sector standard catalogues."""

# Written here rather than read from the installed metadata: importlib.metadata costs more to
# import than `compliance-audit --help` may take. pyproject.toml reads it from here.
__version__ = "0.1.0"
