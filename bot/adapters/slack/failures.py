"""Bolt's error handler: what a request that fails before any listener runs gets.

Installed in many workspaces, Bolt authorizes each request by reading its team's installation
from the store, before any listener (and so before `dispatch`) runs. A database in trouble
there is one warning line, and a slash command's requester gets the private one-line answer
every command gives for it, as the command's HTTP answer. Other requests get a 503 (Slack
retries an event). Any other error is logged with its traceback, as Bolt's own handler does.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.response import BoltResponse

from bot.adapters.slack.render import message_payload
from bot.commands.registry import store_trouble
from bot.store import StoreError

log = logging.getLogger(__name__)

JSON = "application/json;charset=utf-8"


async def on_error(
    error: Exception, body: dict[str, Any], response: BoltResponse | None
) -> BoltResponse | None:
    """The answer to a request that raised `error` outside our listeners' own handling;
    None when it was answered already (an event is acknowledged before its listener runs)."""
    if not isinstance(error, StoreError):
        log.error("slack: a request failed (error: %s)", error, exc_info=error)
        return None
    what = body.get("command") or (body.get("event") or {}).get("type") or body.get("type")
    log.warning("slack: %s was not served: %s", what or "a request", error)
    if response is None:
        return None
    if "command" not in body:
        return BoltResponse(status=503, body="")
    answer = {"response_type": "ephemeral", **message_payload(store_trouble(error))}
    return BoltResponse(status=200, body=json.dumps(answer), headers={"content-type": JSON})
