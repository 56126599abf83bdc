"""The `roastbot` command line. Each subcommand lives in its own module and registers here.

A subcommand's module is imported only when it is the one named, so `roastbot roast X`
never loads the web pages, the adapters or the database tools; help imports them all.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence

from bot.catalog.loader import CatalogError
from bot.runtime import logs
from bot.runtime.settings import SettingsError, load_settings, unknown_settings
from bot.store import StoreError

# subcommand -> the module that registers and handles it, in the order help lists them
SUBCOMMANDS = {
    "run": "bot.cli.run",
    "chat": "bot.cli.chat",
    "roast": "bot.cli.roast",
    "validate": "bot.cli.validate",
    "post-due": "bot.cli.post_due",
    "catalog": "bot.cli.catalog",
    "db": "bot.cli.db",
    "quotes": "bot.cli.quotes",
    "card": "bot.cli.card",
    "site": "bot.cli.site",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser for every subcommand, or only for the one named `only`."""
    parser = argparse.ArgumentParser(prog="roastbot", description="Satirical role roasts.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, module in SUBCOMMANDS.items():
        if only in (None, name):
            importlib.import_module(module).register(sub)
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The parsed command line, importing only the subcommand it names.

    Anything the one subcommand's parser leaves over is parsed again with every subcommand,
    so a mistake is reported exactly as before; help and unknown subcommands load them all.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    if words and words[0] in SUBCOMMANDS:
        args, extra = build_parser(only=words[0]).parse_known_args(words)
        if not extra:
            return args
    return build_parser().parse_args(words)  # help, mistakes: every subcommand, as before


def main(argv: Sequence[str] | None = None, *, resume_collection: bool = False) -> int:
    """Run the command line `argv` (the process's arguments by default); the exit status.

    The `roastbot` console script (`bot.__main__`) pauses garbage collection while the
    program loads and asks, with `resume_collection`, that it resume once the subcommand is
    parsed: what was loaded by then is frozen out of later collections first.

    Logging is set up from the settings first, so a bad setting stops any subcommand with
    one line, and no error line printed here can carry a secret.

    Python ends a process with a full garbage collection over every object it holds, a
    fifth of a one-shot command's CPU; by then logs are flushed (`logging` shuts down
    after this hook) and the store is closed, so the objects are frozen out of it instead.
    """
    atexit.register(gc.freeze)
    args = parse(argv)
    if resume_collection:
        gc.freeze()
        gc.enable()
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
    except BrokenPipeError:  # `roastbot roast X --format slack | head`: the reader left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a path that cannot be written or read, a full disk: one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"roastbot: {redact(where + (exc.strerror or str(exc)))}", file=sys.stderr)
        return 1
