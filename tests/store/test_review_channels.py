"""Review channels, review messages and credit against real databases (SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store import Credit, ReviewPost, SqlStore

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
HERE, THERE = "discord:1", "discord:2"


async def _suggest(store: SqlStore, text: str, workspace: str = HERE) -> int:
    made = await store.add_suggestion(
        workspace=workspace,
        role_id="sdet",
        text=text,
        source=None,
        fingerprint=text.lower(),
        suggested_by="member",
        now=NOW,
        max_pending=5,
    )
    return made.id


async def test_one_review_channel_per_workspace_the_latest_wins(store: SqlStore) -> None:
    """Setting it twice keeps the second; clearing returns it once; workspaces are apart."""
    assert await store.review_channel(HERE) is None
    await store.set_review_channel(workspace=HERE, channel_id="c1", set_by="a", now=NOW)
    await store.set_review_channel(workspace=HERE, channel_id="c2", set_by="b", now=NOW)
    assert (await store.review_channel(HERE), await store.review_channel(THERE)) == ("c2", None)
    assert await store.clear_review_channel(HERE) == "c2"
    assert await store.clear_review_channel(HERE) is None
    assert await store.review_channel(HERE) is None


async def test_a_review_post_is_found_in_its_own_workspace_only(store: SqlStore) -> None:
    """The newest message recorded for a suggestion is kept; another workspace finds none."""
    sid = await _suggest(store, "Green builds are a rumour")
    await store.record_review_post(workspace=HERE, post=ReviewPost(sid, "c1", "m1"), now=NOW)
    await store.record_review_post(workspace=HERE, post=ReviewPost(sid, "c1", "m2"), now=NOW)
    assert await store.review_post(HERE, sid) == ReviewPost(sid, "c1", "m2")
    assert await store.review_post(THERE, sid) is None


async def test_credit_goes_with_approved_live_quotes_only(store: SqlStore) -> None:
    """Approved: credited; rejected, added by hand, removed or elsewhere: not."""
    approved = await _suggest(store, "Green builds are a rumour")
    rejected = await _suggest(store, "Retries are a strategy")
    removed = await _suggest(store, "Coverage is a mood")
    done = await store.approve_suggestion(
        workspace=HERE, suggestion_id=approved, decided_by="boss", now=NOW
    )
    assert done is not None
    await store.reject_suggestion(
        workspace=HERE, suggestion_id=rejected, decided_by="boss", reason=None, now=NOW
    )
    gone = await store.approve_suggestion(
        workspace=HERE, suggestion_id=removed, decided_by="boss", now=NOW
    )
    assert gone is not None
    await store.remove_quote(workspace=HERE, quote_id=gone[1].id, removed_by="boss", now=NOW)
    await store.add_quote(
        workspace=HERE,
        role_id="sdet",
        text="By hand",
        source=None,
        fingerprint="by hand",
        added_by="boss",
        now=NOW,
    )
    quote_id = done[1].id
    assert await store.quote_credits(HERE, "sdet") == {quote_id: Credit(quote_id, "member", "boss")}
    assert await store.quote_credits(THERE, "sdet") == {}
    assert await store.quote_credits(HERE, "enterprise-architect") == {}


async def test_undoing_a_review_channel_puts_back_only_its_own(store: SqlStore) -> None:
    """Undo restores the earlier channel (or none) only while the undone one is still set."""
    await store.set_review_channel(workspace=HERE, channel_id="c1", set_by="a", now=NOW)
    await store.set_review_channel(workspace=HERE, channel_id="c2", set_by="b", now=NOW)
    undo = {"workspace": HERE, "set_by": "b", "now": NOW}
    assert await store.undo_review_channel(channel_id="c2", before="c1", **undo)
    assert await store.review_channel(HERE) == "c1"
    assert not await store.undo_review_channel(channel_id="c2", before=None, **undo)
    assert await store.review_channel(HERE) == "c1"
    assert await store.undo_review_channel(channel_id="c1", before=None, **undo)
    assert await store.review_channel(HERE) is None
