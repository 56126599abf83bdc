"""`roastbot roast ROLE`: print one card as text, or as the exact Discord or Slack payload."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from collections.abc import Callable
from typing import Any, cast

from rich.console import Console

from bot.adapters.console.render import render_reply
from bot.app import open_context
from bot.cards import Reply
from bot.commands.registry import dispatch
from bot.config import load_settings
from bot.invocation import Invocation

# format name -> "module:function" turning a Reply into the platform's message JSON
PAYLOAD_RENDERERS = {
    "discord": "bot.adapters.discord.render:message_payload",
    "slack": "bot.adapters.slack.render:message_payload",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommand to the parser."""
    parser = sub.add_parser("roast", help="print one role's card")
    parser.add_argument("role")
    parser.add_argument("--section", default=None)
    parser.add_argument("--format", choices=("text", *PAYLOAD_RENDERERS), default="text")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Print the card; an unknown role exits 1 with suggestions on stderr."""
    settings = load_settings()

    async def roast() -> Reply | None:
        async with open_context(settings) as context:
            if context.catalog.find(args.role) is None:
                names = ", ".join(r.title for r in context.catalog.suggest(args.role))
                hint = f" Did you mean: {names}?" if names else ""
                print(f"roastbot: no specimen called {args.role!r}.{hint}", file=sys.stderr)
                return None
            options = {"role": args.role} | ({"section": args.section} if args.section else {})
            invocation = Invocation("cli", "local", "cli", "cli", False, "roast", None, options)
            return await dispatch(context, invocation)

    reply = asyncio.run(roast())
    if reply is None:
        return 1
    if args.format == "text":
        console = Console()
        for renderable in render_reply(reply):
            console.print(renderable)
    else:
        print(json.dumps(_renderer(args.format)(reply), indent=2, ensure_ascii=False))
    return 1 if reply.private else 0


def _renderer(name: str) -> Callable[[Reply], dict[str, Any]]:
    module_name, _, function = PAYLOAD_RENDERERS[name].partition(":")
    return cast(
        Callable[[Reply], dict[str, Any]], getattr(importlib.import_module(module_name), function)
    )
