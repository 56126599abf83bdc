"""Installs in many workspaces: Bolt's OAuth flow, with our pages and stores.

`GET /slack/install` shows an "Add to Slack" page whose link carries the manifest's scopes
and a one-time `state` (also set as a cookie, so the redirect must come back to the same
browser). `GET /slack/oauth_redirect` checks the state, exchanges the code through
`oauth.v2.access` at `SLACK_API_URL`, stores the installation and says what to do next.
Every failure is a 4xx page saying what happened and that nothing was installed (a
database that cannot be reached is a 503), and nothing is stored.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable

from aiohttp import ClientError, web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.error import BoltError
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackClientError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.installations import STATE_SECONDS, StoreInstallations, StoreStates
from bot.adapters.slack.mrkdwn import clip
from bot.runtime.settings import Settings
from bot.store import StoreError

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# the bot scopes of deploy/slack-manifest.yml and deploy/slack-manifest.distributed.yml
BOT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "users:read",
    "im:write",
    "files:write",
    "channels:history",
    "groups:history",
    "pins:write",
)
HTML = "text/html; charset=utf-8"
SHOWN_ERROR = 80  # what of an unknown `?error=` the page quotes: anyone can send one
START_AGAIN = f'<p><a href="{INSTALL_PATH}">Start the install again</a>.</p>'
FAILURES = {
    "invalid_browser": "This install was not started in this browser, or it took too long.",
    "invalid_state": "This install link was already used, or it expired.",
    "missing_code": "Slack sent no authorization code back.",
    "invalid_code": "Slack did not accept the install (oauth.v2.access failed).",
    "storage_error": "The installation could not be saved: the database is unavailable.",
    "access_denied": "The install was cancelled in Slack.",
}


class InstallFlow(AsyncOAuthFlow):
    """Bolt's `AsyncOAuthFlow` with roastbot's pages; Slack or the database out of reach
    fails the install with a clear page instead of an error 500."""

    async def build_install_page_html(self, url: str, request: AsyncBoltRequest) -> str:
        """The "Add to Slack" page, linking to Slack's consent screen."""
        return _page(
            "Add roastbot to Slack",
            "<p>roastbot serves satirical role roasts: <code>/roast Enterprise Architect</code>"
            " in any channel, and a specimen of the day where an admin subscribes one.</p>"
            f'<p><a class="button" href="{html.escape(url)}">Add to Slack</a></p>'
            f"<p>It asks for: {html.escape(', '.join(self.settings.scopes or []))}.</p>",
        )

    async def run_installation(self, code: str) -> Installation | None:
        """`oauth.v2.access` with the code; None (a failed install) when Slack refuses or
        cannot be reached."""
        try:
            return await super().run_installation(code)
        except (TimeoutError, SlackClientError, ClientError, OSError, ValueError) as exc:
            log.warning("slack: oauth.v2.access failed (%s)", type(exc).__name__)
            return None
        except AttributeError:  # slack-sdk reading an answer that is not a JSON object
            log.warning("slack: oauth.v2.access answered with something that is not JSON")
            return None

    async def store_installation(
        self, request: AsyncBoltRequest, installation: Installation
    ) -> None:
        """Save the installation; a database error becomes Bolt's storage failure."""
        try:
            await super().store_installation(request, installation)
        except StoreError as exc:
            raise BoltError(str(exc)) from exc


def install_flow(
    settings: Settings,
    client: AsyncWebClient,
    installations: StoreInstallations,
    states: StoreStates,
) -> InstallFlow:
    """The flow for `SLACK_CLIENT_ID`/`SLACK_CLIENT_SECRET`, calling Slack through `client`.

    With `ROASTBOT_PUBLIC_URL` set, the redirect URL is named explicitly (it must be the one
    in the app's settings); otherwise Slack uses the app's only redirect URL.
    """
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None
    public = settings.public_url
    oauth_settings = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=f"{public}{REDIRECT_PATH}" if public else None,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=AsyncCallbackOptions(success=_installed, failure=_failed),
        installation_store=installations,
        state_store=states,
        state_expiration_seconds=STATE_SECONDS,
        logger=log,
    )
    return InstallFlow(client=client, logger=log, settings=oauth_settings)


def oauth_routes(flow: AsyncOAuthFlow) -> list[web.RouteDef]:
    """`GET /slack/install` and `GET /slack/oauth_redirect`, for the shared site."""

    async def install(request: web.Request) -> web.StreamResponse:
        return await _answer(request, flow.handle_installation)

    async def redirect(request: web.Request) -> web.StreamResponse:
        return await _answer(request, flow.handle_callback)

    return [web.get(INSTALL_PATH, install), web.get(REDIRECT_PATH, redirect)]


async def _answer(
    request: web.Request, handle: Callable[[AsyncBoltRequest], Awaitable[BoltResponse]]
) -> web.StreamResponse:
    bolt_request = AsyncBoltRequest(
        body="",
        query=request.query_string,
        headers={name: request.headers.getall(name) for name in request.headers},
    )
    try:
        response = await handle(bolt_request)
    except StoreError as exc:
        log.warning("slack: %s %s failed: %s", request.method, request.path, exc)
        page = _page("Try again soon", "<p>roastbot cannot reach its database just now.</p>")
        return web.Response(status=503, text=page, content_type="text/html", charset="utf-8")
    return await to_aiohttp_response(response)


async def _installed(args: AsyncSuccessArgs) -> BoltResponse:
    installation = args.installation
    team = installation.team_name or installation.team_id or installation.enterprise_name
    log.info(
        "slack: installed in %s (%s)", team, installation.team_id or installation.enterprise_id
    )
    body = (
        f"<p>roastbot is now in <strong>{html.escape(team or 'your workspace')}</strong>."
        " What to do next:</p><ol>"
        "<li>Invite it to a channel: <code>/invite @roastbot</code>.</li>"
        "<li>Roast a role there: <code>/roast Enterprise Architect</code>.</li>"
        "<li>A workspace admin can subscribe the channel to a daily specimen:"
        " <code>/specimen subscribe 09:00 Europe/Berlin</code>.</li></ol>"
        "<p>Type <code>/roasthelp</code> for everything else.</p>"
    )
    return BoltResponse(
        status=200,
        body=_page("roastbot is installed", body),
        headers={"Content-Type": HTML, "Set-Cookie": _forget_state(args.settings)},
    )


async def _failed(args: AsyncFailureArgs) -> BoltResponse:
    reason = FAILURES.get(args.reason) or (
        f"Slack answered: {clip(' '.join(args.reason.split()), SHOWN_ERROR)}."
    )
    status = args.suggested_status_code
    if args.reason == "storage_error":
        status = 503
    elif not 400 <= status < 500:
        status = 400
    log.info("slack: an install failed with %d: %s", status, args.reason)
    body = f"<p>{html.escape(reason)} Nothing was installed.</p>{START_AGAIN}"
    return BoltResponse(
        status=status,
        body=_page("roastbot was not installed", body),
        headers={"Content-Type": HTML, "Set-Cookie": _forget_state(args.settings)},
    )


def _forget_state(settings: AsyncOAuthSettings) -> str:
    return settings.state_utils.build_set_cookie_for_deletion()


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
