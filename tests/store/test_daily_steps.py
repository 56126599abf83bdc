"""Daily post steps in the store: claimed by one caller, recorded once, released on failure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.store import DailyOptions, DailyStep, Place, SqlStore

PLACE = Place("discord", "g1", "c1")
DAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)
STALE = timedelta(minutes=10)


async def test_a_step_is_claimed_once_taken_over_when_stale_and_never_after_done(
    store: SqlStore,
) -> None:
    """One winner per claim; a stale claim is taken over; a done step is never claimed again."""
    assert await store.claim_step(PLACE, DAY, "pin", NOW, NOW - STALE)
    assert not await store.claim_step(PLACE, DAY, "pin", NOW, NOW - STALE)
    later = NOW + timedelta(minutes=11)
    assert await store.claim_step(PLACE, DAY, "pin", later, later - STALE)
    assert await store.daily_steps(PLACE, DAY) == {}
    await store.record_step(PLACE, DAY, DailyStep("pin", "m1", None), later)
    much_later = later + timedelta(hours=1)
    assert not await store.claim_step(PLACE, DAY, "pin", much_later, much_later - STALE)
    assert await store.daily_steps(PLACE, DAY) == {"pin": DailyStep("pin", "m1", None)}


async def test_a_released_step_can_be_claimed_again_and_failures_are_kept(
    store: SqlStore,
) -> None:
    """A step failed for now is released; one failed for good is recorded with its reason."""
    assert await store.claim_step(PLACE, DAY, "thread", NOW, NOW - STALE)
    await store.release_step(PLACE, DAY, "thread", NOW)
    assert await store.claim_step(PLACE, DAY, "thread", NOW, NOW - STALE)
    await store.record_step(PLACE, DAY, DailyStep("thread", None, "threads disabled"), NOW)
    assert (await store.daily_steps(PLACE, DAY))["thread"].failure == "threads disabled"


async def test_last_pinned_is_the_latest_successful_pin_before_the_date(store: SqlStore) -> None:
    """Unpinning looks for the bot's last pin of an earlier date, skipping failed ones."""
    for day, step in (
        (date(2026, 11, 18), DailyStep("pin", "m18", None)),
        (date(2026, 11, 19), DailyStep("pin", None, "no access")),
        (DAY, DailyStep("pin", "m20", None)),
    ):
        assert await store.claim_step(PLACE, day, "pin", NOW, NOW - STALE)
        await store.record_step(PLACE, day, step, NOW)
    assert await store.last_pinned(PLACE, DAY) == "m18"
    assert await store.last_pinned(PLACE, date(2026, 11, 18)) is None


async def test_options_are_stored_and_read_back(store: SqlStore) -> None:
    """days, pin, thread and ping survive the round trip."""
    options = DailyOptions("mon,wed,fri", pin=True, thread=False, ping="900")
    made = await store.subscribe(
        PLACE, post_time="09:00", zone="UTC", by="u1", now=NOW, options=options
    )
    assert made.options == options
    read = await store.subscription(PLACE)
    assert read is not None and read.options == options


async def test_a_stale_claim_released_late_leaves_the_new_holder_its_claim(
    store: SqlStore,
) -> None:
    """A taker whose claim went stale and was taken over releases nothing of the new claim."""
    assert await store.claim_step(PLACE, DAY, "thread", NOW, NOW - STALE)
    later = NOW + timedelta(minutes=11)
    assert await store.claim_step(PLACE, DAY, "thread", later, later - STALE)
    await store.release_step(PLACE, DAY, "thread", NOW)  # the first taker fails, late
    third = later + timedelta(minutes=1)
    assert not await store.claim_step(PLACE, DAY, "thread", third, third - STALE)


async def test_a_stale_post_claim_released_late_leaves_the_new_holder_its_claim(
    store: SqlStore,
) -> None:
    """The same for the post's own claim: only the claim made at that moment is given back."""
    await store.subscribe(PLACE, post_time="09:00", zone="UTC", by="u1", now=NOW)
    assert await store.plan_daily(PLACE, DAY, ["sdet"], NOW) is not None
    assert await store.claim_daily(PLACE, DAY, NOW, NOW - STALE)
    later = NOW + timedelta(minutes=11)
    assert await store.claim_daily(PLACE, DAY, later, later - STALE)
    await store.release_daily(PLACE, DAY, NOW)
    third = later + timedelta(minutes=1)
    assert not await store.claim_daily(PLACE, DAY, third, third - STALE)
    await store.release_daily(PLACE, DAY, later)
    assert await store.claim_daily(PLACE, DAY, third, third - STALE)
