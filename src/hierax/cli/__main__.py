"""``python -m hierax.cli``: the same as the ``hierax`` command."""

import sys

from hierax.cli import main

sys.exit(main())
