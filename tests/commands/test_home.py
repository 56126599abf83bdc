"""A workspace's home-page overview: guide, today's specimen, channels, pending suggestions."""

from __future__ import annotations

from datetime import date, timedelta

from bot.commands.home import SHOW_SPECIMEN, more_channels, overview, pending_line
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.store import DailyOptions, DailyStep, Place, Store
from tests.conftest import FIXED_NOW

TEAM = "T1"
EARLIER = FIXED_NOW - timedelta(days=2)
FAILED_ON = date(2026, 11, 20)
CHANNELS = ("C1", "C2", "C3")  # C2 paused, C3's last post failed to pin


def home_invocation(user: str = "U1", *, admin: bool = False, team: str = TEAM) -> Invocation:
    """What the Slack adapter passes when a member opens the Home tab: no channel."""
    return Invocation("slack", team, "", user, admin, "home")


async def seed_workspace(context: Context, team: str = TEAM) -> None:
    """Three subscribed channels (one paused, one whose last post failed to pin), another
    workspace's channel, and two pending suggestions and one decided."""
    store = context.store
    for channel in CHANNELS:
        await store.subscribe(
            Place("slack", team, channel),
            post_time="09:00" if channel != "C3" else "18:30",
            zone="Europe/Berlin" if channel != "C1" else "UTC",
            by="UADMIN",
            now=EARLIER,
            options=DailyOptions(pin=channel == "C3"),
        )
    await store.subscribe(
        Place("slack", "T2", "C9"), post_time="07:00", zone="UTC", by="U9", now=EARLIER
    )
    await store.pause(Place("slack", team, "C2"), "Slack said channel_not_found", FIXED_NOW)
    await _failed_pin(store, Place("slack", team, "C3"), [r.id for r in context.catalog.roles])
    for number in range(3):
        await store.add_suggestion(
            workspace=f"slack:{team}",
            role_id="sdet",
            text=f"Flaky test number {number} is a feature",
            source=None,
            fingerprint=f"flaky-{number}",
            suggested_by=f"U{number}",
            now=EARLIER,
            max_pending=5,
        )
    await store.reject_suggestion(
        workspace=f"slack:{team}", suggestion_id=1, decided_by="UADMIN", reason=None, now=EARLIER
    )


async def _failed_pin(store: Store, place: Place, roles: list[str]) -> None:
    """Yesterday's post went out in the channel, but pinning it failed for good."""
    stale = EARLIER - timedelta(hours=1)
    await store.plan_daily(place, FAILED_ON, roles, EARLIER)
    assert await store.claim_daily(place, FAILED_ON, EARLIER, stale)
    await store.record_daily(place, FAILED_ON, "1763660000.000100", EARLIER)
    assert await store.claim_step(place, FAILED_ON, "pin", EARLIER, stale)
    await store.record_step(place, FAILED_ON, DailyStep("pin", None, "not_pinnable"), EARLIER)


async def test_channels_say_what_specimen_status_says_there(context: Context) -> None:
    """Each subscribed channel of this workspace only, in order, with /specimen status's fields."""
    await seed_workspace(context)
    found = await overview(context, home_invocation())
    assert found.channel_total == 3
    assert [c.channel_id for c in found.channels] == list(CHANNELS)
    assert [c.paused for c in found.channels] == [False, True, False]
    for channel in found.channels:
        status = Invocation("slack", TEAM, channel.channel_id, "U1", False, "specimen", "status")
        assert channel.fields == (await dispatch(context, status)).cards[0].fields
    fields = {c.channel_id: {f.name: f.value for f in c.fields} for c in found.channels}
    assert fields["C1"]["Next post"] == "Saturday 21 November, 09:00 UTC"
    assert fields["C2"]["Paused"] == (
        "Slack said channel_not_found. An admin can resume with /specimen subscribe."
    )
    assert fields["C3"]["Steps that failed"] == "pin: not_pinnable"
    assert fields["C3"]["Next post"] == "Saturday 21 November, 18:30 CET"


async def test_todays_specimen_is_the_one_its_button_shows(context: Context) -> None:
    """The specimen planned for the workspace is what `/specimen today` there answers with."""
    found = await overview(context, home_invocation())
    assert found.specimen is not None
    assert found.specimen.heading == "Specimen of the day, Saturday 21 November"
    assert found.specimen.button == SHOW_SPECIMEN
    action = found.specimen.button.action
    pressed = home_invocation("U2").with_action(action)
    card = (await dispatch(context, pressed)).cards[0]
    assert (card.header, card.title) == (found.specimen.heading, found.specimen.title)
    role = next(r for r in context.catalog.roles if r.title == card.title)
    assert found.specimen.tagline == role.dossier.tagline == card.description
    again = await overview(context, home_invocation("U3"))
    assert again.specimen == found.specimen


async def test_only_admins_get_the_pending_count(context: Context) -> None:
    """An admin sees how many suggestions are pending (decided ones not counted); others none."""
    await seed_workspace(context)
    assert (await overview(context, home_invocation())).pending is None
    assert (await overview(context, home_invocation("UADMIN", admin=True))).pending == 2
    other = await overview(context, home_invocation("U9", admin=True, team="T3"))
    assert (other.pending, other.channel_total, other.channels) == (0, 0, ())


async def test_channels_past_the_limit_are_counted_not_described(context: Context) -> None:
    """With a limit, only that many channels are described; the total still counts them all."""
    await seed_workspace(context)
    found = await overview(context, home_invocation(), limit=2)
    assert found.channel_total == 3
    assert [c.channel_id for c in found.channels] == ["C1", "C2"]


def test_the_lines_count_in_words() -> None:
    """Singular and plural read right."""
    assert more_channels(1) == "…and 1 more channel. /specimen status in a channel tells its own."
    assert more_channels(12).startswith("…and 12 more channels.")
    assert pending_line(0) == "Burn ward: no suggestions wait for review."
    assert pending_line(1) == (
        "Burn ward: 1 suggestion waits for review. /burnward review lists them."
    )
    assert pending_line(3).startswith("Burn ward: 3 suggestions wait for review.")
