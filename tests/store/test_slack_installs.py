"""Slack installations and OAuth states in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.store import Place, SlackInstall, SqlStore
from tests.conftest import seed_quotes

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
INSTALL = SlackInstall(
    enterprise_id="",
    team_id="T1",
    bot_token="sealed-1",
    installed_at=NOW,
    app_id="A1",
    team_name="Acme",
    bot_id="B1",
    bot_user_id="UBOT",
    bot_scopes="commands,chat:write",
    bot_refresh_token="sealed-refresh",
    bot_token_expires_at=NOW + timedelta(hours=12),
    installer_user_id="U1",
)


async def test_an_install_is_kept_found_by_team_and_replaced_on_reinstall(store: SqlStore) -> None:
    """Saved, found by its team id alone, and a second install of the team replaces it."""
    await store.save_slack_install(INSTALL)
    assert await store.slack_install("", "T1") == INSTALL
    assert await store.slack_install("E9", "T1") == INSTALL  # a team id names one workspace
    assert await store.slack_install("", "T2") is None
    again = replace(
        INSTALL, bot_token="sealed-2", bot_refresh_token=None, bot_token_expires_at=None
    )
    await store.save_slack_install(again)
    assert await store.slack_install("", "T1") == again


async def test_an_org_wide_install_is_found_by_its_enterprise(store: SqlStore) -> None:
    """An Enterprise Grid org install has no team; it is found as the org's."""
    org = replace(INSTALL, enterprise_id="E1", team_id="", is_enterprise_install=True)
    await store.save_slack_install(org)
    assert await store.slack_install("E1", "", enterprise_wide=True) == org
    assert await store.slack_install("E2", "", enterprise_wide=True) is None


async def test_deleting_an_install_forgets_it(store: SqlStore) -> None:
    """Deleted once: gone, and a second delete says there was nothing."""
    await store.save_slack_install(INSTALL)
    assert await store.delete_slack_install("", "T1") is True
    assert await store.delete_slack_install("", "T1") is False
    assert await store.slack_install("", "T1") is None


async def test_uninstall_pauses_that_workspaces_live_subscriptions_and_keeps_quotes(
    store: SqlStore,
) -> None:
    """Its tokens go, its live subscriptions pause with the reason; others and quotes stay."""
    await store.save_slack_install(INSTALL)
    await store.save_slack_install(replace(INSTALL, team_id="T2"))
    ours, paused_before = Place("slack", "T1", "C1"), Place("slack", "T1", "C2")
    theirs, discord = Place("slack", "T2", "C1"), Place("discord", "T1", "C1")
    for place in (ours, paused_before, theirs, discord):
        await store.subscribe(place, post_time="09:00", zone="UTC", by="U1", now=NOW)
    await store.pause(paused_before, "channel_not_found", NOW)
    await seed_quotes(store, "slack:T1", ["Kept after the uninstall"])
    later = NOW + timedelta(hours=1)
    assert await store.uninstall_slack("T1", "roastbot was uninstalled", later) == 1
    assert await store.slack_install("", "T1") is None
    assert await store.slack_install("", "T2") is not None
    reasons = {s.place: (s.paused_reason, s.paused_at) for s in await store.subscriptions()}
    assert reasons == {
        ours: ("roastbot was uninstalled", later),
        paused_before: ("channel_not_found", NOW),
        theirs: (None, None),
        discord: (None, None),
    }
    assert [q.text for q in await store.live_quotes("slack:T1", "sdet")] == [
        "Kept after the uninstall"
    ]
    resumed = await store.subscribe(ours, post_time="09:00", zone="UTC", by="U1", now=later)
    assert resumed.paused_reason is None


async def test_an_oauth_state_is_used_once_and_only_before_it_expires(store: SqlStore) -> None:
    """Consumed once; a replay, a forged state and an expired one are all refused."""
    await store.issue_oauth_state("s1", NOW + timedelta(minutes=10), NOW)
    await store.issue_oauth_state("s2", NOW + timedelta(minutes=10), NOW)
    assert await store.consume_oauth_state("s1", NOW) is True
    assert await store.consume_oauth_state("s1", NOW) is False
    assert await store.consume_oauth_state("forged", NOW) is False
    assert await store.consume_oauth_state("s2", NOW + timedelta(minutes=11)) is False


async def test_issuing_a_state_drops_the_expired_ones(store: SqlStore) -> None:
    """States never used do not pile up: each issue sweeps the expired."""
    await store.issue_oauth_state("old", NOW + timedelta(minutes=10), NOW)
    later = NOW + timedelta(minutes=20)
    await store.issue_oauth_state("new", later + timedelta(minutes=10), later)
    assert (await store.check()).counts["slack_oauth_states"] == 1
    assert await store.consume_oauth_state("new", later) is True
