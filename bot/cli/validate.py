"""`roastbot validate [DIR]`: every problem of a dossier folder as `path:line: message`.

Without DIR it checks the folder the bot loads: ROASTBOT_DOSSIERS, or the bundled one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.catalog.loader import BUNDLED_DIR, CatalogError, load_roles
from bot.runtime.settings import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommand to the parser."""
    parser = sub.add_parser(
        "validate", help="check a dossier folder (default: the one the bot loads)"
    )
    parser.add_argument("directory", nargs="?", type=Path, default=None)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print every problem and exit 1, or say how many dossiers are valid."""
    target = args.directory or load_settings().dossiers or BUNDLED_DIR
    try:
        roles = load_roles(target)
    except CatalogError as exc:
        print(exc, file=sys.stderr)
        print(f"{len(exc.problems)} problems in {target}", file=sys.stderr)
        return 1
    print(f"{len(roles)} dossiers in {target}: all valid")
    return 0
