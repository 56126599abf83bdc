"""The next-post index: due rows read in batches, plans written only while still right."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.daily.specimen import next_moment
from bot.store import DailyOptions, Place, SqlStore, Subscription, open_store
from tests.store.test_migrations import DATA, LANDED_SCHEMA

PLACE = Place("discord", "g1", "c1")
FRIDAY = datetime(2026, 11, 20, 7, tzinfo=UTC)


def at(text: str) -> datetime:
    """An aware moment from ISO text."""
    return datetime.fromisoformat(text)


async def subscribe(
    store: SqlStore,
    place: Place = PLACE,
    *,
    time: str = "09:00",
    zone: str = "UTC",
    now: datetime = FRIDAY,
    days: str = "daily",
) -> Subscription:
    """Subscribe `place` as an admin would."""
    options = DailyOptions(days)
    return await store.subscribe(
        place, post_time=time, zone=zone, by="u1", now=now, options=options
    )


async def due_channels(store: SqlStore, now: datetime) -> list[str]:
    """The channels of every due subscription at `now`, read in one batch."""
    return [sub.place.channel_id for sub in await store.due_subscriptions(now, 100)]


async def plan(store: SqlStore, sub: Subscription, now: datetime) -> datetime:
    """Write the subscription's next post as the scheduler does after a look; return it."""
    moment = next_moment(sub, now)
    assert await store.set_next_post(sub, moment)
    return moment


async def test_a_new_subscription_is_due_at_once_then_at_its_planned_moment(
    store: SqlStore,
) -> None:
    """Subscribed at 07:00: due for a look at 07:00; planned, due again only from 09:00."""
    sub = await subscribe(store)
    assert sub.next_post_at == FRIDAY
    assert await due_channels(store, FRIDAY - timedelta(seconds=1)) == []
    assert await due_channels(store, FRIDAY) == ["c1"]
    assert await plan(store, sub, FRIDAY) == at("2026-11-20T09:00:00+00:00")
    assert await due_channels(store, at("2026-11-20T08:59:59+00:00")) == []
    assert await due_channels(store, at("2026-11-20T09:00:00+00:00")) == ["c1"]
    assert await store.earliest_next_post(FRIDAY) == at("2026-11-20T09:00:00+00:00")


async def test_a_dst_day_is_planned_at_its_own_utc_moment(store: SqlStore) -> None:
    """09:00 Berlin is 08:00 UTC on Saturday 28 March 2026 and 07:00 UTC on Sunday, the
    day clocks go forward: posted Saturday, the row is due from Sunday 07:00 UTC."""
    saturday = at("2026-03-28T08:00:00+00:00")
    friday_noon = saturday - timedelta(hours=20)
    sub = await subscribe(store, zone="Europe/Berlin", now=friday_noon)
    assert await plan(store, sub, friday_noon) == saturday
    await store.plan_daily(PLACE, date(2026, 3, 28), ["sdet"], saturday)
    await store.record_daily(PLACE, date(2026, 3, 28), "m1", saturday)
    sunday = next_moment(sub, saturday, {date(2026, 3, 28)})
    assert await store.set_next_post(sub, sunday, done=date(2026, 3, 28))
    assert sunday == at("2026-03-29T07:00:00+00:00")
    assert await store.earliest_next_post(saturday) == sunday
    assert await due_channels(store, sunday - timedelta(seconds=1)) == []
    assert await due_channels(store, sunday) == ["c1"]


async def test_weekdays_skip_the_weekend(store: SqlStore) -> None:
    """Posted Friday on a weekdays subscription: nothing is due until Monday 09:00."""
    sub = await subscribe(store, days="weekdays")
    friday_nine = at("2026-11-20T09:00:00+00:00")
    await store.plan_daily(PLACE, friday_nine.date(), ["sdet"], friday_nine)
    await store.record_daily(PLACE, friday_nine.date(), "m1", friday_nine)
    monday = next_moment(sub, friday_nine, {friday_nine.date()})
    assert await store.set_next_post(sub, monday, done=friday_nine.date())
    assert monday == at("2026-11-23T09:00:00+00:00")
    assert await due_channels(store, at("2026-11-22T23:59:00+00:00")) == []
    assert await store.earliest_next_post(friday_nine) == monday


async def test_a_post_moves_the_row_on_only_once_it_is_recorded(store: SqlStore) -> None:
    """Claimed elsewhere and not yet recorded, today's post keeps the row due."""
    sub = await subscribe(store)
    nine = at("2026-11-20T09:00:00+00:00")
    await plan(store, sub, FRIDAY)
    tomorrow = next_moment(sub, nine, {nine.date()})
    assert not await store.set_next_post(sub, tomorrow, done=nine.date())
    await store.plan_daily(PLACE, nine.date(), ["sdet"], nine)
    assert await store.claim_daily(PLACE, nine.date(), nine, nine - timedelta(minutes=10))
    assert not await store.set_next_post(sub, tomorrow, done=nine.date())
    assert await due_channels(store, nine) == ["c1"]
    await store.record_daily(PLACE, nine.date(), "m1", nine)
    assert await store.set_next_post(sub, tomorrow, done=nine.date())
    assert await due_channels(store, nine + timedelta(hours=1)) == []
    assert await store.earliest_next_post(nine) == at("2026-11-21T09:00:00+00:00")


async def test_paused_rows_are_never_due_until_resumed(store: SqlStore) -> None:
    """A pause takes the row out of the index; subscribing again makes it due at once."""
    sub = await subscribe(store)
    await plan(store, sub, FRIDAY)
    await store.pause(PLACE, "Discord answered 403 Forbidden", at("2026-11-20T09:00:00+00:00"))
    later = at("2026-11-25T09:00:00+00:00")
    assert await due_channels(store, later) == []
    assert await store.earliest_next_post(FRIDAY) is None
    assert not await store.set_next_post(sub, later)  # a plan from before the pause
    resumed = await subscribe(store, now=later)
    assert resumed.next_post_at == later and resumed.paused_reason is None
    assert await due_channels(store, later) == ["c1"]


async def test_a_schedule_change_is_due_at_once_and_a_stale_plan_is_refused(
    store: SqlStore,
) -> None:
    """New time or days: due at the change; a plan worked out from the old row writes nothing."""
    old = await subscribe(store)
    await plan(store, old, FRIDAY)
    noon = at("2026-11-20T12:00:00+00:00")
    moved = await subscribe(store, time="17:00", now=noon)
    assert moved.next_post_at == noon
    assert not await store.set_next_post(old, at("2026-11-21T09:00:00+00:00"))
    assert await plan(store, moved, noon) == at("2026-11-20T17:00:00+00:00")
    afternoon = at("2026-11-20T16:00:00+00:00")
    weekends = await subscribe(store, time="17:00", now=afternoon, days="weekends")
    assert weekends.next_post_at == afternoon  # days changed: looked at again
    assert not await store.set_next_post(moved, at("2026-11-20T17:00:00+00:00"))
    later = afternoon + timedelta(minutes=30)
    same = await subscribe(store, time="17:00", now=later, days="weekends")
    assert same.next_post_at == afternoon  # nothing changed: the plan stays


async def test_due_rows_come_in_batches_each_once_in_order(store: SqlStore) -> None:
    """Seven due rows read three at a time: every one once, earliest first; the rest not."""
    for n in range(10):
        sub = await subscribe(store, Place("discord", "g1", f"c{n}"), now=FRIDAY)
        moment = FRIDAY + timedelta(minutes=n % 5 if n < 7 else 60)
        assert await store.set_next_post(sub, moment)
    now = FRIDAY + timedelta(minutes=30)
    read: list[Subscription] = []
    page: list[Subscription] = []
    while page := await store.due_subscriptions(now, 3, page[-1] if page else None):
        read += page
    assert [sub.place.channel_id for sub in read] == ["c0", "c5", "c1", "c6", "c2", "c3", "c4"]
    assert await store.earliest_next_post(now) == FRIDAY + timedelta(minutes=60)


async def test_an_upgraded_database_finds_every_live_row_due(tmp_path: Path) -> None:
    """Revision 0010 sets each live row's next_post_at to its subscribed moment."""
    path = tmp_path / "landed.sqlite3"
    with closing(sqlite3.connect(path)) as landed:
        for statement in (*LANDED_SCHEMA, *DATA):
            landed.execute(statement)
        landed.commit()
    store = await open_store(path)
    subscribed = at("2026-11-01T10:00:00+00:00")
    assert await due_channels(store, subscribed) == ["2"]
    assert await due_channels(store, subscribed - timedelta(seconds=1)) == []
    await store.close()
