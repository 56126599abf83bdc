"""`roastbot chat`: the console, interactive or one command per line when piped."""

from __future__ import annotations

import argparse
import asyncio

from bot.adapters.console.chat import run_chat
from bot.adapters.console.poster import ConsolePoster
from bot.runtime.settings import load_settings
from bot.runtime.startup import open_context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommand to the parser."""
    parser = sub.add_parser("chat", help="the bot in this terminal")
    parser.add_argument(
        "--channel", default="console", help="channel name (rotation is per channel)"
    )
    parser.add_argument("--user", default="you", help="your user name")
    parser.add_argument("--no-admin", action="store_true", help="act as a member, not an admin")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Run the console until end of input."""
    settings = load_settings()

    async def chat() -> None:
        async with open_context(settings) as context:
            context.connect_poster(ConsolePoster())  # review-channel posts and DMs print here
            await run_chat(context, args.channel, args.user, admin=not args.no_admin)

    asyncio.run(chat())
    return 0
