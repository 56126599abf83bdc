"""Who is an admin on Slack: listed ids, workspace admins and owners, cached five minutes."""

from __future__ import annotations

import pytest
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.admins import CACHE_SECONDS, AdminDirectory
from tests.adapters.slack.fake_slack import ADMIN, BOT_TOKEN, TEAM, USER, FakeSlack, fake

__all__ = ["fake"]  # fixtures


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)


@pytest.mark.parametrize(
    ("user", "profile", "admin"),
    [
        ("UA", {"is_admin": True}, True),
        ("UO", {"is_owner": True}, True),
        ("UP", {"is_primary_owner": True}, True),
        ("UM", {"is_admin": False, "is_owner": False}, False),
        ("UG", {"is_restricted": True}, False),
    ],
)
async def test_admins_and_owners_are_admins(
    fake: FakeSlack, user: str, profile: dict[str, bool], admin: bool
) -> None:
    """users.info decides: admins and owners yes, members and guests no."""
    fake.users[user] = {"id": user, **profile}
    assert await AdminDirectory().is_admin(_client(fake), TEAM, user) is admin
    assert fake.to("users.info")[0].args == {"user": user}


async def test_listed_users_are_admins_without_a_lookup(fake: FakeSlack) -> None:
    """ROASTBOT_SLACK_ADMINS ids need no users.info call."""
    directory = AdminDirectory({"ULISTED"})
    assert await directory.is_admin(_client(fake), TEAM, "ULISTED")
    assert fake.calls == []


async def test_answers_are_cached_for_five_minutes(fake: FakeSlack) -> None:
    """A second question within five minutes is answered from the cache; later, asked again."""
    clock = Clock()
    directory = AdminDirectory(clock=clock)
    client = _client(fake)
    assert await directory.is_admin(client, TEAM, ADMIN)
    clock.now += CACHE_SECONDS - 1
    assert await directory.is_admin(client, TEAM, ADMIN)
    assert len(fake.to("users.info")) == 1
    clock.now += 2
    fake.users[ADMIN]["is_admin"] = False
    assert not await directory.is_admin(client, TEAM, ADMIN)
    assert len(fake.to("users.info")) == 2


async def test_the_cache_is_per_workspace(fake: FakeSlack) -> None:
    """The same user id in another workspace is looked up on its own."""
    directory = AdminDirectory()
    client = _client(fake)
    await directory.is_admin(client, TEAM, USER)
    await directory.is_admin(client, "T2", USER)
    assert len(fake.to("users.info")) == 2


async def test_a_failed_lookup_is_not_an_admin_and_not_cached(fake: FakeSlack) -> None:
    """Missing scope or an outage: refuse for now, and ask again next time."""
    fake.answers["users.info"] = lambda call: web.json_response(
        {"ok": False, "error": "missing_scope"}
    )
    directory = AdminDirectory()
    client = _client(fake)
    assert not await directory.is_admin(client, TEAM, ADMIN)
    del fake.answers["users.info"]
    assert await directory.is_admin(client, TEAM, ADMIN)
    assert len(fake.to("users.info")) == 2


async def test_a_lookup_answered_with_a_non_json_error_is_not_an_admin(
    fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """HTTP 500 with a text body: not an admin, one warning naming the status, asked again."""
    fake.answers["users.info"] = lambda call: web.Response(status=500, text="upstream down")
    directory = AdminDirectory()
    client = _client(fake)
    assert not await directory.is_admin(client, TEAM, ADMIN)
    assert [r.getMessage() for r in caplog.records if r.name == "bot.adapters.slack.admins"] == [
        f"slack: users.info failed for {ADMIN} (HTTP 500); not an admin for now"
    ]
    del fake.answers["users.info"]
    assert await directory.is_admin(client, TEAM, ADMIN)
