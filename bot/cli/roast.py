"""`roastbot roast ROLE`: print one card as text, or as the exact Discord or Slack payload."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from typing import Any, cast

from rich.console import Console

from bot.adapters.console.render import render_reply
from bot.cards.model import Reply
from bot.catalog.lookup import Catalog
from bot.cli.lazy import load
from bot.cli.roles import find_or_explain
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.runtime.settings import Settings, load_settings
from bot.store import open_store

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
    """Print the card; an unknown role or section exits 1 with the reason on stderr."""
    settings = load_settings()
    catalog = Catalog.load(settings.dossiers)
    if find_or_explain(catalog, args.role) is None:
        return 1
    reply = asyncio.run(_roast(settings, catalog, args.role, args.section))
    if reply.private:
        print(f"roastbot: {reply.cards[0].description}", file=sys.stderr)
        return 1
    if args.format == "text":
        console = Console()
        for renderable in render_reply(reply):
            console.print(renderable)
    else:
        renderer = cast(Callable[[Reply], dict[str, Any]], load(PAYLOAD_RENDERERS[args.format]))
        print(json.dumps(renderer(reply), indent=2, ensure_ascii=False))
    return 0


async def _roast(settings: Settings, catalog: Catalog, role: str, section: str | None) -> Reply:
    store = await open_store(settings.db)
    try:
        options = {"role": role} | ({"section": section} if section else {})
        invocation = Invocation("cli", "local", "cli", "cli", False, "roast", None, options)
        context = Context(catalog, store, default_zone=settings.tz, public_url=settings.public_url)
        return await dispatch(context, invocation)
    finally:
        await store.close()
