"""The `roastbot` console script and `python -m bot`: the command line, started quickly.

Start-up makes hundreds of thousands of objects that live as long as the process
(SQLAlchemy, pydantic's models, the subcommand's modules), and the cyclic garbage collector
would walk them again and again while they are being made: about 60 of the 460 ms of CPU
a cold `roastbot roast SDET` took (`bench/core.py --parts start`). So collection is paused
while the command line and its subcommand load; `bot.cli.main` then freezes what was
loaded (later collections skip it) and resumes collection before the command runs.
"""

import gc
import sys


def main() -> int:
    """Run the `roastbot` command line with collection paused while it loads."""
    gc.disable()
    from bot.cli import main as command_line

    return command_line(resume_collection=True)


if __name__ == "__main__":
    sys.exit(main())
