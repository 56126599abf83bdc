"""A reply's files on Slack: uploaded into a direct message with the caller, never a channel.

Slack cannot attach a file to an ephemeral message, and a file shared in the channel is
public. So the files go to the caller's DM with the bot (`conversations.open`, scope
`im:write`) through slack-sdk's `files_upload_v2` (`files.getUploadURLExternal`, the
upload itself, `files.completeUploadExternal`; scope `files:write`), with the reply's text
as the comment, and the channel answer says where they went.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.render import fallback_text
from bot.cards.model import Card, Reply, Tone

log = logging.getLogger(__name__)

SENT = "Sent you the export in a direct message."
NOT_SENT = "Could not send you the file ({error}). Nothing was shared."
MISSING_SCOPE = (
    "Could not send you the file: the Slack app lacks the {needed} scope. Reinstall it"
    " with the scopes of deploy/slack-manifest.yml (im:write and files:write)."
)


async def send_files(client: AsyncWebClient, user_id: str, reply: Reply) -> Reply:
    """Upload the reply's files to `user_id`'s DM; what to answer in the channel instead.

    The answer is the reply without its files plus a note that they were sent, or, when
    Slack refused, a private error saying why (nothing then reached any channel).
    """
    try:
        opened = await client.conversations_open(users=user_id)
        channel = str(_data(opened)["channel"]["id"])
        await client.files_upload_v2(
            file_uploads=[
                {"file": file.content, "filename": file.filename, "title": file.filename}
                for file in reply.attachments
            ],
            channel=channel,
            initial_comment=fallback_text(reply),
        )
    except SlackApiError as exc:
        data = _data(exc.response)
        error = str(data.get("error") or f"HTTP {exc.response.status_code}")
        log.warning("slack: could not send a file to a DM (%s)", error)
        if error == "missing_scope":
            return Reply.error(MISSING_SCOPE.format(needed=data.get("needed") or "needed"))
        return Reply.error(NOT_SENT.format(error=error))
    except SlackClientError as exc:
        log.warning("slack: could not upload a file (%s)", exc)
        return Reply.error(NOT_SENT.format(error="the upload failed"))
    sent = Card(description=SENT, tone=Tone.SUCCESS)
    return replace(reply, cards=(*reply.cards, sent), attachments=())


def _data(response: Any) -> dict[str, Any]:
    data = getattr(response, "data", None)
    return data if isinstance(data, dict) else {}
