"""Votes through the dispatcher: the vote action, `/specimen history`, and /roaststats."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.cards.model import Reply, Tone
from bot.cards.votes import vote_action
from bot.commands.registry import dispatch
from bot.commands.textargs import parse_command
from bot.runtime.context import Context
from bot.store import ACCURATE, HARSH, Place
from tests.conftest import invocation

PLACE = Place("console", "w1", "c1")
DAY = date(2026, 11, 2)
NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)

ROLES = ("sdet", "product-manager", "staff-engineer")


async def post(context: Context, day: date, role_id: str, place: Place = PLACE) -> None:
    """A daily post of `role_id` that went out on `day`, with a quote on record."""
    assert await context.store.plan_daily(place, day, [role_id], NOW) is not None
    await context.store.record_daily(place, day, f"m{day}", NOW, "Ship it.", None)


async def press(context: Context, day: date, choice: str, user: str, channel: str = "c1") -> Reply:
    """Press a vote button as `user`; the reply."""
    action = vote_action(day, choice)
    call = invocation("specimen", user=user, channel=channel).with_action(action)
    return await dispatch(context, call)


async def test_a_vote_redraws_the_post_with_its_quote_and_counts(context: Context) -> None:
    """The reply is the post itself, edited in place: header, its recorded quote, new counts."""
    await post(context, DAY, "sdet")
    reply = await press(context, DAY, ACCURATE, "u1")
    reply = await press(context, DAY, HARSH, "u2")
    assert reply.in_place and not reply.private
    (card,) = reply.cards
    assert card.header == "Specimen of the day, Monday 2 November"
    assert card.title == "SDET" and card.menu is None
    assert card.quote is not None and card.quote.text == "Ship it."
    assert [b.label for b in card.buttons[:2]] == ["Accurate · 1", "Too harsh · 1"]
    assert card.buttons[0].action.encode() == "rb1|specimen|vote|day=2026-11-02|vote=accurate"


@pytest.mark.parametrize(
    ("options", "line"),
    [
        ({"day": "2026-11-02", "vote": "maybe"}, "This button is out of date."),
        ({"day": "yesterday", "vote": ACCURATE}, "This button is out of date."),
        ({"vote": ACCURATE}, "This button is out of date."),
        (
            {"day": "2026-11-03", "vote": ACCURATE},
            "No specimen of the day went out here on 03 November 2026 to vote on.",
        ),
    ],
)
async def test_a_bad_vote_is_refused_in_one_private_line(
    context: Context, options: dict[str, str], line: str
) -> None:
    """Junk or a date with no post: one private line, and no vote is stored."""
    await post(context, DAY, "sdet")
    reply = await dispatch(context, invocation("specimen", "vote", **options))
    assert reply.private and reply.cards[0].tone is Tone.ERROR
    assert reply.cards[0].description.startswith(line) and "\n" not in reply.cards[0].description
    _, [entry] = await context.store.daily_history(PLACE, 0, 10)
    assert (entry.votes.accurate, entry.votes.harsh) == (0, 0)


async def test_a_vote_in_another_channel_does_not_reach_this_post(context: Context) -> None:
    """The post is the channel's: the same button pressed elsewhere finds no post there."""
    await post(context, DAY, "sdet")
    reply = await press(context, DAY, ACCURATE, "u1", channel="c2")
    assert reply.private
    _, [entry] = await context.store.daily_history(PLACE, 0, 10)
    assert entry.votes.accurate == 0


async def test_history_heads_with_the_months_most_accurate_and_pages(context: Context) -> None:
    """Twelve posts: ten on page one under the month's top three, two on page two."""
    for offset in range(12):
        await post(context, DAY + timedelta(days=offset), ROLES[offset % 3])
    await press(context, DAY, ACCURATE, "u1")  # sdet
    await press(context, DAY + timedelta(days=3), ACCURATE, "u2")  # sdet again
    await press(context, DAY + timedelta(days=1), ACCURATE, "u1")  # product-manager
    await press(context, DAY + timedelta(days=2), HARSH, "u1")  # staff-engineer
    first = await dispatch(context, invocation("specimen", "history"))
    assert first.private
    (card,) = first.cards
    lines = card.description.split("\n")
    assert lines[0] == "Most accurate in November 2026: 1. SDET (2) · 2. Product Manager (1)"
    assert lines[1] == "" and len(lines) == 12
    assert lines[2] == "Fri 13 Nov 2026 · Staff Engineer · Accurate 0 · Too harsh 0"
    assert card.footer.startswith("Page 1 of 2 · 12 posts")
    assert [(b.label, b.action.encode()) for b in card.buttons] == [
        ("Older posts", "rb1|specimen|history|page=2")
    ]
    second = await dispatch(context, invocation("specimen", "history", page="2"))
    lines = second.cards[0].description.split("\n")
    assert lines[2:] == [
        "Tue 03 Nov 2026 · Product Manager · Accurate 1 · Too harsh 0",
        "Mon 02 Nov 2026 · SDET · Accurate 1 · Too harsh 0",
    ]
    assert [b.label for b in second.cards[0].buttons] == ["Newer posts"]
    beyond = await dispatch(context, invocation("specimen", "history", page="99"))
    assert beyond.cards[0].description == second.cards[0].description


async def test_history_when_nothing_went_out_and_for_a_bad_page(context: Context) -> None:
    """No posts: one line saying so. A page that is no number: one private line."""
    empty = await dispatch(context, invocation("specimen", "history"))
    assert empty.private
    assert empty.cards[0].description == "No specimen of the day has gone out here yet."
    bad = await dispatch(context, invocation("specimen", "history", page="two"))
    assert bad.private and bad.cards[0].tone is Tone.ERROR
    assert bad.cards[0].description == (
        "Give a page number, e.g. /specimen history 2; 'two' is not."
    )


def test_history_is_typed_with_its_page() -> None:
    """Slack and the console: `/specimen history 2` carries the page."""
    parsed = parse_command("/specimen", "history 2")
    assert (parsed.subcommand, parsed.options) == ("history", {"page": "2"})
    assert parse_command("/specimen", "history").options == {}


async def test_roaststats_shows_the_months_most_accurate(context: Context) -> None:
    """The workspace's votes of the month fill "Voted most accurate", every channel counted."""
    other = Place("console", "w1", "c2")
    await post(context, DAY, "sdet")
    await post(context, DAY, "product-manager", other)
    await post(context, date(2026, 10, 30), "staff-engineer")
    await press(context, DAY, ACCURATE, "u1")
    await press(context, DAY, ACCURATE, "u1", channel="c2")
    await press(context, DAY, ACCURATE, "u2", channel="c2")
    await press(context, date(2026, 10, 30), ACCURATE, "u1")  # October: not counted
    reply = await dispatch(context, invocation("roaststats", text="2026-11"))
    fields = {f.name: f.value for f in reply.cards[0].fields}
    assert fields["Voted most accurate"] == "1. Product Manager: 2\n2. SDET: 1"
    assert reply.cards[0].description == (
        "The top 8 of each list, days counted in UTC, votes by the date of the post."
    )
    assert [a.filename for a in reply.attachments] == ["roaststats-2026-11.png"]
    october = await dispatch(context, invocation("roaststats", text="2026-10"))
    fields = {f.name: f.value for f in october.cards[0].fields}
    assert fields == {"Voted most accurate": "1. Staff Engineer: 1"}


async def test_a_vote_on_a_specimen_gone_from_the_catalog_is_still_counted(
    context: Context,
) -> None:
    """A post whose role left the catalog: the vote counts, and a private line says so."""
    await post(context, DAY, "retired-role")
    reply = await press(context, DAY, ACCURATE, "u1")
    assert reply.private
    assert reply.cards[0].description.startswith("Vote counted: Accurate 1 · Too harsh 0.")
