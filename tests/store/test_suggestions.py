"""The suggestion queue against real databases (a SQLite file, a PostgreSQL server)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.store import (
    DuplicateQuoteError,
    DuplicateSuggestionError,
    SqlStore,
    SuggestionRecord,
    TooManyPendingError,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 22, 8, 30, tzinfo=UTC)


async def _suggest(
    store: SqlStore, text: str, *, by: str = "member", workspace: str = "console:w1"
) -> int:
    suggestion = await store.add_suggestion(
        workspace=workspace,
        role_id="sdet",
        text=text,
        source="standup",
        fingerprint=text.lower(),
        suggested_by=by,
        now=NOW,
        max_pending=5,
    )
    return suggestion.id


async def test_a_suggestion_waits_pending_and_is_scoped_to_its_workspace(store: SqlStore) -> None:
    """A new suggestion is pending, seen in its workspace only, with who suggested it."""
    sid = await _suggest(store, "Flaky is a feeling")
    [pending] = await store.suggestions("console:w1", status="pending")
    assert (pending.id, pending.text, pending.suggested_by, pending.status) == (
        sid,
        "Flaky is a feeling",
        "member",
        "pending",
    )
    assert pending.suggested_at == NOW
    assert await store.suggestions("console:w2") == []
    assert await store.suggestion("console:w2", sid) is None


async def test_approval_makes_a_live_quote_once(store: SqlStore) -> None:
    """Approving links the new live quote; a second approval finds nothing pending."""
    sid = await _suggest(store, "Flaky is a feeling")
    approved = await store.approve_suggestion(
        workspace="console:w1", suggestion_id=sid, decided_by="admin", now=LATER
    )
    assert approved is not None
    suggestion, quote = approved
    assert (suggestion.status, suggestion.decided_by, suggestion.decided_at) == (
        "approved",
        "admin",
        LATER,
    )
    assert suggestion.quote_id == quote.id
    [live] = await store.live_quotes("console:w1", "sdet")
    assert (live.id, live.text, live.source, live.added_by) == (
        quote.id,
        "Flaky is a feeling",
        "standup",
        "admin",
    )
    again = await store.approve_suggestion(
        workspace="console:w1", suggestion_id=sid, decided_by="admin", now=LATER
    )
    assert again is None
    assert len(await store.live_quotes("console:w1", "sdet")) == 1


async def test_another_workspace_cannot_decide(store: SqlStore) -> None:
    """An admin of another workspace neither approves nor rejects the suggestion."""
    sid = await _suggest(store, "Flaky is a feeling")
    assert (
        await store.approve_suggestion(
            workspace="console:w2", suggestion_id=sid, decided_by="x", now=LATER
        )
        is None
    )
    assert (
        await store.reject_suggestion(
            workspace="console:w2", suggestion_id=sid, decided_by="x", reason=None, now=LATER
        )
        is None
    )
    assert [s.status for s in await store.suggestions("console:w1")] == ["pending"]


async def test_rejection_stays_on_record_and_adds_no_quote(store: SqlStore) -> None:
    """A rejected suggestion keeps its reason and never becomes a quote."""
    sid = await _suggest(store, "Flaky is a feeling")
    rejected = await store.reject_suggestion(
        workspace="console:w1", suggestion_id=sid, decided_by="admin", reason="meh", now=LATER
    )
    assert rejected is not None
    assert (rejected.status, rejected.reason, rejected.quote_id) == ("rejected", "meh", None)
    assert await store.live_quotes("console:w1", "sdet") == []
    assert [s.status for s in await store.suggestions("console:w1", suggested_by="member")] == [
        "rejected"
    ]


async def test_at_most_five_pending_per_member(store: SqlStore) -> None:
    """The sixth pending suggestion of a member is refused; another member is not limited."""
    for n in range(5):
        await _suggest(store, f"line {n}")
    with pytest.raises(TooManyPendingError) as refused:
        await _suggest(store, "line 6")
    assert refused.value.pending == 5
    await _suggest(store, "line 6", by="someone else")
    assert len(await store.suggestions("console:w1", suggested_by="member")) == 5


async def test_exact_duplicates_are_refused_with_the_existing_id(store: SqlStore) -> None:
    """A pending twin raises with its suggestion; a live twin raises with its quote."""
    sid = await _suggest(store, "Flaky is a feeling")
    with pytest.raises(DuplicateSuggestionError) as pending:
        await _suggest(store, "Flaky is a feeling", by="other")
    assert pending.value.existing.id == sid
    await store.approve_suggestion(
        workspace="console:w1", suggestion_id=sid, decided_by="admin", now=LATER
    )
    with pytest.raises(DuplicateQuoteError) as live:
        await _suggest(store, "Flaky is a feeling", by="other")
    assert live.value.existing.text == "Flaky is a feeling"


async def test_two_admins_approving_at_once_make_one_quote(store: SqlStore) -> None:
    """Concurrent approvals of one suggestion: one wins, one quote exists."""
    sid = await _suggest(store, "Flaky is a feeling")
    results = await asyncio.gather(
        *(
            store.approve_suggestion(
                workspace="console:w1", suggestion_id=sid, decided_by=f"a{n}", now=LATER
            )
            for n in range(2)
        )
    )
    assert sum(result is not None for result in results) == 1
    assert len(await store.live_quotes("console:w1", "sdet")) == 1


async def test_import_adds_once_and_links_approved_to_live_quotes(store: SqlStore) -> None:
    """Imported suggestions keep their decisions; importing twice adds nothing."""
    await store.add_quote(
        workspace="console:w1",
        role_id="sdet",
        text="Flaky is a feeling",
        source=None,
        fingerprint="flaky is a feeling",
        added_by="admin",
        now=NOW,
    )
    records = [
        SuggestionRecord(
            "console:w1",
            "sdet",
            "Flaky is a feeling",
            None,
            "flaky is a feeling",
            "member",
            NOW,
            "approved",
            "admin",
            LATER,
        ),
        SuggestionRecord(
            "console:w1", "sdet", "Nope", None, "nope", "member", NOW, "rejected", "admin", LATER
        ),
    ]
    assert await store.import_records([], records) == ([], [True, True])
    assert await store.import_records([], records) == ([], [False, False])
    found = await store.all_suggestions("w1")
    assert [(s.status, s.quote_id is not None, s.decided_at) for s in found] == [
        ("approved", True, LATER),
        ("rejected", False, LATER),
    ]
