"""`python -m bot` runs the `roastbot` command line."""

import sys

from bot.cli import main

sys.exit(main())
