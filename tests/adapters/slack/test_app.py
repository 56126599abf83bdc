"""`build_app`: settings from the environment, the Web API client, the lazily made context."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler

from bot.adapters.slack import build_app, contexts
from bot.adapters.slack.listeners import COMMANDS
from bot.adapters.slack.oauth import BOT_SCOPES
from bot.runtime.context import Context
from bot.runtime.settings import Settings, SettingsError
from bot.runtime.startup import create_context
from tests.adapters.slack.fake_slack import (
    BOT_TOKEN,
    SECRET,
    FakeSlack,
    bench,
    fake,
    slack_settings,
)

__all__ = ["fake"]  # fixtures

MANIFEST = Path(__file__).parents[3] / "deploy" / "slack-manifest.yml"


def test_client_uses_the_api_url_and_retries_rate_limits(fake: FakeSlack, tmp_path: Path) -> None:
    """The app's AsyncWebClient talks to SLACK_API_URL and carries the 429 retry handler."""
    app = build_app(slack_settings(fake, tmp_path, SLACK_API_URL=fake.api_url.rstrip("/")))
    assert isinstance(app, AsyncApp)
    assert app.client.base_url == fake.api_url
    assert app.client.token == BOT_TOKEN
    assert any(isinstance(h, AsyncRateLimitErrorRetryHandler) for h in app.client.retry_handlers)


def test_settings_default_to_the_environment(
    fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`build_app()` reads settings as `roastbot run` does."""
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
    }.items():
        monkeypatch.setenv(name, value)
    assert build_app().client.base_url == fake.api_url


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN: not set"),
        ({"SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET: not set"),
    ],
)
def test_missing_settings_name_the_variable(
    fake: FakeSlack, tmp_path: Path, env: dict[str, str], message: str
) -> None:
    """No bot token, or no signing secret outside Socket Mode: SettingsError naming it."""
    with pytest.raises(SettingsError, match=message):
        build_app(slack_settings(fake, tmp_path, **env))


def test_socket_mode_needs_no_signing_secret(fake: FakeSlack, tmp_path: Path) -> None:
    """With SLACK_APP_TOKEN set the app builds without SLACK_SIGNING_SECRET."""
    settings = slack_settings(
        fake, tmp_path, SLACK_APP_TOKEN="xapp-test-token", SLACK_SIGNING_SECRET=""
    )
    assert isinstance(build_app(settings), AsyncApp)


async def test_context_is_created_on_first_use(
    fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no context given, the first request creates one from the settings."""
    created: list[Context] = []

    async def create(settings: Settings) -> Context:
        created.append(await create_context(settings))
        return created[-1]

    monkeypatch.setattr(contexts, "create_context", create)
    app = build_app(slack_settings(fake, tmp_path))
    assert created == []
    try:
        async with bench(fake, app) as slack:
            first = await slack.command("/roast", "SDET")
            await slack.command("/roast", "SDET")
        assert first.args["blocks"][0]["text"]["text"] == "SDET"
        assert len(created) == 1
        assert slack.errors == []
    finally:
        for context in created:
            await context.store.close()


def test_manifest_declares_every_command_and_scope() -> None:
    """deploy/slack-manifest.yml matches the listeners, with the scopes OAuth asks for and Socket Mode."""
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == list(COMMANDS)
    escaped = {c["command"]: c["should_escape"] for c in manifest["features"]["slash_commands"]}
    # only /specimen is escaped: its `ping:@group` must arrive as the group's id
    assert escaped == {command: command == "/specimen" for command in COMMANDS}
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
