"""compliance-audit: check a bureau's published information against the 政府信息公开条例 and
the sector standard catalogues."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("compliance-audit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
