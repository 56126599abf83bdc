"""Posting outside commands (specimen of the day): chat.postMessage and its failures."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiohttp import web
from slack_sdk.http_retry import builtin_async_handlers
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.client import web_client
from bot.adapters.slack.poster import SlackPoster, open_poster
from bot.adapters.slack.render import message_payload
from bot.cards.model import Card, Reply
from bot.runtime.poster import DeliveryError, RateFacts
from bot.runtime.settings import SettingsError
from tests.adapters.slack.fake_slack import (
    BOT_TOKEN,
    CHANNEL,
    TEAM,
    Answer,
    Call,
    FakeSlack,
    fake,
    slack_settings,
)

__all__ = ["fake"]  # fixtures

REPLY = Reply((Card(header="Specimen of the day", title="SDET", description="<!channel>"),))


async def test_post_sends_the_rendered_message_and_returns_its_ts(
    fake: FakeSlack, tmp_path: Path
) -> None:
    """chat.postMessage gets the channel, blocks and text, no unfurls; the ts comes back."""
    poster = SlackPoster(AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url))
    assert await poster.post(TEAM, CHANNEL, REPLY) == "1764000000.000100"
    (call,) = fake.to("chat.postMessage")
    assert call.token == BOT_TOKEN
    assert call.args == {
        "channel": CHANNEL,
        **message_payload(REPLY),
        "unfurl_links": False,
        "unfurl_media": False,
    }
    assert "<!channel>" not in call.raw


def _answer(status: int, body: dict[str, object] | None) -> Answer:
    def answer(call: Call) -> web.StreamResponse:
        if body is None:
            return web.Response(
                status=status, text="<html>Bad gateway</html>", content_type="text/html"
            )
        return web.json_response(body, status=status)

    return answer


@pytest.mark.parametrize(
    ("status", "body", "permanent"),
    [
        (200, {"ok": False, "error": "channel_not_found"}, True),
        (200, {"ok": False, "error": "not_in_channel"}, True),
        (200, {"ok": False, "error": "is_archived"}, True),
        (200, {"ok": False, "error": "account_inactive"}, True),
        (200, {"ok": False, "error": "invalid_auth"}, True),
        (200, {"ok": False, "error": "token_revoked"}, True),
        (200, {"ok": False, "error": "ratelimited"}, False),
        (200, {"ok": False, "error": "internal_error"}, False),
        (200, {"ok": False, "error": "something_new"}, False),
        (500, {"ok": False, "error": "fatal_error"}, False),
        (503, {"ok": False, "error": "service_unavailable"}, False),
        (502, None, False),
    ],
)
async def test_failures_map_to_delivery_errors(
    fake: FakeSlack, status: int, body: dict[str, object] | None, permanent: bool
) -> None:
    """Channel gone, bot removed or token dead are permanent; the rest may be retried."""
    fake.answers["chat.postMessage"] = _answer(status, body)
    poster = SlackPoster(AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url))
    with pytest.raises(DeliveryError) as raised:
        await poster.post(TEAM, CHANNEL, REPLY)
    assert raised.value.permanent is permanent
    assert raised.value.reason.startswith("slack: ")


async def test_network_failure_is_not_permanent() -> None:
    """Nobody listening at the API URL: a transient failure."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = AsyncWebClient(
        token=BOT_TOKEN, base_url=f"http://127.0.0.1:{port}/api/", retry_handlers=[]
    )
    with pytest.raises(DeliveryError) as raised:
        await SlackPoster(client).post(TEAM, CHANNEL, REPLY)
    assert raised.value.permanent is False


async def test_a_429_comes_back_at_once_with_its_retry_after(
    fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No sleeping in the client: the 429 names the channel's rest time for the limiter."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(builtin_async_handlers, "asyncio", SimpleNamespace(sleep=sleep))
    fake.answers["chat.postMessage"] = lambda call: web.json_response(
        {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "3"}
    )
    settings = slack_settings(fake, tmp_path)
    with pytest.raises(DeliveryError) as raised:
        await SlackPoster(web_client(settings)).post(TEAM, CHANNEL, REPLY)
    assert raised.value.rate == RateFacts("channel", retry_after=3.0)
    assert raised.value.permanent is False
    assert len(fake.to("chat.postMessage")) == 1 and waits == []


@pytest.mark.parametrize(
    ("env", "auth_error", "message"),
    [
        ({"SLACK_BOT_TOKEN": ""}, None, "SLACK_BOT_TOKEN: not set"),
        ({}, "invalid_auth", "SLACK_BOT_TOKEN: Slack refused the token (invalid_auth)"),
    ],
)
async def test_open_poster_checks_the_token_first(
    fake: FakeSlack, tmp_path: Path, env: dict[str, str], auth_error: str | None, message: str
) -> None:
    """No token, or a refused one, is one clear line before any channel is tried."""
    if auth_error:
        fake.answers["auth.test"] = _answer(200, {"ok": False, "error": auth_error})
    with pytest.raises(SettingsError, match=re.escape(message)):
        async with open_poster(slack_settings(fake, tmp_path, **env)):
            pass
    assert fake.to("chat.postMessage") == []


async def test_open_poster_posts_with_the_bot_token(fake: FakeSlack, tmp_path: Path) -> None:
    """`open_poster` (for `roastbot post-due`) posts through SLACK_API_URL."""
    async with open_poster(slack_settings(fake, tmp_path)) as poster:
        assert poster.platform == "slack"
        assert await poster.post(TEAM, CHANNEL, REPLY) == "1764000000.000100"
    assert [call.method for call in fake.calls] == ["auth.test", "chat.postMessage"]
