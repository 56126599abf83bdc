"""The command registry and the dispatcher every adapter calls."""

from __future__ import annotations

import importlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.cards.model import Reply
from bot.runtime import metrics
from bot.runtime.context import Context, place_of
from bot.runtime.invocation import Invocation
from bot.runtime.lifecycle import IN_FLIGHT
from bot.store import StoreBusy, StoreError, StoreFull, StoreUnavailable

log = logging.getLogger(__name__)

# what a member is told when the database fails; the operator's log line has the details
_STORE_TROUBLE = {
    StoreBusy: "The database is busy, try again in a moment. Nothing was changed.",
    StoreFull: "The database is full, so nothing can be saved now. Nothing was changed.",
    StoreUnavailable: "The database is unavailable, try again later. Nothing was changed.",
    StoreError: "The database cannot be used right now. Nothing was changed.",
}

Handler = Callable[[Context, Invocation], Awaitable[Reply]]


def store_trouble(exc: StoreError) -> Reply:
    """What a member is told, privately in one line, when the database fails their command."""
    return Reply.error(_STORE_TROUBLE.get(type(exc), _STORE_TROUBLE[StoreError]))


@dataclass(frozen=True)
class Deferred:
    """A command family's `run`, its module imported on the first call: a `roastbot roast`
    never loads the admin commands, and a bot loads each family when first used."""

    module: str

    async def __call__(self, context: Context, invocation: Invocation) -> Reply:
        """Import the family's module (once; Python keeps it) and run the command."""
        run: Handler = importlib.import_module(self.module).run
        return await run(context, invocation)


COMMANDS: dict[str, Handler] = {
    "roast": Deferred("bot.commands.roast"),
    "burnward": Deferred("bot.commands.burnward"),
    "help": Deferred("bot.commands.help"),
    "specimen": Deferred("bot.commands.specimen"),
    "roaststats": Deferred("bot.commands.stats"),
}


def load_commands() -> None:
    """Import every command family now: a bot that serves for days loads them at start, so
    no member's first `/burnward` or `/specimen` waits for an import on the event loop."""
    for handler in COMMANDS.values():
        if isinstance(handler, Deferred):
            importlib.import_module(handler.module)


NEEDS_ADMIN = frozenset({"burnward", "specimen"})
"""The commands whose answer may depend on `Invocation.is_admin`: an adapter that must ask
its platform who is an admin (Slack's `users.info`) asks only for these."""


async def dispatch(context: Context, invocation: Invocation) -> Reply:
    """Run one invocation. Never raises: a failure becomes a private reply with a reference.

    Each call is counted and timed for the metrics, and tracked while in flight so that a
    graceful stop waits for it.
    """
    handler = COMMANDS.get(invocation.command)
    name = invocation.command if handler is not None else "unknown"
    with IN_FLIGHT.track(), metrics.observe_command(invocation.platform, name):
        what = " ".join(part for part in (name, invocation.subcommand) if part)
        log.debug("serving /%s on %s", what, place_of(invocation).key)
        if handler is None:
            return Reply.error(f"Unknown command /{invocation.command[:40]}. Try /roasthelp.")
        try:
            return await handler(context, invocation)
        except StoreError as exc:
            metrics.count_error(invocation.platform, "store")
            log.warning("command /%s on %s: %s", invocation.command, invocation.platform, exc)
            return store_trouble(exc)
        except Exception:
            metrics.count_error(invocation.platform, "command")
            reference = secrets.token_hex(3).upper()
            log.exception(
                "command /%s failed (ref %s) on %s",
                invocation.command,
                reference,
                invocation.platform,
            )
            return Reply.error(f"Something went wrong (ref {reference}). Nothing was changed.")
