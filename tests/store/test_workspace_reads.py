"""The reads a workspace's home page makes: its subscriptions, and a count of suggestions."""

from __future__ import annotations

from bot.store import APPROVED, PENDING, REJECTED, Place, SqlStore
from tests.conftest import FIXED_NOW


async def test_workspace_subscriptions_are_its_own_in_channel_order(store: SqlStore) -> None:
    """Only the platform's workspace's channels, paused ones too, ordered by channel."""
    places = [
        Place("slack", "T1", "C2"),
        Place("slack", "T1", "C1"),
        Place("slack", "T10", "C1"),
        Place("discord", "T1", "C3"),
    ]
    for place in places:
        await store.subscribe(place, post_time="09:00", zone="UTC", by="u", now=FIXED_NOW)
    await store.pause(places[0], "gone", FIXED_NOW)
    found = await store.workspace_subscriptions("slack", "T1")
    assert [sub.place for sub in found] == [places[1], places[0]]
    assert [sub.paused_reason for sub in found] == [None, "gone"]
    assert await store.workspace_subscriptions("slack", "T9") == []


async def test_count_suggestions_counts_one_status_of_one_workspace(store: SqlStore) -> None:
    """Pending, approved and rejected are counted apart, and per workspace."""
    for workspace, count in (("slack:T1", 4), ("slack:T2", 1)):
        for number in range(count):
            await store.add_suggestion(
                workspace=workspace,
                role_id="sdet",
                text=f"quote {number}",
                source=None,
                fingerprint=f"q{number}",
                suggested_by=f"u{number}",
                now=FIXED_NOW,
                max_pending=5,
            )
    await store.approve_suggestion(
        workspace="slack:T1", suggestion_id=1, decided_by="boss", now=FIXED_NOW
    )
    await store.reject_suggestion(
        workspace="slack:T1", suggestion_id=2, decided_by="boss", reason=None, now=FIXED_NOW
    )
    counts = [await store.count_suggestions("slack:T1", s) for s in (PENDING, APPROVED, REJECTED)]
    assert counts == [2, 1, 1]
    assert await store.count_suggestions("slack:T2", PENDING) == 1
    assert await store.count_suggestions("slack:T3", PENDING) == 0
