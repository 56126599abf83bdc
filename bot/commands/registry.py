"""The command registry and the dispatcher every adapter calls."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable

from bot.cards import Reply
from bot.commands import burnward, help, roast, specimen
from bot.context import Context
from bot.invocation import Invocation

log = logging.getLogger(__name__)

Handler = Callable[[Context, Invocation], Awaitable[Reply]]

COMMANDS: dict[str, Handler] = {
    "roast": roast.run,
    "burnward": burnward.run,
    "help": help.run,
    "specimen": specimen.run,
}


async def dispatch(context: Context, invocation: Invocation) -> Reply:
    """Run one invocation. Never raises: a failure becomes a private reply with a reference."""
    handler = COMMANDS.get(invocation.command)
    if handler is None:
        return Reply.error(f"Unknown command /{invocation.command[:40]}. Try /roasthelp.")
    try:
        return await handler(context, invocation)
    except Exception:
        reference = secrets.token_hex(3).upper()
        log.exception(
            "command /%s failed (ref %s) on %s", invocation.command, reference, invocation.platform
        )
        return Reply.error(f"Something went wrong (ref {reference}). Nothing was changed.")
