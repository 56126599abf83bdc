"""A reply's files on Slack: a private reply's into a DM with the caller, a public one's here.

Slack cannot attach a file to an ephemeral message, and a file shared in the channel is
public. So a private reply's files (an export) go to the caller's DM with the bot (`conversations.open`, scope
`im:write`) through slack-sdk's `files_upload_v2` (`files.getUploadURLExternal`, the
upload itself, `files.completeUploadExternal`; scope `files:write`), with the reply's text
as the comment, and the channel answer says where they went. A public reply's files (the
file-record picture of `/roast <role> image`) are shared into the channel it was asked in
(scope `files:write`, the bot a member of the channel).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.render import comment_text
from bot.cards.model import Card, Reply, Tone

log = logging.getLogger(__name__)

SENT = "Sent you the export in a direct message."
NOT_SENT = "Could not send you the file ({error}). Nothing was shared."
NOT_SHARED = (
    "Could not share the picture here: invite the bot to this channel (/invite), then ask again."
)
NOT_IN_CHANNEL = {"not_in_channel", "channel_not_found"}
MISSING_SCOPE = (
    "Could not send you the file: the Slack app lacks the {needed} scope. Reinstall it"
    " with the scopes of deploy/slack-manifest.yml (im:write and files:write)."
)


async def send_files(
    client: AsyncWebClient, user_id: str, reply: Reply, channel_id: str = ""
) -> Reply | None:
    """Upload the reply's files; what to answer in the channel instead, None for nothing more.

    A private reply's files go to `user_id`'s DM and the answer is the reply without its
    files plus a note that they were sent. A public reply's files (a file-record picture)
    go into `channel_id` itself, with the reply's text as their comment, and nothing more is
    answered. When Slack refuses, the answer is a private error saying why.
    """
    try:
        if reply.private or not channel_id:
            opened = await client.conversations_open(users=user_id)
            channel = str(_data(opened)["channel"]["id"])
        else:
            channel = channel_id
        await client.files_upload_v2(
            file_uploads=[
                {"file": file.content, "filename": file.filename, "title": file.filename}
                for file in reply.attachments
            ],
            channel=channel,
            initial_comment=comment_text(reply),
        )
    except SlackApiError as exc:
        data = _data(exc.response)
        error = str(data.get("error") or f"HTTP {exc.response.status_code}")
        log.warning("slack: could not upload a file (%s)", error)
        if not reply.private and channel_id and error in NOT_IN_CHANNEL:
            return Reply.error(NOT_SHARED)
        if error == "missing_scope":
            return Reply.error(MISSING_SCOPE.format(needed=data.get("needed") or "needed"))
        return Reply.error(NOT_SENT.format(error=error))
    except SlackClientError as exc:
        log.warning("slack: could not upload a file (%s)", exc)
        return Reply.error(NOT_SENT.format(error="the upload failed"))
    if not reply.private and channel_id:
        return None
    sent = Card(description=SENT, tone=Tone.SUCCESS)
    return replace(reply, cards=(*reply.cards, sent), attachments=())


def _data(response: Any) -> dict[str, Any]:
    data = getattr(response, "data", None)
    return data if isinstance(data, dict) else {}
