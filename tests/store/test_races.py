"""Requests racing on one store and on two stores over one database: nothing lost or doubled."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime

from bot.store import (
    ACCURATE,
    HARSH,
    DuplicateQuoteError,
    DuplicateSuggestionError,
    Place,
    SlackInstall,
    SqlStore,
    TooManyPendingError,
    Votes,
    open_store,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
WORKSPACE = "console:w1"
ROUNDS = 12  # a race is tried this many times: on PostgreSQL the interleaving varies


async def _suggest(store: SqlStore, text: str, *, by: str = "member") -> int | str:
    """Suggest `text`; the suggestion's id, or the name of the refusal."""
    try:
        made = await store.add_suggestion(
            workspace=WORKSPACE,
            role_id="sdet",
            text=text,
            source=None,
            fingerprint=text.lower(),
            suggested_by=by,
            now=NOW,
            max_pending=5,
        )
    except (TooManyPendingError, DuplicateSuggestionError, DuplicateQuoteError) as exc:
        return type(exc).__name__
    return made.id


async def _add(store: SqlStore, text: str) -> int | str:
    """Add `text` as a live quote; its id, or the name of the refusal."""
    try:
        made = await store.add_quote(
            workspace=WORKSPACE,
            role_id="sdet",
            text=text,
            source=None,
            fingerprint=text.lower(),
            added_by="admin",
            now=NOW,
        )
    except DuplicateQuoteError as exc:
        return type(exc).__name__
    return made.id


async def test_ten_suggestions_at_once_by_one_member_leave_five_pending(store: SqlStore) -> None:
    """One member's ten suggestions sent at once: five are queued, five refused as too many."""
    results = await asyncio.gather(*(_suggest(store, f"Line {n}") for n in range(10)))
    assert sorted(map(str, results)).count("TooManyPendingError") == 5
    assert len(await store.suggestions(WORKSPACE, status="pending")) == 5


async def test_identical_suggestions_at_once_queue_one(store: SqlStore) -> None:
    """Two members suggesting the same quote at once: one is queued, one refused as a twin."""
    for n in range(ROUNDS):
        text = f"Flaky is a feeling {n}"
        results = await asyncio.gather(
            _suggest(store, text, by=f"a{n}"), _suggest(store, text, by=f"b{n}")
        )
        assert sorted(map(str, results))[1] == "DuplicateSuggestionError", results
    assert len(await store.suggestions(WORKSPACE, status="pending")) == ROUNDS


async def test_two_instances_suggesting_at_once_keep_the_limit(database: str) -> None:
    """Two stores on one database take one member's ten suggestions: still five pending."""
    a, b = await open_store(database), await open_store(database)
    try:
        results = await asyncio.gather(*(_suggest((a, b)[n % 2], f"Line {n}") for n in range(10)))
        assert list(map(str, results)).count("TooManyPendingError") == 5
        assert len(await a.suggestions(WORKSPACE, status="pending")) == 5
    finally:
        await a.close()
        await b.close()


async def test_approving_while_the_same_quote_is_added_refuses_cleanly(store: SqlStore) -> None:
    """An approval racing `/burnward add` of the same text: one live quote, the other refused."""
    for n in range(ROUNDS):
        text = f"Flaky is a feeling {n}"
        sid = await _suggest(store, text, by=f"m{n}")
        assert isinstance(sid, int)

        async def approve(sid: int = sid) -> str:
            try:
                done = await store.approve_suggestion(
                    workspace=WORKSPACE, suggestion_id=sid, decided_by="a", now=NOW
                )
            except DuplicateQuoteError:
                return "DuplicateQuoteError"
            return "approved" if done is not None else "not pending"

        results = await asyncio.gather(approve(), _add(store, text))
        assert "DuplicateQuoteError" in map(str, results), results
        live = [q for q in await store.live_quotes(WORKSPACE, "sdet") if q.text == text]
        assert len(live) == 1
        suggestion = await store.suggestion(WORKSPACE, sid)
        assert suggestion is not None
        assert (suggestion.status == "approved") == (results[0] == "approved")


async def test_removing_a_quote_twice_at_once_reports_one_removal(store: SqlStore) -> None:
    """Two admins removing one quote at once: one is told it was removed, the other not."""
    for n in range(ROUNDS):
        added = await _add(store, f"Flaky is a feeling {n}")
        assert isinstance(added, int)
        results = await asyncio.gather(
            *(
                store.remove_quote(workspace=WORKSPACE, quote_id=added, removed_by=by, now=NOW)
                for by in ("a", "b")
            )
        )
        done = [r for r in results if r is not None]
        assert len(done) == 1, results
        assert done[0].removed_by in ("a", "b")


async def test_the_same_quote_added_twice_at_once_by_two_instances_is_kept_once(
    database: str,
) -> None:
    """`/burnward add` of one text on two stores at once: one quote, the other told its id."""
    a, b = await open_store(database), await open_store(database)
    try:
        for n in range(ROUNDS):
            text = f"Flaky is a feeling {n}"
            results = await asyncio.gather(_add(a, text), _add(b, text), _add(a, text))
            assert sorted(map(str, results)).count("DuplicateQuoteError") == 2, results
        assert len(await a.live_quotes(WORKSPACE, "sdet")) == ROUNDS
    finally:
        await a.close()
        await b.close()


async def test_one_member_pressing_both_votes_at_once_holds_one_vote(store: SqlStore) -> None:
    """Accurate and Too harsh pressed at once by one member: each reply shows one vote, the
    one that landed second; the post keeps exactly that vote."""
    place = Place("discord", "g1", "c1")
    for n in range(ROUNDS):
        day = date(2026, 11, 1 + n)
        assert await store.plan_daily(place, day, ["sdet"], NOW) is not None
        await store.record_daily(place, day, f"m{n}", NOW, None, None)
        pressed = await asyncio.gather(
            store.vote(place, day, "u1", ACCURATE, NOW), store.vote(place, day, "u1", HARSH, NOW)
        )
        counts = [p[1] for p in pressed if p is not None]
        assert sorted(counts, key=lambda v: v.accurate) == [Votes(0, 1), Votes(1, 0)]
        _, history = await store.daily_history(place, 0, 1)
        assert history[0].votes in counts


async def test_subscribing_and_unsubscribing_at_once_agree_with_one_order(store: SqlStore) -> None:
    """Subscribe racing unsubscribe, and two subscribes with other times: the channel ends as
    one of them left it, and each call's answer was true in that order."""
    place = Place("discord", "g1", "c1")
    for n in range(ROUNDS):
        subscribe = store.subscribe(place, post_time="09:00", zone="UTC", by="a", now=NOW)
        sub, had = await asyncio.gather(subscribe, store.unsubscribe(place))
        assert sub.post_time == "09:00"
        now = await store.subscription(place)
        assert (now is None) == had, (n, had, now)  # unsubscribe second iff it found one
        await store.unsubscribe(place)
        times = await asyncio.gather(
            *(
                store.subscribe(place, post_time=t, zone="UTC", by=t, now=NOW)
                for t in ("08:00", "10:00")
            )
        )
        final = await store.subscription(place)
        assert final is not None
        assert (final.post_time, final.subscribed_by) in [
            (s.post_time, s.subscribed_by) for s in times
        ]
        await store.unsubscribe(place)


async def test_one_slack_workspace_installed_twice_at_once_keeps_one_install(
    database: str,
) -> None:
    """Two OAuth callbacks of one workspace on two instances at once: one install row, one
    of the two tokens, no error."""
    first = SlackInstall(
        enterprise_id="", team_id="T1", bot_token="sealed-1", installed_at=NOW, bot_user_id="U"
    )
    a, b = await open_store(database), await open_store(database)
    try:
        for n in range(ROUNDS):
            tokens = [f"sealed-{n}-a", f"sealed-{n}-b"]
            await asyncio.gather(
                a.save_slack_install(replace(first, bot_token=tokens[0])),
                b.save_slack_install(replace(first, bot_token=tokens[1])),
            )
            kept = await a.slack_install("", "T1")
            assert kept is not None and kept.bot_token in tokens
        assert await a.delete_slack_install("", "T1")
        assert await a.slack_install("", "T1") is None
    finally:
        await a.close()
        await b.close()
