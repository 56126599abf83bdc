"""Send raw message JSON in answer to an interaction, whatever was sent for it so far.

The renderer's payload goes out byte for byte through discord.py's interaction webhook
adapter, the one `interaction.response` and `interaction.followup` use: the client's HTTP
session and `DISCORD_API_URL`, Discord's rate-limit headers honoured, and a lock per
interaction token that lives only while its answer is on the way. (The bot's own HTTP
client would keep a rate-limit bucket per interaction for five minutes and rescan them all
for each new one, so CPU per interaction would grow with traffic; interaction endpoints are
not under the bot's global rate limit anyway.) What has been sent for an interaction is kept
in `interaction.extras`, so a late answer becomes the right follow-up or edit.
The first answer to an interaction received over HTTP goes back in its HTTP response
(`http_answers`); one with files is deferred there instead, since an HTTP response carries no
uploads, and the files go out with the edit.

A reply with files goes out as Discord expects uploads: a multipart form whose
`payload_json` part is the payload (its `attachments` list names each file by index) and
whose `files[n]` parts carry the bytes, built from `discord.File`s so that discord.py
rewinds them when it retries.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

import discord
from discord.http import Route
from discord.webhook.async_ import async_context

from bot.adapters.discord.http_answers import answers_over_http
from bot.adapters.discord.render import ATTACHMENTS, EPHEMERAL
from bot.cards.model import Attachment

CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7

STAGE = "roastbot.stage"
DEFERRED_MESSAGE = "deferred-message"
DEFERRED_UPDATE = "deferred-update"
DEFERRED_PRIVATE = "deferred-private"
ANSWERED = "answered"

Interaction = discord.Interaction[Any]
"""Any client: the adapter only needs the interaction's HTTP session and ids."""


async def defer(interaction: Interaction, *, update: bool, private: bool = False) -> None:
    """Acknowledge now and answer later: a "thinking…" message, or a silent update.

    `private` (a new message only) makes the "thinking…" message ephemeral, for an answer
    already known to be private.
    """
    if update:
        await _callback(interaction, {"type": DEFERRED_UPDATE_MESSAGE})
        interaction.extras[STAGE] = DEFERRED_UPDATE
    elif private:
        await _callback(
            interaction, {"type": DEFERRED_CHANNEL_MESSAGE, "data": {"flags": EPHEMERAL}}
        )
        interaction.extras[STAGE] = DEFERRED_PRIVATE
    else:
        await _callback(interaction, {"type": DEFERRED_CHANNEL_MESSAGE})
        interaction.extras[STAGE] = DEFERRED_MESSAGE


async def open_modal(interaction: Interaction, response: dict[str, Any]) -> None:
    """Answer with a modal (`response` is the whole type-9 callback body)."""
    await _callback(interaction, response)
    interaction.extras[STAGE] = ANSWERED


async def send(
    interaction: Interaction,
    payload: dict[str, Any],
    *,
    update: bool,
    files: Sequence[Attachment] = (),
) -> None:
    """Answer with `payload`: a new message, or (`update`) an edit of the pressed message.

    After a deferral the answer edits or follows up; a private answer to a public
    "thinking…" message replaces it with an ephemeral follow-up. `files` are uploaded with
    the answer, in the order of the payload's `attachments`.
    """
    edit = {key: value for key, value in payload.items() if key != "flags"}
    private = bool(payload.get("flags", 0) & EPHEMERAL)
    if files and STAGE not in interaction.extras and answers_over_http(interaction.id):
        await defer(interaction, update=update, private=private)
    stage = interaction.extras.get(STAGE)
    if stage is None:
        data = edit if update else payload
        await _callback(
            interaction,
            {"type": UPDATE_MESSAGE if update else CHANNEL_MESSAGE, "data": data},
            files,
        )
    elif (
        (stage == DEFERRED_UPDATE and update)
        or (stage == DEFERRED_MESSAGE and not private)
        or (stage == DEFERRED_PRIVATE and private)
    ):
        await _webhook(interaction, "PATCH", "/messages/@original", edit, files)
    else:
        if stage == DEFERRED_MESSAGE:
            await _webhook(interaction, "DELETE", "/messages/@original", None)
        await _webhook(interaction, "POST", "", payload, files)
    interaction.extras[STAGE] = ANSWERED


async def _callback(
    interaction: Interaction, body: dict[str, Any], files: Sequence[Attachment] = ()
) -> None:
    answers = answers_over_http(interaction.id)
    if answers is not None and not files:
        await answers.answer(interaction.id, body)
        return
    route = Route(
        "POST",
        "/interactions/{webhook_id}/{webhook_token}/callback",
        webhook_id=interaction.id,
        webhook_token=interaction.token,
    )
    await _request(interaction, route, body, files)


async def _webhook(
    interaction: Interaction,
    method: str,
    suffix: str,
    body: dict[str, Any] | None,
    files: Sequence[Attachment] = (),
) -> None:
    route = Route(
        method,
        "/webhooks/{webhook_id}/{webhook_token}" + suffix,
        webhook_id=interaction.application_id,
        webhook_token=interaction.token,
    )
    await _request(interaction, route, body, files)


async def _request(
    interaction: Interaction,
    route: Route,
    body: dict[str, Any] | None,
    files: Sequence[Attachment],
) -> None:
    adapter = async_context.get()
    http = interaction.client.http
    session = interaction._session
    proxy = {"proxy": http.proxy, "proxy_auth": http.proxy_auth}
    if not files:
        await adapter.request(route, session, payload=body, **proxy)
        return
    uploads = [
        (discord.File(io.BytesIO(f.content), filename=f.filename), f) for f in files[:ATTACHMENTS]
    ]
    form: list[dict[str, Any]] = [
        {"name": "payload_json", "value": json.dumps(body, separators=(",", ":"))}
    ]
    form += [
        {
            "name": f"files[{index}]",
            "value": upload.fp,
            "filename": upload.filename,
            "content_type": file.mime,
        }
        for index, (upload, file) in enumerate(uploads)
    ]
    try:
        await adapter.request(
            route, session, multipart=form, files=[upload for upload, _ in uploads], **proxy
        )
    finally:
        for upload, _ in uploads:
            upload.close()
