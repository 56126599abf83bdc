"""Slack installs in many workspaces with the database down: a slash command's requester is
told so in one private line, with no traceback, and the same command works once it is back."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bot.adapters.slack import build_app
from bot.adapters.slack.runtime import slack_routes
from bot.catalog.lookup import Catalog
from bot.runtime.context import Context
from bot.runtime.http_site import HttpSite
from bot.runtime.lifecycle import IN_FLIGHT
from tests.adapters.slack.fake_slack import (
    LISTED,
    SECRET,
    WAIT,
    FakeSlack,
    SlackBench,
    command_payload,
    fake,
    serving,
)
from tests.adapters.slack.test_oauth import T1, event, install, many_settings
from tests.conftest import FIXED_NOW
from tests.logwatch import watching
from tests.trouble import Trouble, outage_server, trouble

__all__ = ["fake", "outage_server", "trouble"]

DOWN = "The database is unavailable, try again later. Nothing was changed."


@asynccontextmanager
async def served(
    fake: FakeSlack, catalog: Catalog, trouble: Trouble, tmp_path: Path
) -> AsyncIterator[SlackBench]:
    """The app in many workspaces over the trouble's store, installed in T1, with the error
    handler it is built with (the shared bench installs its own)."""
    context = Context(catalog=catalog, store=trouble.store, clock=lambda: FIXED_NOW)
    app = build_app(many_settings(fake, tmp_path), context=context)
    site = HttpSite("127.0.0.1", 0, ["slack"])
    site.add("slack", slack_routes(app, SECRET))
    async with serving(site.app) as url:
        slack = SlackBench(fake, url)
        await install(slack, T1)
        yield slack


def assert_one_warning(records: list[logging.LogRecord], lines: list[str], says: str) -> None:
    """The trouble is named in the log, and nothing is logged as an error or traceback."""
    assert [r for r in records if r.levelno >= logging.ERROR or r.exc_info] == []
    assert any(says in line for line in lines), lines


@pytest.mark.parametrize("trouble", ["unavailable"], indirect=True)
async def test_a_command_while_the_installations_are_out_of_reach_is_told_privately(
    fake: FakeSlack, catalog: Catalog, trouble: Trouble, tmp_path: Path
) -> None:
    """The team's token cannot be read: the command's HTTP answer is an ephemeral one-line
    message, the log one warning; after the server is back, the command is served."""
    async with served(fake, catalog, trouble, tmp_path) as slack:
        trouble.begin()
        name = slack.name()
        with watching("bot") as watch:
            status, body = await slack.post(
                urlencode(command_payload(fake, "/burnward", "list SDET", name=name, team=T1))
            )
        assert status == 200
        answer = json.loads(body)
        assert (answer["response_type"], answer["text"]) == ("ephemeral", DOWN)
        assert_one_warning(watch.records, watch.lines, trouble.says)
        trouble.clear()
        listed = await slack.command("/burnward", "list SDET", team=T1)
        assert "Burn ward: SDET" in json.dumps(listed.args)


async def test_an_uninstall_in_trouble_is_one_warning_and_changes_nothing(
    fake: FakeSlack, catalog: Catalog, trouble: Trouble, tmp_path: Path
) -> None:
    """app_uninstalled cannot be written: a warning names the trouble, no traceback, and the
    installation and subscriptions are as they were (not half forgotten)."""
    async with served(fake, catalog, trouble, tmp_path) as slack:
        await slack.command("/specimen", "subscribe 09:00 UTC", team=T1, user=LISTED)
        trouble.begin()
        with watching("bot") as watch:
            status, _ = await event(slack, T1, {"type": "app_uninstalled", "event_ts": "1.0"})
            await asyncio.wait_for(IN_FLIGHT.idle(), WAIT)
        trouble.clear()
        assert status == 200
        assert_one_warning(watch.records, watch.lines, trouble.says)
        assert await trouble.store.slack_install("", T1) is not None
        [subscription] = await trouble.store.subscriptions()
        assert subscription.paused_reason is None
