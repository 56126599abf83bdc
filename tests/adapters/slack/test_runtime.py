"""`runtime.serve`: HTTP and Socket Mode against the fake, start-up errors as one line."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import ClientConnectorError, ClientSession, web

from bot.adapters.slack.runtime import serve
from bot.runtime.context import Context
from bot.runtime.settings import SettingsError
from tests.adapters.slack.fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    SECRET,
    WAIT,
    Answer,
    FakeSlack,
    SlackBench,
    command_payload,
    expected,
    fake,
    slack_settings,
    twin,
)
from tests.logwatch import LogWatch, watching
from tests.process import free_port

__all__ = ["fake", "twin"]  # fixtures


@pytest.fixture
def start_log() -> Iterator[LogWatch]:
    """The runtime logger's records, at INFO."""
    with watching("bot.adapters.slack.runtime") as watch:
        yield watch


async def test_http_mode_serves_until_stopped(
    fake: FakeSlack, context: Context, twin: Context, tmp_path: Path, start_log: LogWatch
) -> None:
    """HTTP mode says so first, on ROASTBOT_HTTP_HOST; serves /healthz and commands, then stops."""
    port = free_port()
    settings = slack_settings(
        fake, tmp_path, ROASTBOT_HTTP_PORT=str(port), ROASTBOT_HTTP_HOST="127.0.0.2"
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(context, settings, stop))
    await asyncio.wait_for(start_log.first.wait(), WAIT)
    first = start_log.records[0].getMessage()
    assert first == (
        f"slack: HTTP mode as @roastbot in Acme (T1), listening on 127.0.0.2:{port} "
        "at POST /slack/events (and GET /healthz)"
    )
    url = f"http://127.0.0.2:{port}"
    async with ClientSession() as session, session.get(url + "/healthz") as response:
        assert response.status == 200
    answer = await SlackBench(fake, url).command("/roast", "SDET")
    assert answer.args == await expected(twin, "roast", role="SDET")
    assert context.posters["slack"].platform == "slack"

    stop.set()
    await asyncio.wait_for(task, WAIT)
    assert "slack" not in context.posters
    with pytest.raises(ClientConnectorError):
        async with ClientSession() as session, session.get(url + "/healthz"):
            pass
    logged = " ".join(record.getMessage() for record in start_log.records)
    assert BOT_TOKEN not in logged and SECRET not in logged


async def test_every_call_and_answer_shares_one_connection(
    fake: FakeSlack, context: Context, tmp_path: Path, start_log: LogWatch
) -> None:
    """auth.test, users.info and the answers to `response_url` all reuse one kept-alive
    connection: the client has one session, not one per call."""
    port = free_port()
    settings = slack_settings(fake, tmp_path, ROASTBOT_HTTP_PORT=str(port))
    stop = asyncio.Event()
    task = asyncio.create_task(serve(context, settings, stop))
    await asyncio.wait_for(start_log.first.wait(), WAIT)
    bench = SlackBench(fake, f"http://127.0.0.1:{port}")
    for command, text in (("/roast", "SDET"), ("/burnward", "list"), ("/roasthelp", "")):
        await bench.command(command, text)
    stop.set()
    await asyncio.wait_for(task, WAIT)
    assert [call.method for call in fake.calls] == [
        "auth.test",  # the start-up line's "as whom"
        "auth.test",  # Bolt's, on the first request
        "response",
        "users.info",
        "response",
        "response",
    ]
    assert len({call.peer for call in fake.calls}) == 1


async def test_socket_mode_smoke(
    fake: FakeSlack, context: Context, twin: Context, tmp_path: Path, start_log: LogWatch
) -> None:
    """apps.connections.open, hello, a slash-command envelope: acked on the socket, answered."""
    payload = command_payload(fake, "/roast", "SDET", name="socket")
    fake.envelopes.append(
        {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": payload,
        }
    )
    settings = slack_settings(fake, tmp_path, SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="")
    stop = asyncio.Event()
    task = asyncio.create_task(serve(context, settings, stop))
    acks = await fake.wait_for("socket")
    assert acks[0].args == {"envelope_id": "env-1"}
    await fake.wait_until(lambda: any(c.path == "socket" for c in fake.to("response")))
    (answer,) = fake.to("response")
    assert answer.args == await expected(twin, "roast", role="SDET")
    assert fake.to("apps.connections.open")[0].token == APP_TOKEN
    assert start_log.records[0].getMessage() == (
        "slack: Socket Mode as @roastbot in Acme (T1) (SLACK_APP_TOKEN set, no public URL needed)"
    )
    assert "slack" in context.posters
    stop.set()
    await asyncio.wait_for(task, WAIT)
    assert "slack" not in context.posters


def _refuse(error: str) -> Answer:
    return lambda call: web.json_response({"ok": False, "error": error})


@pytest.mark.parametrize(
    ("env", "refused", "message"),
    [
        ({"SLACK_BOT_TOKEN": ""}, {}, "SLACK_BOT_TOKEN: not set"),
        (
            {},
            {"auth.test": "invalid_auth"},
            "SLACK_BOT_TOKEN: Slack refused the token (invalid_auth)",
        ),
        ({"SLACK_SIGNING_SECRET": ""}, {}, "SLACK_SIGNING_SECRET: not set"),
        ({"SLACK_APP_TOKEN": "xoxb-not-an-app-token"}, {}, "SLACK_APP_TOKEN: must be"),
        (
            {"SLACK_APP_TOKEN": APP_TOKEN},
            {"apps.connections.open": "invalid_auth"},
            "SLACK_APP_TOKEN: Slack refused it (invalid_auth)",
        ),
    ],
)
async def test_bad_tokens_are_one_clear_line(
    fake: FakeSlack,
    context: Context,
    tmp_path: Path,
    env: dict[str, str],
    refused: dict[str, str],
    message: str,
) -> None:
    """A missing or refused token raises SettingsError naming it, without the secret."""
    for method, error in refused.items():
        fake.answers[method] = _refuse(error)
    settings = slack_settings(fake, tmp_path, **env)
    with pytest.raises(SettingsError) as raised:
        await asyncio.wait_for(serve(context, settings, asyncio.Event()), WAIT)
    assert str(raised.value).startswith(message)
    assert BOT_TOKEN not in str(raised.value) and APP_TOKEN not in str(raised.value)


async def test_a_busy_port_is_one_clear_line(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """HTTP mode on a port already taken names ROASTBOT_HTTP_PORT."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = slack_settings(fake, tmp_path, ROASTBOT_HTTP_PORT=str(port))
        with pytest.raises(SettingsError, match="ROASTBOT_HTTP_PORT: cannot listen on"):
            await serve(context, settings, asyncio.Event())
