"""Single-workspace mode serves the token's own workspace only.

`SLACK_BOT_TOKEN` belongs to one workspace, the team `auth.test` names (Bolt calls it once,
on the first request, and keeps the answer). A signed request from any other team (the app
installed elsewhere, a Slack Connect channel) is refused with a 403 and one log line: never
served, never stored under that other workspace.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncBoltContext
from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)

REFUSED = "this roastbot serves another Slack workspace"


async def own_team_only(
    context: AsyncBoltContext, next: Callable[[], Awaitable[BoltResponse]]
) -> BoltResponse:
    """Bolt middleware (after authorization): pass the token's team, refuse any other."""
    authorized = context.authorize_result
    if authorized is None or authorized.team_id is None or context.team_id == authorized.team_id:
        return await next()
    log.info(
        "slack: refused a request from team %s: SLACK_BOT_TOKEN serves %s only",
        context.team_id or context.enterprise_id or "(none)",
        authorized.team_id,
    )
    return BoltResponse(status=403, body={"error": REFUSED})
