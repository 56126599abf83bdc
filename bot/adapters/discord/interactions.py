"""Turn Discord interactions into invocations, run them through the core and answer in time.

Commands arrive through the command tree; button presses and menu choices through the
client's global `on_interaction` listener (no `View` is kept in memory, so a message
posted before a restart still works: its custom ids carry the whole `Action`).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Mapping
from typing import Any, cast

import aiohttp
import discord
from discord import app_commands

from bot.adapters.discord.modal import submitted_action, suggest_form
from bot.adapters.discord.render import MENU_PREFIX, component_action, message_payload
from bot.adapters.discord.responses import Interaction, defer, open_modal, send
from bot.cards.model import Action, Reply
from bot.commands.registry import dispatch
from bot.quotes.text import prefill
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.runtime.lifecycle import IN_FLIGHT

log = logging.getLogger(__name__)

PLATFORM = "discord"
DM_WORKSPACE = "@me"
"""The workspace of a direct message with the bot, as Discord names it in its own URLs."""
OUR_PREFIX = Action.PREFIX
MEGABYTE = 1024 * 1024
STALE_COMMAND = (app_commands.CommandNotFound, app_commands.CommandSignatureMismatch)
"""Discord's copy of the commands differs from the bot's (a new version not yet synced)."""
STALE = "This command has changed since Discord last synced it. Try again in a minute."
TOO_BIG = (
    "{names} is {size}, more than Discord accepts in this server ({limit})."
    " Nothing was sent; the bot's operator can produce the file on the bot's host."
)


def is_admin(interaction: Interaction) -> bool:
    """Whether the caller may manage this server: Manage Server (or Administrator)."""
    if interaction.guild_id is None:
        return False
    permissions = interaction.permissions
    return permissions.manage_guild or permissions.administrator


def invocation_of(
    interaction: Interaction,
    command: str,
    subcommand: str | None = None,
    options: Mapping[str, str | int | None] | None = None,
) -> Invocation:
    """The neutral invocation for an interaction; options left out by the user are dropped."""
    return Invocation(
        platform=PLATFORM,
        workspace_id=str(interaction.guild_id) if interaction.guild_id else DM_WORKSPACE,
        channel_id=str(interaction.channel_id or ""),
        user_id=str(interaction.user.id),
        is_admin=is_admin(interaction),
        command=command,
        subcommand=subcommand,
        options={key: str(value) for key, value in (options or {}).items() if value is not None},
    )


async def answer_command(
    context: Context, interaction: Interaction, invocation: Invocation, defer_after: float
) -> None:
    """Dispatch a command and answer it as a new message, deferring if the core is slow."""
    with IN_FLIGHT.track():  # a stop waits until the answer is out
        reply = await _in_time(context, interaction, invocation, defer_after, update=False)
        reply = within_upload_limit(reply, interaction.filesize_limit)
        await send(interaction, message_payload(reply), update=False, files=reply.attachments)


async def answer_component(context: Context, interaction: Interaction, defer_after: float) -> None:
    """Run the action behind a pressed button or a chosen menu option, if it is one of ours."""
    with IN_FLIGHT.track():  # a stop waits until the answer is out
        await _answer_component(context, interaction, defer_after)


async def _answer_component(context: Context, interaction: Interaction, defer_after: float) -> None:
    data = cast(dict[str, Any], interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    if not custom_id.startswith(OUR_PREFIX):
        return
    values = [str(value) for value in data.get("values", [])]
    action = component_action(custom_id, values)
    if action is None:
        reply = Reply.error("This button is out of date. Run the command again.")
        await send(interaction, message_payload(reply), update=False)
        return
    invocation = invocation_of(interaction, action.command).with_action(action)
    reply = await _in_time(context, interaction, invocation, defer_after, update=True)
    reply = within_upload_limit(reply, interaction.filesize_limit)
    source_private = interaction.message is not None and interaction.message.flags.ephemeral
    update = updates_in_place(
        menu=custom_id.startswith(MENU_PREFIX), source_private=source_private, reply=reply
    )
    await send(interaction, message_payload(reply), update=update, files=reply.attachments)


async def open_capture(interaction: Interaction, text: str) -> None:
    """Open the "Suggest for burn ward" form, its quote field holding a message's text.

    The message's author is not named anywhere in the form: the source starts blank.
    """
    await open_modal(interaction, suggest_form(prefill(text)))


async def answer_modal(context: Context, interaction: Interaction, defer_after: float) -> None:
    """Run the action of a submitted form with its fields, and answer as a new message."""
    with IN_FLIGHT.track():  # a stop waits until the answer is out
        action = submitted_action(cast(dict[str, Any], interaction.data or {}))
        if action is None:
            reply = Reply.error("This form is out of date. Run the command again.")
        else:
            invocation = invocation_of(interaction, action.command).with_action(action)
            reply = await _in_time(context, interaction, invocation, defer_after, update=False)
            reply = within_upload_limit(reply, interaction.filesize_limit)
        await send(interaction, message_payload(reply), update=False, files=reply.attachments)


def within_upload_limit(reply: Reply, limit: int) -> Reply:
    """The reply, or a private notice when its files are more than Discord accepts here.

    `limit` is the interaction's `attachment_size_limit`: what this server may receive.
    """
    size = sum(len(attachment.content) for attachment in reply.attachments)
    if size <= limit:
        return reply
    names = ", ".join(attachment.filename for attachment in reply.attachments)
    return Reply.error(TOO_BIG.format(names=names, size=_size(size), limit=_size(limit)))


def _size(count: int) -> str:
    if count >= MEGABYTE:
        return f"{count / MEGABYTE:.1f} MB"
    return f"{count:,} bytes"


def updates_in_place(*, menu: bool, source_private: bool, reply: Reply) -> bool:
    """Whether a press edits the message it was on, rather than posting a new one.

    A section chosen from the menu replaces the card in place: it is the same dossier,
    read further, and a channel does not want a new message per section. A related-specimen
    button posts a new message: it is a new roast, like typing `/roast`, and it leaves the
    card others are still reading untouched. Private cards (a burn-ward list, a "did you
    mean") are edited in place when the answer is private too, so paging stays in one
    message. A reply that asks for it (a vote's new counts, `Reply.in_place`) edits the
    message too. Visibility never changes: a private answer to a public card is a new
    ephemeral message, and a public answer to a private card a new public one.
    """
    if reply.private != source_private:
        return False
    return menu or source_private or reply.in_place


async def answer_failure(interaction: Interaction, error: BaseException) -> None:
    """Log an adapter-side failure with a reference and tell the user, privately.

    A command Discord knows in another shape than the bot (commands not yet synced, or
    a forged payload) is one warning line, not a failure with a traceback.
    """
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(original, app_commands.TransformerError | app_commands.CheckFailure):
        reply = Reply.error(str(original))
    elif isinstance(original, STALE_COMMAND):
        log.warning("discord: a command this bot does not serve as sent (%s)", original)
        reply = Reply.error(STALE)
    else:
        reference = secrets.token_hex(3).upper()
        log.error("discord interaction failed (ref %s)", reference, exc_info=original)
        reply = Reply.error(f"Something went wrong (ref {reference}).")
    try:
        await send(interaction, message_payload(reply), update=False)
    except (discord.HTTPException, aiohttp.ClientError) as exc:
        log.warning("could not tell the user about the failure: %s", exc)


async def _in_time(
    context: Context,
    interaction: Interaction,
    invocation: Invocation,
    defer_after: float,
    *,
    update: bool,
) -> Reply:
    """The core's reply; if it takes longer than `defer_after`, defer meanwhile (3 s rule).

    A `defer_after` of 0 or less always defers first. The core runs in this task, a timer
    starting the deferral beside it only when it is late; the deferral is out before this
    returns or raises, so the answer that follows knows it was deferred.
    """
    if defer_after <= 0:
        await defer(interaction, update=update)
        return await dispatch(context, invocation)
    loop = asyncio.get_running_loop()
    deferral: asyncio.Task[None] | None = None

    def start_deferral() -> None:
        nonlocal deferral
        deferral = loop.create_task(defer(interaction, update=update))

    timer = loop.call_later(defer_after, start_deferral)
    try:
        return await dispatch(context, invocation)
    finally:
        timer.cancel()
        if deferral is not None:
            await deferral
