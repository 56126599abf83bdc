"""Both Slack app manifests against Slack's manifest schema, and against each other.

`manifest.schema.1.0.0.json` beside this file is Slack's published JSON Schema for app
manifests (`_metadata.major_version: 1`), copied from the project's shared/slack folder.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from bot.adapters.slack.listeners import COMMANDS
from bot.adapters.slack.oauth import BOT_SCOPES, REDIRECT_PATH
from bot.adapters.slack.runtime import EVENTS_PATH

DEPLOY = Path(__file__).parents[3] / "deploy"
SHIPPED = DEPLOY / "slack-manifest.yml"
DISTRIBUTED = DEPLOY / "slack-manifest.distributed.yml"
SCHEMA = json.loads(Path(__file__).with_name("manifest.schema.1.0.0.json").read_text())
HOST = "https://roastbot.example.com"


def _load(path: Path) -> dict[str, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _problems(manifest: dict[str, Any]) -> list[str]:
    validator = Draft7Validator(SCHEMA)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(manifest)]


@pytest.mark.parametrize("path", [SHIPPED, DISTRIBUTED], ids=lambda p: p.name)
def test_each_manifest_is_valid_for_slacks_schema(path: Path) -> None:
    """Slack would accept the file as pasted: no unknown key, no wrong type."""
    assert _problems(_load(path)) == []


def test_the_schema_check_catches_a_mistake() -> None:
    """A misspelt setting and a non-URL redirect are reported, so the check above can fail."""
    broken = copy.deepcopy(_load(DISTRIBUTED))
    broken["settings"]["socket_mode_enable"] = False
    broken["settings"]["event_subscriptions"]["request_url"] = "roastbot.example.com/slack/events"
    assert len(_problems(broken)) == 2


def test_the_distributed_manifest_has_the_same_features_and_scopes() -> None:
    """The same commands (with a request URL each), shortcuts, Home tab and scopes as
    deploy/slack-manifest.yml."""
    shipped, distributed = _load(SHIPPED), _load(DISTRIBUTED)
    commands = distributed["features"]["slash_commands"]
    assert [c["command"] for c in commands] == list(COMMANDS)
    assert [{k: v for k, v in c.items() if k != "url"} for c in commands] == shipped["features"][
        "slash_commands"
    ]
    assert {c["url"] for c in commands} == {HOST + EVENTS_PATH}
    for feature in ("shortcuts", "app_home", "bot_user"):
        assert distributed["features"][feature] == shipped["features"][feature], feature
    assert set(distributed["features"]) == set(shipped["features"])
    shipped_events = shipped["settings"]["event_subscriptions"]["bot_events"]
    assert set(shipped_events) <= set(distributed["settings"]["event_subscriptions"]["bot_events"])
    assert distributed["oauth_config"]["scopes"] == shipped["oauth_config"]["scopes"]
    assert tuple(distributed["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES


def test_the_distributed_manifest_installs_over_http_with_the_events_roastbot_handles() -> None:
    """The redirect URL, events at POST /slack/events incl. uninstall, and no Socket Mode."""
    distributed = _load(DISTRIBUTED)
    settings = distributed["settings"]
    assert distributed["oauth_config"]["redirect_urls"] == [HOST + REDIRECT_PATH]
    assert settings["event_subscriptions"]["request_url"] == HOST + EVENTS_PATH
    assert settings["event_subscriptions"]["bot_events"] == [
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
    ]
    assert distributed["features"]["app_home"]["home_tab_enabled"] is True
    assert settings["interactivity"]["request_url"] == HOST + EVENTS_PATH
    assert settings["interactivity"]["message_menu_options_url"] == HOST + EVENTS_PATH
    assert settings["socket_mode_enabled"] is False
    assert settings["org_deploy_enabled"] is False
