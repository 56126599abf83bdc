"""Bolt listeners: Slack requests in, `Invocation`s to the dispatcher, replies back out.

Every listener acknowledges within the request. Commands and button presses are then
answered through `response_url` (over the Web API client's session, so answers reuse its
connections): ephemeral when the reply is private, in the channel otherwise. Workspace admin
rights (a `users.info` call) are looked up only for the commands that depend on them. A reply's files (`/burnward export`) go to the caller's direct message first
(see `files`). The modals of `/burnward add` and of "Suggest for burn ward" (the message
shortcut, or `/burnward suggest` typed alone) answer in their acknowledgement instead.
Opening the App Home tab publishes the workspace's overview (`views.publish`, see `home`);
a button pressed in a view, which has no channel or `response_url`, answers in a modal.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from aiohttp import ClientError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack import modal
from bot.adapters.slack.admins import AdminDirectory, why_failed
from bot.adapters.slack.contexts import ContextSource
from bot.adapters.slack.files import send_files
from bot.adapters.slack.home import home_view, reply_modal
from bot.adapters.slack.render import ACTION_PREFIX, message_payload
from bot.cards.model import Action, Reply, Tone
from bot.commands.home import overview as home_overview
from bot.commands.registry import NEEDS_ADMIN, dispatch
from bot.commands.textargs import parse_command
from bot.runtime.invocation import Invocation
from bot.runtime.lifecycle import IN_FLIGHT
from bot.store import StoreError

log = logging.getLogger(__name__)

PLATFORM = "slack"
COMMANDS = ("/roast", "/burnward", "/specimen", "/roasthelp", "/roaststats")
ACTION_IDS = re.compile(rf"^{re.escape(ACTION_PREFIX)}(button|menu)-")


class Listeners:
    """The bot's listeners, sharing the core context and the admin directory."""

    def __init__(self, contexts: ContextSource, admins: AdminDirectory) -> None:
        self._contexts = contexts
        self._admins = admins

    def register(self, app: AsyncApp) -> None:
        """Attach every listener to the Bolt app."""
        for command in COMMANDS:
            app.command(command)(self.on_command)
        app.block_action(ACTION_IDS)(self.on_action)
        app.options(modal.ROLE_ACTION)(self.on_role_options)
        app.view_submission(modal.CALLBACK_ID)(self.on_add_quote)
        app.message_shortcut(modal.SHORTCUT_ID)(self.on_capture)
        app.view_submission(modal.SUGGEST_CALLBACK_ID)(self.on_suggest)
        app.event("app_home_opened")(self.on_home_opened)

    async def on_command(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        """A slash command; `/burnward add` alone opens its modal for admins, and
        `/burnward suggest` alone the suggest modal for anyone."""
        await ack()
        with IN_FLIGHT.track():  # a stop waits until the answer is out
            await self._command(body, respond, client, context)

    async def _command(
        self,
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        parsed = parse_command(str(body.get("command", "")), str(body.get("text", "")))
        channel_id = str(body.get("channel_id", ""))
        trigger_id = str(body.get("trigger_id", ""))
        if parsed == modal.OPEN_SUGGEST:  # opened before any lookup: the trigger lasts 3 s
            view = modal.suggest_view(channel_id)
            await _open_modal(client, respond, trigger_id, view, modal.SUGGEST_NOT_OPENED)
            return
        caller = await self._caller(client, context, channel_id, parsed.command)
        if parsed == modal.OPEN_MODAL and caller.is_admin:
            view = modal.add_quote_view(caller.channel_id)
            await _open_modal(client, respond, trigger_id, view, modal.NOT_OPENED)
            return
        invocation = replace(
            caller, command=parsed.command, subcommand=parsed.subcommand, options=parsed.options
        )
        reply = await dispatch(await self._contexts.get(), invocation)
        if reply.attachments:
            answer = await send_files(client, caller.user_id, reply, caller.channel_id)
            if answer is None:
                return
            reply = answer
        await _answer(client, respond, reply)

    async def on_action(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        """A button or section menu: run its action; the menu replaces the message it is on."""
        await ack()
        with IN_FLIGHT.track():
            await self._action(body, action, respond, client, context)

    async def _action(
        self,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        value = action.get("value") or (action.get("selected_option") or {}).get("value") or ""
        decoded = Action.decode(str(value))
        if decoded is None:
            log.warning("slack: ignored an action that is not ours: %.80r", value)
            return
        caller = await self._caller(client, context, context.channel_id or "", decoded.command)
        reply = await dispatch(await self._contexts.get(), caller.with_action(decoded))
        if reply.attachments:
            answer = await send_files(client, caller.user_id, reply, caller.channel_id)
            if answer is None:
                return
            reply = answer
        if body.get("container", {}).get("type") == "view":
            await _show_in_modal(client, body, reply)
            return
        from_ephemeral = bool(body.get("container", {}).get("is_ephemeral"))
        from_menu = action.get("type") == "static_select"
        in_place = reply.private == from_ephemeral and (from_menu or from_ephemeral)
        await _answer(client, respond, reply, replace_original=in_place)

    async def on_role_options(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """The modal's role picker: the catalog's best matches for what was typed."""
        catalog = (await self._contexts.get()).catalog
        await ack(options=modal.role_options(catalog.autocomplete(str(body.get("value", "")))))

    async def on_add_quote(
        self,
        ack: AsyncAck,
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        """The add modal submitted: store the quote, or show why not under the quote field."""
        await self._submit(ack, view, client, context, "add", modal.TITLE)

    async def on_capture(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        """The message shortcut: the suggest modal, prefilled with the message's text.

        The message's author is named nowhere in it: the source starts blank.
        """
        await ack()
        channel_id = str((body.get("channel") or {}).get("id", ""))
        quote = modal.message_text(body.get("message") or {})
        view = modal.suggest_view(channel_id, quote)
        trigger_id = str(body.get("trigger_id", ""))
        await _open_modal(client, respond, trigger_id, view, modal.SUGGEST_NOT_OPENED)

    async def on_suggest(
        self,
        ack: AsyncAck,
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        """The suggest modal submitted: `/burnward suggest` with its fields."""
        await self._submit(ack, view, client, context, "suggest", modal.SUGGEST_TITLE)

    async def _submit(
        self,
        ack: AsyncAck,
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
        subcommand: str,
        title: str,
    ) -> None:
        """Run `/burnward <subcommand>` with a modal's fields; a refusal keeps the modal open."""
        submission = modal.read_submission(view)
        caller = await self._caller(client, context, submission.channel_id, "burnward")
        invocation = replace(
            caller, command="burnward", subcommand=subcommand, options=submission.options
        )
        reply = await dispatch(await self._contexts.get(), invocation)
        if any(card.tone is Tone.ERROR for card in reply.cards):
            await ack(response_action="errors", errors=modal.submission_errors(reply))
        else:
            await ack(response_action="update", view=modal.result_view(reply, title))

    async def on_home_opened(
        self, event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """The Home tab opened: publish this workspace's overview for the reader."""
        if event.get("tab") != "home":
            return
        with IN_FLIGHT.track():
            caller = await self._caller(client, context, "", "home")
            if caller.user_id == "":
                return
            admin = await self._admins.is_admin(client, caller.workspace_id, caller.user_id)
            try:
                found = await home_overview(
                    await self._contexts.get(), replace(caller, is_admin=admin)
                )
            except StoreError as exc:
                log.warning("slack: the Home tab was not published: %s", exc)
                return
            await _publish(client, caller.user_id, home_view(found))

    async def _caller(
        self, client: AsyncWebClient, context: AsyncBoltContext, channel_id: str, command: str
    ) -> Invocation:
        """Who asks, and where; admin rights looked up only when `command` depends on them."""
        team = context.team_id or context.enterprise_id or ""
        user = context.user_id or ""
        admin = command in NEEDS_ADMIN and await self._admins.is_admin(client, team, user)
        return Invocation(PLATFORM, team, channel_id, user, admin, command="help")


async def _open_modal(
    client: AsyncWebClient,
    respond: AsyncRespond,
    trigger_id: str,
    view: dict[str, Any],
    not_opened: str,
) -> None:
    """Open `view`; when Slack refuses, say so privately with the typed form (`not_opened`)."""
    try:
        await client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
        log.warning("slack: views.open failed (%s)", error)
        await _answer(client, respond, Reply.error(not_opened.format(error=error or "no answer")))


async def _publish(client: AsyncWebClient, user_id: str, view: dict[str, Any]) -> None:
    try:
        await client.views_publish(user_id=user_id, view=view)
    except (TimeoutError, SlackClientError, ClientError) as exc:
        log.warning("slack: views.publish failed for %s (%s)", user_id, why_failed(exc))


async def _show_in_modal(client: AsyncWebClient, body: dict[str, Any], reply: Reply) -> None:
    """Answer a button pressed in a view, which has no channel: the reply in a modal, opened
    over the Home tab or replacing the modal the button was in."""
    view = body.get("view") or {}
    try:
        if view.get("type") == "modal" and view.get("id"):
            await client.views_update(view_id=str(view["id"]), view=reply_modal(reply))
        else:
            await client.views_open(
                trigger_id=str(body.get("trigger_id", "")), view=reply_modal(reply)
            )
    except (TimeoutError, SlackClientError, ClientError) as exc:
        log.warning("slack: the answer to a button in a view was not shown (%s)", why_failed(exc))


async def _answer(
    client: AsyncWebClient, respond: AsyncRespond, reply: Reply, *, replace_original: bool = False
) -> None:
    """Post the reply to the request's `response_url`, as Bolt's `respond` would, but over
    the client's session (Bolt's opens a new one for every answer)."""
    if respond.response_url is None:
        raise ValueError("no response_url to answer to")
    payload = message_payload(reply)
    message: dict[str, Any] = {"text": payload["text"], "blocks": payload["blocks"]}
    if replace_original:
        message["replace_original"] = True
    else:
        message["response_type"] = "ephemeral" if reply.private else "in_channel"
    webhook = AsyncWebhookClient(
        respond.response_url,
        timeout=client.timeout,
        ssl=respond.ssl,
        proxy=respond.proxy,
        session=client.session,
    )
    await webhook.send_dict(message)
