"""``python -m dedup``: the same as the ``dedup`` command."""

import sys

from dedup.cli import main

sys.exit(main())
