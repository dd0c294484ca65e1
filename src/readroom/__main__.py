"""`python -m readroom` runs the command line, as the `readroom` script does."""

import sys

from readroom.cli import main

sys.exit(main())
