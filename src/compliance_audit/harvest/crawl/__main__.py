"""The crawl process: python -m compliance_audit.harvest.crawl MIRROR (started by crawl())."""

import sys
from pathlib import Path

from compliance_audit.harvest.crawl.spider import run

run(Path(sys.argv[1]))
