"""The door of Slack HTTP mode: only signed, fresh UTF-8 forms or JSON objects reach Bolt.

Slack sends slash commands, interactivity and menu options as
`application/x-www-form-urlencoded`, and Events API callbacks (`app_uninstalled`,
`tokens_revoked`, the URL check) as an `application/json` object, all signed with the app's
signing secret. Anything else is a stranger's junk: it gets a 401 (unsigned, stale, or a
timestamp that is not a number) or a 400 (a body that is not UTF-8, JSON that is not an
object, a form whose `payload` is not one, fields of another type than Slack sends (see
`shape`), or signed but neither) and one INFO line that leaves its body out, before Bolt
parses a byte of it. Bolt checks the signature again, for apps embedded without this
door.
"""

from __future__ import annotations

import logging
import re

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack.shape import misshapen

log = logging.getLogger(__name__)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
TIMESTAMP = re.compile(r"[0-9]{1,12}")
UNREADABLE = (KeyError, IndexError, TypeError, AttributeError, ValueError, RecursionError)
"""What Bolt raises while it reads a body of another shape than Slack's."""


class Refused(Exception):
    """A request that does not get in: the status to answer and a one-line reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Gate:
    """Screens `POST /slack/events` for `app`, whose signing secret it is given."""

    def __init__(self, app: AsyncApp, signing_secret: str) -> None:
        self._app = app
        self._verifier = SignatureVerifier(signing_secret)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Refuse junk with a 4xx and one log line; hand the rest to Bolt and answer as it does."""
        try:
            bolt_request = self._admit(request, await request.read())
        except Refused as refused:
            log.info(
                "slack: refused %s %s from %s with %d: %s",
                request.method,
                request.path,
                request.remote,
                refused.status,
                refused.reason,
            )
            return web.json_response({"error": refused.reason}, status=refused.status)
        return await to_aiohttp_response(await self._app.async_dispatch(bolt_request))

    def _admit(self, request: web.Request, raw: bytes) -> AsyncBoltRequest:
        """The request as Bolt reads it, or `Refused` saying why it does not get in."""
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not TIMESTAMP.fullmatch(timestamp):
            raise Refused(401, "X-Slack-Request-Timestamp is not a Unix time in seconds")
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(400, "the body is not UTF-8") from None
        if not self._verifier.is_valid(body, timestamp, request.headers.get("X-Slack-Signature")):
            raise Refused(401, "invalid or stale signature")
        if request.content_type not in (JSON, FORM):
            raise Refused(400, f"expected {FORM} or {JSON}, not {request.content_type[:60]!r}")
        wrong = misshapen(body, is_json=request.content_type == JSON)
        if wrong is not None:
            raise Refused(400, wrong)
        try:
            return AsyncBoltRequest(
                body=body,
                query=request.query_string,
                headers={name: request.headers.getall(name) for name in request.headers},
            )
        except UNREADABLE as exc:  # what `shape` does not check, Bolt may still choke on
            raise Refused(400, f"Bolt cannot read the body ({type(exc).__name__})") from None
