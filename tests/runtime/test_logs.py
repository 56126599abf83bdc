"""Logs: readable or JSON lines, the level from the environment, and never a secret."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import sys
import threading
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.commands import registry
from bot.runtime import logs
from bot.runtime.context import Context
from bot.runtime.settings import Settings
from tests.conftest import invocation
from tests.process import WAIT, bot_env, free_port, roastbot

SECRETS = {
    "DISCORD_TOKEN": "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GhIjKl.discord-secret-token-value",
    "SLACK_BOT_TOKEN": "xoxb-1111-2222-slack-secret-bot-token",
    "SLACK_APP_TOKEN": "xapp-1-A111-3333-slack-secret-app-token",
    "SLACK_SIGNING_SECRET": "8f14e45fceea167a5a36dedd4bea2543",
}


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put back the root logger and the exception hooks that `logs.configure` replaces."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = (sys.excepthook, threading.excepthook)
    logging.captureWarnings(False)  # forget a capture made by an earlier in-process `main()`
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks
    logging.captureWarnings(False)


def _configured(fmt: str, stream: io.StringIO) -> None:
    settings = Settings(_env_file=None, **SECRETS, ROASTBOT_LOG_FORMAT=fmt)
    logs.configure(settings, stream)


def _leaks(text: str) -> list[str]:
    return [name for name, value in SECRETS.items() if value in text]


async def _boom(context: Context, inv: object) -> object:
    raise RuntimeError(f"refused {SECRETS['SLACK_BOT_TOKEN']}") from ValueError(
        SECRETS["DISCORD_TOKEN"]
    )


@pytest.mark.parametrize("fmt", ["text", "json"])
async def test_no_secret_survives_any_way_into_a_log_line(
    fmt: str, context: Context, monkeypatch: pytest.MonkeyPatch, restore_logging: None
) -> None:
    """Messages, arguments, tracebacks with causes, stacks, warnings and thread crashes."""
    stream = io.StringIO()
    _configured(fmt, stream)
    monkeypatch.setitem(registry.COMMANDS, "boom", _boom)
    reply = await registry.dispatch(context, invocation("boom"))
    assert "Something went wrong" in reply.cards[0].description
    log = logging.getLogger("some.library")
    log.info("token is %s, secret is %r", SECRETS["DISCORD_TOKEN"], SECRETS["SLACK_SIGNING_SECRET"])
    log.warning(f"app token {SECRETS['SLACK_APP_TOKEN']}", stack_info=True)
    log.info("bad format %d", SECRETS["SLACK_BOT_TOKEN"])
    # what `warnings.warn` calls once logging captures warnings (pytest records them itself)
    warnings.showwarning(f"deprecated: {SECRETS['SLACK_BOT_TOKEN']}", UserWarning, __file__, 1)
    crash = threading.Thread(target=_raise_secret, name="worker")
    crash.start()
    crash.join()

    output = stream.getvalue()
    assert _leaks(output) == []
    assert output.count(logs.REDACTED) >= 8
    assert "RuntimeError: refused [redacted]" in output and "ValueError: [redacted]" in output
    if fmt == "json":
        records = [json.loads(line) for line in output.splitlines()]
        assert {r["logger"] for r in records} >= {"bot.commands.registry", "some.library"}
        assert {r["level"] for r in records} >= {"ERROR", "INFO", "WARNING", "CRITICAL"}
        assert "py.warnings" in {r["logger"] for r in records}
        assert any("exception" in r for r in records) and any("stack" in r for r in records)


def _raise_secret() -> None:
    raise OSError(SECRETS["SLACK_SIGNING_SECRET"])


def test_json_lines_and_the_level_come_from_the_environment(tmp_path: Path) -> None:
    """ROASTBOT_LOG_FORMAT=json gives one JSON object a line; WARNING hides the start-up."""
    json_run = roastbot("run", "console", cwd=tmp_path, env={"ROASTBOT_LOG_FORMAT": "JSON"})
    assert json_run.returncode == 0, json_run.stderr
    records = [json.loads(line) for line in json_run.stderr.splitlines()]
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert any(r["message"].startswith("console: serving") for r in records)
    quiet = roastbot("run", "console", cwd=tmp_path, env={"ROASTBOT_LOG_LEVEL": "warning"})
    assert quiet.returncode == 0 and quiet.stderr == ""
    text = roastbot("run", "console", cwd=tmp_path)
    assert " INFO bot.cli.run: console: serving" in text.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ROASTBOT_LOG_FORMAT": "xml"}, "ROASTBOT_LOG_FORMAT: Input should be 'text' or 'json'"),
        ({"ROASTBOT_LOG_LEVEL": "LOUD"}, "ROASTBOT_LOG_LEVEL: Input should be 'DEBUG'"),
    ],
)
def test_a_bad_log_setting_is_one_line(tmp_path: Path, env: dict[str, str], message: str) -> None:
    """A malformed log setting stops the bot with one line naming it."""
    result = roastbot("run", "console", cwd=tmp_path, env=env)
    assert result.returncode == 1 and result.stderr.startswith(f"roastbot: {message}")


async def _echo(request: web.Request) -> web.Response:
    """A misbehaving API: refuses the token and echoes the request's credentials back."""
    seen = {"authorization": request.headers.get("Authorization", ""), "body": await request.text()}
    if request.path.startswith("/slack/"):
        return web.json_response({"ok": False, "error": "invalid_auth", "echo": seen})
    return web.json_response({"message": "401: Unauthorized", "code": 0, "echo": seen}, status=401)


@pytest.fixture
async def echo_api() -> AsyncIterator[tuple[str, list[str]]]:
    """A fake Discord and Slack API on 127.0.0.1 that logs every credential it receives."""
    received: list[str] = []

    async def handle(request: web.Request) -> web.Response:
        received.append(request.headers.get("Authorization", "") + await request.text())
        return await _echo(request)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}", received
    await runner.cleanup()


async def test_a_real_run_at_debug_level_logs_no_secret(
    tmp_path: Path, echo_api: tuple[str, list[str]]
) -> None:
    """discord.py and slack-sdk debug output, with an API echoing tokens back: all redacted."""
    base, received = echo_api
    env = bot_env(tmp_path) | SECRETS
    env |= {"ROASTBOT_LOG_LEVEL": "DEBUG", "SLACK_API_URL": f"{base}/slack/"}
    env |= {"DISCORD_API_URL": f"{base}/discord", "SLACK_APP_TOKEN": ""}  # Slack over HTTP
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), WAIT)
    output = out.decode() + err.decode()

    assert process.returncode == 1, output
    assert any(SECRETS["SLACK_BOT_TOKEN"] in r for r in received)  # the tokens were used
    assert any(SECRETS["DISCORD_TOKEN"] in r for r in received)
    assert "refused the token" in err.decode().splitlines()[-1]
    assert _leaks(output) == []
    assert logs.REDACTED in output  # slack-sdk logged the echoed response, redacted


@pytest.mark.parametrize(
    "token",
    [
        "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
        "xoxe-1-My0xLTE3NjUzNjcyNDgxLTE5ODc0Njk4MzIz",
        "xoxe.xoxb-1-MS0yLTIyMTA3NjA3NTM0MDg3",
    ],
)
def test_a_slack_token_not_in_the_settings_is_redacted_too(
    token: str, restore_logging: None
) -> None:
    """An installed workspace's token (from the database) never reaches a log line either."""
    stream = io.StringIO()
    _configured("text", stream)
    logging.getLogger("slack_sdk.web.async_base_client").warning(
        "Received the following response - body: {'access_token': '%s'}", token
    )
    output = stream.getvalue()
    assert token not in output and "{'access_token': '[redacted]'}" in output


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_text_in_a_message_cannot_forge_a_log_line(fmt: str, restore_logging: None) -> None:
    """Line breaks, escapes, bidi overrides and a lone surrogate in a message stay on its line."""
    stream = io.StringIO()
    _configured(fmt, stream)
    forged = "x\r\n2026-11-30 09:00:00,000 CRITICAL bot: forged\u2028\x1b[2J\u202e\ud800"
    logging.getLogger("some.library").warning("install failed: %s", forged)
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("some.library").exception("a failure")
    first, *rest = stream.getvalue().splitlines()
    assert "install failed: x" in first and "forged" in first
    assert not any(ch in stream.getvalue() for ch in "\r\x1b\u2028\u202e\ud800")
    assert rest[0].endswith("a failure") if fmt == "text" else len(rest) == 1
