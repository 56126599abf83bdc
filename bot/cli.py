"""The `roastbot` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from bot.adapters.console.chat import run_chat
from bot.adapters.console.render import render_reply
from bot.app import open_context
from bot.commands.registry import dispatch
from bot.config import Settings, SettingsError, load_settings
from bot.context import Context
from bot.dossiers.loader import BUNDLED_DIR, CatalogError, load_roles
from bot.invocation import Invocation
from bot.store import StoreError

PLATFORMS = ("discord", "slack", "console", "all")
FORMATS = ("text",)


class CommandError(Exception):
    """A command-line failure: its message is printed on one line and the exit code is 1."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="roastbot", description="Satirical role roasts.")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="serve every platform whose tokens are set")
    run.add_argument("platform", nargs="?", choices=PLATFORMS, default="all")

    chat = sub.add_parser("chat", help="the bot in this terminal")
    chat.add_argument("--channel", default="console", help="channel name (rotation is per channel)")
    chat.add_argument("--user", default="you", help="your user name")
    chat.add_argument("--no-admin", action="store_true", help="act as a member, not an admin")

    roast = sub.add_parser("roast", help="print one role's card")
    roast.add_argument("role")
    roast.add_argument("--section", default=None)
    roast.add_argument("--format", choices=FORMATS, default="text")

    validate = sub.add_parser("validate", help="check a dossier folder")
    validate.add_argument("directory", nargs="?", type=Path, default=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `roastbot` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        if args.command == "validate":
            return _validate(args.directory)
        settings = load_settings()
        return asyncio.run(_run_async(args, settings))
    except (SettingsError, StoreError, CommandError) as exc:
        print(f"roastbot: {exc}", file=sys.stderr)
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


def _validate(directory: Path | None) -> int:
    target = directory or BUNDLED_DIR
    try:
        roles = load_roles(target)
    except CatalogError as exc:
        print(exc, file=sys.stderr)
        print(f"{len(exc.problems)} problems in {target}", file=sys.stderr)
        return 1
    print(f"{len(roles)} dossiers in {target}: all valid")
    return 0


async def _run_async(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "run":
        return await _serve(args.platform, settings)
    async with open_context(settings) as context:
        if args.command == "chat":
            await run_chat(context, args.channel, args.user, admin=not args.no_admin)
            return 0
        if args.command == "roast":
            return await _roast(context, args)
    raise CommandError(f"unknown command {args.command}")


async def _serve(platform: str, settings: Settings) -> int:
    if platform in ("discord", "slack"):
        raise CommandError(f"the {platform} adapter is not built yet; use 'roastbot run console'")
    async with open_context(settings) as context:
        await run_chat(context)
    return 0


async def _roast(context: Context, args: argparse.Namespace) -> int:
    invocation = Invocation(
        platform="cli",
        workspace_id="local",
        channel_id="cli",
        user_id="cli",
        is_admin=False,
        command="roast",
        options={"role": args.role, **({"section": args.section} if args.section else {})},
    )
    if context.catalog.find(args.role) is None:
        suggestions = ", ".join(r.title for r in context.catalog.suggest(args.role))
        hint = f" Did you mean: {suggestions}?" if suggestions else ""
        print(f"roastbot: no specimen called {args.role!r}.{hint}", file=sys.stderr)
        return 1
    reply = await dispatch(context, invocation)
    console = Console()
    for renderable in render_reply(reply):
        console.print(renderable)
    return 1 if reply.private else 0
