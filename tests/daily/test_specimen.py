"""Specimen of the day: commands, exactly-once posting, catch-up, time zones, failures."""

from __future__ import annotations

import asyncio
import dataclasses
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.cards.model import Reply, Tone
from bot.catalog.lookup import Catalog
from bot.commands.registry import dispatch
from bot.daily.scheduler import Outcome, Scheduler, post_due
from bot.runtime.context import Context
from bot.runtime.poster import DeliveryError
from bot.store import Place, open_store
from tests.conftest import invocation

CHANNEL = Place("console", "w1", "c1")


class Clock:
    """A settable clock for the context; nothing sleeps."""

    def __init__(self, moment: datetime) -> None:
        self.now = moment

    def __call__(self) -> datetime:
        return self.now


class RecordingPoster:
    """A poster that records what it sends, or fails as told."""

    platform = "console"

    def __init__(self, failures: list[DeliveryError] | None = None) -> None:
        self.sent: list[tuple[str, Reply]] = []
        self.failures = list(failures or [])
        self.calls = 0
        self.delivered = asyncio.Event()

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((channel_id, reply))
        self.delivered.set()
        return f"m{len(self.sent)}"

    async def wait_for(self, count: int) -> None:
        """Wait (bounded) until `count` posts have been delivered."""
        while len(self.sent) < count:
            self.delivered.clear()
            await asyncio.wait_for(self.delivered.wait(), timeout=5)


async def no_sleep(_seconds: float) -> None:
    """Backoff without waiting."""


def at(text: str) -> datetime:
    """An aware moment from ISO text."""
    return datetime.fromisoformat(text)


@pytest.fixture
def clock() -> Clock:
    return Clock(at("2026-11-20T07:00:00+00:00"))


@pytest.fixture
def ctx(context: Context, clock: Clock) -> Context:
    return dataclasses.replace(context, clock=clock)


async def subscribe(ctx: Context, time: str, zone: str, channel: str = "c1") -> Reply:
    return await dispatch(
        ctx, invocation("specimen", "subscribe", admin=True, channel=channel, time=time, zone=zone)
    )


async def run_pass(ctx: Context, poster: RecordingPoster, now: datetime) -> list[Outcome]:
    """One post-due pass at `now`, with the context's clock at `now` too."""
    ctx.clock.now = now  # type: ignore[attr-defined]
    return [r.outcome for r in await post_due(ctx, {"console": poster}, now, no_sleep)]


async def test_subscribe_defaults_to_nine_and_the_configured_zone(ctx: Context) -> None:
    """No arguments: 09:00 in ROASTBOT_TZ (the context's default zone)."""
    reply = await dispatch(
        dataclasses.replace(ctx, default_zone="Asia/Tokyo"),
        invocation("specimen", "subscribe", admin=True),
    )
    assert reply.private and reply.cards[0].tone is Tone.SUCCESS
    assert "every day at 09:00 Asia/Tokyo" in reply.cards[0].description
    assert reply.cards[0].timestamp == at("2026-11-21T00:00:00+00:00")
    sub = await ctx.store.subscription(CHANNEL)
    assert sub is not None and (sub.post_time, sub.zone) == ("09:00", "Asia/Tokyo")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"time": "25:00"}, "'25:00': the hour must be 0 to 23. Use 09:00, 9am, 9:30pm or 21h."),
        ({"zone": "Moon/Base"}, "Unknown time zone 'Moon/Base'"),
        (
            {"time": "13pm", "zone": "Europe/Berlin"},
            "Example: /specimen subscribe 09:00 Europe/Berlin",
        ),
    ],
)
async def test_bad_time_or_zone_answers_privately_with_examples(
    ctx: Context, options: dict[str, str], message: str
) -> None:
    """Nothing is stored; the reply says how to write it."""
    reply = await dispatch(ctx, invocation("specimen", "subscribe", admin=True, **options))
    assert reply.private and message in reply.cards[0].description
    assert await ctx.store.subscription(CHANNEL) is None


async def test_members_cannot_subscribe_or_unsubscribe(ctx: Context) -> None:
    """Subscribe and unsubscribe are for admins; today and status for anyone."""
    for sub in ("subscribe", "unsubscribe"):
        reply = await dispatch(ctx, invocation("specimen", sub))
        assert reply.private and "Only admins" in reply.cards[0].description
    assert await ctx.store.subscription(CHANNEL) is None


async def test_status_shows_schedule_next_and_last_post(ctx: Context, clock: Clock) -> None:
    """Status reads like a person would ask: when, next, last."""
    none = await dispatch(ctx, invocation("specimen", "status"))
    assert none.private and "no specimen of the day" in none.cards[0].description
    await subscribe(ctx, "09:00", "Europe/Berlin")
    poster = RecordingPoster()
    await run_pass(ctx, poster, at("2026-11-20T08:00:00+00:00"))
    status = (await dispatch(ctx, invocation("specimen", "status"))).cards[0]
    values = {f.name: f.value for f in status.fields}
    assert values["Schedule"] == "Every day at 09:00 Europe/Berlin"
    assert values["Next post"] == "Saturday 21 November, 09:00 CET"
    assert status.timestamp == at("2026-11-21T08:00:00+00:00")
    role_title = ctx.catalog.get((await ctx.store.last_daily(CHANNEL)).role_id).title  # type: ignore[union-attr]
    assert values["Last post"] == f"{role_title}, Friday 20 November 2026"


async def test_a_post_goes_out_once_at_its_time_with_the_header(ctx: Context) -> None:
    """Before 09:00 Berlin nothing; at 09:00 one post; again later the same day nothing."""
    await subscribe(ctx, "09:00", "Europe/Berlin")
    poster = RecordingPoster()
    assert await run_pass(ctx, poster, at("2026-11-20T07:59:00+00:00")) == []
    assert await run_pass(ctx, poster, at("2026-11-20T08:00:00+00:00")) == [Outcome.POSTED]
    assert await run_pass(ctx, poster, at("2026-11-20T15:00:00+00:00")) == [Outcome.ALREADY_DONE]
    [(channel, reply)] = poster.sent
    card = reply.cards[0]
    assert channel == "c1" and not reply.private
    assert card.header == "Specimen of the day, Friday 20 November"
    assert card.quote is not None and card.buttons
    today = await dispatch(ctx, invocation("specimen", "today"))
    assert today.cards[0].title == card.title


async def test_today_before_the_post_names_the_specimen_that_will_be_posted(ctx: Context) -> None:
    """`/specimen today` at 07:00 and the 09:00 post show the same role."""
    await subscribe(ctx, "09:00", "Europe/Berlin")
    early = await dispatch(ctx, invocation("specimen", "today"))
    poster = RecordingPoster()
    await run_pass(ctx, poster, at("2026-11-20T08:00:00+00:00"))
    assert poster.sent[0][1].cards[0].title == early.cards[0].title


async def test_every_specimen_once_before_any_repeats(ctx: Context) -> None:
    """Over as many days as there are dossiers, no specimen repeats."""
    await subscribe(ctx, "09:00", "UTC")
    poster = RecordingPoster()
    start = at("2026-11-20T09:00:00+00:00")
    for day in range(len(ctx.catalog)):
        await run_pass(ctx, poster, start + timedelta(days=day))
    titles = [reply.cards[0].title for _, reply in poster.sent]
    assert len(titles) == len(ctx.catalog) == len(set(titles))


@pytest.mark.parametrize(
    ("zone", "post_time", "day_start", "expected_utc"),
    [
        ("Europe/Berlin", "02:30", "2026-03-29", "2026-03-29T01:00:00+00:00"),
        ("Europe/Berlin", "02:30", "2026-10-25", "2026-10-25T00:30:00+00:00"),
        ("America/New_York", "02:30", "2026-03-08", "2026-03-08T07:00:00+00:00"),
        ("America/New_York", "01:30", "2026-11-01", "2026-11-01T05:30:00+00:00"),
    ],
)
async def test_daylight_saving_days_post_once_at_the_right_moment(
    ctx: Context, clock: Clock, zone: str, post_time: str, day_start: str, expected_utc: str
) -> None:
    """Sweeping the whole day minute by minute posts exactly once, at the expected moment."""
    moment = at(f"{day_start}T00:00:00+00:00") - timedelta(hours=6)
    clock.now = moment
    await subscribe(ctx, post_time, zone)
    poster = RecordingPoster()
    posted_at = []
    while moment < at(f"{day_start}T00:00:00+00:00") + timedelta(hours=18):
        if Outcome.POSTED in await run_pass(ctx, poster, moment):
            posted_at.append(moment)
        moment += timedelta(minutes=15)
    assert posted_at == [at(expected_utc)]


async def test_a_restart_just_after_a_claim_never_posts_twice(ctx: Context) -> None:
    """A fresh claim blocks others; a stale one (crash before send) is taken over once."""
    await subscribe(ctx, "09:00", "UTC")
    claimed_at = at("2026-11-20T09:00:00+00:00")
    day = claimed_at.date()
    assert await ctx.store.plan_daily(CHANNEL, day, ["sdet"], claimed_at) is not None
    assert await ctx.store.claim_daily(CHANNEL, day, claimed_at, claimed_at)
    poster = RecordingPoster()
    assert await run_pass(ctx, poster, claimed_at + timedelta(minutes=1)) == [Outcome.ALREADY_DONE]
    assert await run_pass(ctx, poster, claimed_at + timedelta(minutes=11)) == [Outcome.POSTED]
    assert await run_pass(ctx, poster, claimed_at + timedelta(minutes=12)) == [Outcome.ALREADY_DONE]
    assert len(poster.sent) == 1 and poster.sent[0][1].cards[0].title == "SDET"


async def test_two_schedulers_on_one_database_post_once(
    tmp_path: Path, catalog: Catalog, ctx: Context
) -> None:
    """Two instances sharing a file race for the same post; one wins."""
    path = tmp_path / "shared.sqlite3"
    stores = [await open_store(path, rng=random.Random(n)) for n in (1, 2)]
    now = at("2026-11-20T09:00:00+00:00")
    contexts = [Context(catalog, s, clock=lambda: now) for s in stores]
    await subscribe(
        dataclasses.replace(contexts[0], clock=lambda: now - timedelta(hours=1)), "09:00", "UTC"
    )
    poster = RecordingPoster()
    results = await asyncio.gather(
        *(post_due(c, {"console": poster}, now, no_sleep) for c in contexts)
    )
    outcomes = sorted(r.outcome.value for batch in results for r in batch)
    assert outcomes == ["already done", "posted"] and len(poster.sent) == 1
    for store in stores:
        await store.close()


async def test_catch_up_same_day_but_a_missed_day_is_skipped(ctx: Context) -> None:
    """Down at 09:00, back at 15:00: posts. Down a whole day: that day is never backfilled."""
    await subscribe(ctx, "09:00", "UTC")
    poster = RecordingPoster()
    assert await run_pass(ctx, poster, at("2026-11-20T15:00:00+00:00")) == [Outcome.POSTED]
    # 21 November passes with the bot down; it returns on the 22nd before and after 09:00
    assert await run_pass(ctx, poster, at("2026-11-22T08:00:00+00:00")) == []
    assert await run_pass(ctx, poster, at("2026-11-22T09:30:00+00:00")) == [Outcome.POSTED]
    dates = [r.cards[0].header for _, r in poster.sent]
    assert dates == [
        "Specimen of the day, Friday 20 November",
        "Specimen of the day, Sunday 22 November",
    ]
    assert await ctx.store.daily(CHANNEL, at("2026-11-21T12:00:00+00:00").date()) is None


async def test_subscribing_after_todays_time_starts_tomorrow(ctx: Context, clock: Clock) -> None:
    """A 09:00 subscription made at 10:00 does not post at once."""
    clock.now = at("2026-11-20T10:00:00+00:00")
    await subscribe(ctx, "09:00", "UTC")
    poster = RecordingPoster()
    assert await run_pass(ctx, poster, at("2026-11-20T10:01:00+00:00")) == []
    assert await run_pass(ctx, poster, at("2026-11-21T09:00:00+00:00")) == [Outcome.POSTED]


async def test_moving_to_another_zone_mid_day_does_not_post_twice(
    ctx: Context, clock: Clock
) -> None:
    """Posted at 09:00 Berlin; moved to New York at noon; New York's 09:00 the same date is skipped."""
    await subscribe(ctx, "09:00", "Europe/Berlin")
    poster = RecordingPoster()
    assert await run_pass(ctx, poster, at("2026-11-20T08:00:00+00:00")) == [Outcome.POSTED]
    clock.now = at("2026-11-20T11:00:00+00:00")
    await subscribe(ctx, "09:00", "America/New_York")
    assert await run_pass(ctx, poster, at("2026-11-20T14:00:00+00:00")) == [Outcome.ALREADY_DONE]
    assert await run_pass(ctx, poster, at("2026-11-21T14:00:00+00:00")) == [Outcome.POSTED]
    assert len(poster.sent) == 2


@pytest.mark.parametrize(
    "reason",
    [
        "Discord answered 403 Forbidden: Missing Access",
        "Discord answered 404 Not Found: Unknown Channel",
        "Slack answered channel_not_found",
        "Slack answered not_in_channel",
        "Slack answered is_archived",
    ],
)
async def test_a_permanent_failure_pauses_with_the_reason_and_does_not_retry(
    ctx: Context, reason: str
) -> None:
    """The subscription pauses; status says why; later passes do not call the platform."""
    await subscribe(ctx, "09:00", "UTC")
    poster = RecordingPoster([DeliveryError(reason, permanent=True)])
    assert await run_pass(ctx, poster, at("2026-11-20T09:00:00+00:00")) == [Outcome.PAUSED]
    assert await run_pass(ctx, poster, at("2026-11-20T09:30:00+00:00")) == []
    assert await run_pass(ctx, poster, at("2026-11-21T09:30:00+00:00")) == []
    assert poster.calls == 1
    status = (await dispatch(ctx, invocation("specimen", "status"))).cards[0]
    assert any(f.name == "Paused" and reason in f.value for f in status.fields)
    await subscribe(ctx, "09:00", "UTC")
    assert await run_pass(ctx, poster, at("2026-11-22T09:00:00+00:00")) == [Outcome.POSTED]


async def test_transient_failures_retry_with_backoff_then_post(ctx: Context) -> None:
    """Rate limits and network errors are retried within the pass."""
    await subscribe(ctx, "09:00", "UTC")
    flaky = [DeliveryError("429 rate limited", permanent=False)] * 2
    poster = RecordingPoster(flaky)
    delays: list[float] = []

    async def record(seconds: float) -> None:
        delays.append(seconds)

    ctx.clock.now = at("2026-11-20T09:00:00+00:00")  # type: ignore[attr-defined]
    results = await post_due(ctx, {"console": poster}, ctx.clock(), record)
    assert [r.outcome for r in results] == [Outcome.POSTED]
    assert delays == [2.0, 8.0] and poster.calls == 3


async def test_exhausted_retries_release_the_claim_for_a_later_pass(ctx: Context) -> None:
    """After the last retry the post is released, and the next pass posts it."""
    await subscribe(ctx, "09:00", "UTC")
    poster = RecordingPoster([DeliveryError("network down", permanent=False)] * 4)
    assert await run_pass(ctx, poster, at("2026-11-20T09:00:00+00:00")) == [Outcome.FAILED]
    assert await run_pass(ctx, poster, at("2026-11-20T09:01:00+00:00")) == [Outcome.POSTED]


async def test_one_channels_backoff_never_delays_another(ctx: Context) -> None:
    """While one channel waits out a rate limit, the other has already posted."""
    await subscribe(ctx, "09:00", "UTC", channel="slow")
    await subscribe(ctx, "09:00", "UTC", channel="fast")
    release = asyncio.Event()

    class SplitPoster(RecordingPoster):
        async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
            if channel_id == "slow" and not release.is_set():
                raise DeliveryError("429", permanent=False)
            return await super().post(workspace_id, channel_id, reply)

    poster = SplitPoster()

    async def held_sleep(_seconds: float) -> None:
        await release.wait()

    ctx.clock.now = at("2026-11-20T09:00:00+00:00")  # type: ignore[attr-defined]
    task = asyncio.create_task(post_due(ctx, {"console": poster}, ctx.clock(), held_sleep))
    await poster.wait_for(1)
    assert [c for c, _ in poster.sent] == ["fast"]
    release.set()
    await asyncio.wait_for(task, timeout=5)
    assert sorted(c for c, _ in poster.sent) == ["fast", "slow"]


async def test_a_platform_this_instance_does_not_serve_is_left_alone(ctx: Context) -> None:
    """No poster for the platform: not claimed, not paused."""
    await subscribe(ctx, "09:00", "UTC")
    ctx.clock.now = at("2026-11-20T09:00:00+00:00")  # type: ignore[attr-defined]
    results = await post_due(ctx, {}, ctx.clock(), no_sleep)
    assert [r.outcome for r in results] == [Outcome.NO_PLATFORM]
    assert (await ctx.store.subscription(CHANNEL)).paused_reason is None  # type: ignore[union-attr]


async def test_the_scheduler_sleeps_until_due_and_wakes_on_a_new_subscription(
    ctx: Context, clock: Clock
) -> None:
    """It posts what is due, then waits; a subscription change wakes it at once."""
    clock.now = at("2026-11-20T08:00:00+00:00")
    await subscribe(ctx, "08:00", "UTC", channel="first")
    poster = RecordingPoster()
    stop = asyncio.Event()
    task = asyncio.create_task(Scheduler(ctx, {"console": poster}, no_sleep).run(stop))
    await poster.wait_for(1)
    clock.now = at("2026-11-20T08:30:00+00:00")
    await subscribe(ctx, "08:30", "UTC", channel="second")
    await poster.wait_for(2)
    stop.set()
    await asyncio.wait_for(task, timeout=5)
    assert [c for c, _ in poster.sent] == ["first", "second"]


def test_post_due_command_posts_console_subscriptions(tmp_path: Path) -> None:
    """`roastbot post-due --now` posts a due console subscription once, then nothing."""
    from tests.cli.test_cli import roastbot

    subscribe_line = "/specimen subscribe 09:00 Europe/Berlin\n"
    assert roastbot("chat", "--channel", "t", stdin=subscribe_line, cwd=tmp_path).returncode == 0
    first = roastbot("post-due", "--now", "2099-01-02T08:30:00+00:00", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "console:local:t 2099-01-02: posted" in first.stdout
    assert "SPECIMEN OF THE DAY, FRIDAY 2 JANUARY" in first.stdout
    again = roastbot("post-due", "--now", "2099-01-02T10:00:00+00:00", cwd=tmp_path)
    assert "already done" in again.stdout
    bad = roastbot("post-due", "--now", "tomorrow", cwd=tmp_path)
    assert bad.returncode == 2 and "is not ISO-8601" in bad.stderr


async def test_a_post_that_could_not_be_recorded_keeps_its_claim(ctx: Context) -> None:
    """Sent but not recorded (database trouble): the claim stays, so a later pass skips it."""
    await subscribe(ctx, "09:00", "UTC")
    poster = RecordingPoster()
    store = ctx.store

    async def broken_record(*_args: object) -> None:
        raise RuntimeError("disk full")

    original = store.record_daily
    store.record_daily = broken_record  # type: ignore[method-assign]
    try:
        assert await run_pass(ctx, poster, at("2026-11-20T09:00:00+00:00")) == [Outcome.POSTED]
    finally:
        store.record_daily = original  # type: ignore[method-assign]
    assert await run_pass(ctx, poster, at("2026-11-20T09:05:00+00:00")) == [Outcome.ALREADY_DONE]
    assert len(poster.sent) == 1


async def test_an_unexpected_error_stays_in_its_channel(ctx: Context) -> None:
    """A poster that crashes fails its own post, releases the claim, and a later pass posts."""
    await subscribe(ctx, "09:00", "UTC")

    class CrashingOnce(RecordingPoster):
        async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
            if self.calls == 0:
                self.calls += 1
                raise KeyError("surprise")
            return await super().post(workspace_id, channel_id, reply)

    poster = CrashingOnce()
    assert await run_pass(ctx, poster, at("2026-11-20T09:00:00+00:00")) == [Outcome.FAILED]
    assert await run_pass(ctx, poster, at("2026-11-20T09:01:00+00:00")) == [Outcome.POSTED]


async def test_the_scheduler_posts_once_a_platform_connects_late(
    ctx: Context, clock: Clock
) -> None:
    """Started before the platform logged in, it posts as soon as the poster is registered."""
    clock.now = at("2026-11-20T08:00:00+00:00")
    await subscribe(ctx, "08:00", "UTC")
    poster = RecordingPoster()
    posters: dict[str, RecordingPoster] = {}
    stop = asyncio.Event()
    task = asyncio.create_task(Scheduler(ctx, posters, no_sleep).run(stop))
    for _ in range(50):  # let the first pass run and find no platform
        await asyncio.sleep(0)
    posters["console"] = poster
    ctx.schedule_changed.set()
    await poster.wait_for(1)
    stop.set()
    await asyncio.wait_for(task, timeout=5)


async def test_subscribing_again_unchanged_keeps_a_pending_catch_up(
    ctx: Context, clock: Clock
) -> None:
    """Down at 09:00, re-subscribed unchanged at 10:00: today's post still goes out, once."""
    await subscribe(ctx, "09:00", "UTC")
    before = await ctx.store.subscription(CHANNEL)
    clock.now = at("2026-11-20T10:00:00+00:00")
    reply = await subscribe(ctx, "9:00", "utc")
    assert "Next: Friday 20 November, 10:00 UTC" in reply.cards[0].description
    assert await ctx.store.subscription(CHANNEL) == before
    poster = RecordingPoster()
    assert await run_pass(ctx, poster, at("2026-11-20T10:01:00+00:00")) == [Outcome.POSTED]
    assert await run_pass(ctx, poster, at("2026-11-20T10:02:00+00:00")) == [Outcome.ALREADY_DONE]


async def test_changing_only_the_time_after_todays_post_does_not_post_again(
    ctx: Context, clock: Clock
) -> None:
    """Posted at 09:00, moved to 17:00 at noon: nothing at 17:00 today, 17:00 tomorrow."""
    await subscribe(ctx, "09:00", "UTC")
    poster = RecordingPoster()
    assert await run_pass(ctx, poster, at("2026-11-20T09:00:00+00:00")) == [Outcome.POSTED]
    clock.now = at("2026-11-20T12:00:00+00:00")
    reply = await subscribe(ctx, "17:00", "UTC")
    assert "Next: Saturday 21 November, 17:00 UTC" in reply.cards[0].description
    assert await run_pass(ctx, poster, at("2026-11-20T17:00:00+00:00")) == [Outcome.ALREADY_DONE]
    assert await run_pass(ctx, poster, at("2026-11-21T17:00:00+00:00")) == [Outcome.POSTED]
    assert len(poster.sent) == 2


async def test_subscribing_in_a_zone_whose_tomorrow_never_came_answers(
    ctx: Context, clock: Clock
) -> None:
    """00:00 Pacific/Apia on 2011-12-29: saved, and the reply names the 31st (the 30th never was)."""
    clock.now = at("2011-12-29T12:00:00-10:00")
    reply = await subscribe(ctx, "00:00", "Pacific/Apia")
    assert reply.cards[0].tone is Tone.SUCCESS
    assert "Next: Saturday 31 December, 00:00" in reply.cards[0].description
    assert await ctx.store.subscription(CHANNEL) is not None
