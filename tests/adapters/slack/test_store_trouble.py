"""Slack installs in many workspaces with the database down: a slash command's requester is
told so in one private line, with no traceback, and the same command works once it is back."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bot.adapters.slack import build_app
from bot.adapters.slack.runtime import slack_routes
from bot.catalog.lookup import Catalog
from bot.runtime.context import Context
from bot.runtime.http_site import HttpSite
from tests.adapters.slack.fake_slack import (
    SECRET,
    FakeSlack,
    SlackBench,
    command_payload,
    fake,
    serving,
)
from tests.adapters.slack.test_oauth import T1, install, many_settings
from tests.conftest import FIXED_NOW
from tests.logwatch import watching
from tests.trouble import Trouble, outage_server, trouble

__all__ = ["fake", "outage_server", "trouble"]

DOWN = "The database is unavailable, try again later. Nothing was changed."


@pytest.mark.parametrize("trouble", ["unavailable"], indirect=True)
async def test_a_command_while_the_installations_are_out_of_reach_is_told_privately(
    fake: FakeSlack, catalog: Catalog, trouble: Trouble, tmp_path: Path
) -> None:
    """The team's token cannot be read: the command's HTTP answer is an ephemeral one-line
    message, the log one warning; after the server is back, the command is served."""
    context = Context(catalog=catalog, store=trouble.store, clock=lambda: FIXED_NOW)
    app = build_app(many_settings(fake, tmp_path), context=context)
    site = HttpSite("127.0.0.1", 0, ["slack"])
    site.add("slack", slack_routes(app, SECRET))
    async with serving(site.app) as url:
        slack = SlackBench(fake, url)
        await install(slack, T1)
        trouble.begin()
        name = slack.name()
        with watching("bot") as watch:
            status, body = await slack.post(
                urlencode(command_payload(fake, "/burnward", "list SDET", name=name, team=T1))
            )
        assert status == 200
        answer = json.loads(body)
        assert (answer["response_type"], answer["text"]) == ("ephemeral", DOWN)
        assert [r for r in watch.records if r.levelno >= logging.ERROR or r.exc_info] == []
        assert any(trouble.says in line for line in watch.lines), watch.lines
        trouble.clear()
        listed = await slack.command("/burnward", "list SDET", team=T1)
        assert "Burn ward: SDET" in json.dumps(listed.args)
