"""The `roastbot` command line. Each subcommand lives in its own module and registers here."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from bot.catalog.loader import CatalogError
from bot.cli import card, catalog, chat, db, post_due, quotes, roast, run, site, validate
from bot.runtime import logs
from bot.runtime.settings import SettingsError, load_settings, unknown_settings
from bot.store import StoreError

SUBCOMMANDS = (run, chat, roast, validate, post_due, catalog, db, quotes, card, site)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="roastbot", description="Satirical role roasts.")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in SUBCOMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `roastbot` console script.

    Logging is set up from the settings first, so a bad setting stops any subcommand with
    one line, and no error line printed here can carry a secret.
    """
    args = build_parser().parse_args(argv)
    redact: Callable[[str], str] = str  # until the settings name the secrets
    try:
        redact = logs.configure(load_settings()).redact
        for warning in unknown_settings():
            logging.getLogger("bot.runtime.settings").warning("%s", warning)
        return int(args.handler(args))
    except (SettingsError, StoreError) as exc:
        print(f"roastbot: {redact(str(exc))}", file=sys.stderr)
        return 1
    except CatalogError as exc:
        print(
            f"roastbot: the dossier catalog is invalid ({len(exc.problems)} problems):",
            file=sys.stderr,
        )
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # a path that cannot be written or read, a full disk: one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"roastbot: {redact(where + (exc.strerror or str(exc)))}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `roastbot roast X --format slack | head`: the reader left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
