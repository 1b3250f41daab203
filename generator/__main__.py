"""Allow `python -m generator` as well as `kb`."""

import sys

from .cli import main

sys.exit(main())
