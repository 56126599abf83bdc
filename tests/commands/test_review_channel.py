"""The review channel through the console poster: posts, edits, direct messages, credit."""

from __future__ import annotations

import dataclasses
import io

import pytest
from rich.console import Console

from bot.adapters.console.poster import ConsolePoster
from bot.cards.model import Action, Reply, Tone
from bot.commands.registry import dispatch
from bot.commands.textargs import parse_line
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.runtime.poster import MessagePoster
from bot.store import ReviewPost

LINE = "The flaky test is the only honest one"
WORKSPACE = "console:w1"


class Terminal:
    """The console poster over a terminal that is read back as plain text."""

    def __init__(self) -> None:
        self.out = io.StringIO()
        self.poster = ConsolePoster(Console(file=self.out, width=100, color_system=None))

    def take(self) -> str:
        """Everything printed since the last take."""
        text = self.out.getvalue()
        self.out.seek(0)
        self.out.truncate()
        return text


@pytest.fixture
def terminal(context: Context) -> Terminal:
    """A console poster connected to the context."""
    made = Terminal()
    context.connect_poster(made.poster)
    return made


async def typed(
    context: Context, line: str, *, admin: bool = False, user: str = "u1", channel: str = "c1"
) -> Reply:
    """Dispatch a line as the console parses it."""
    parsed = parse_line(line)
    assert parsed is not None
    return await dispatch(
        context,
        Invocation(
            "console", "w1", channel, user, admin, parsed.command, parsed.subcommand, parsed.options
        ),
    )


async def press(context: Context, action: Action, *, admin: bool, user: str) -> Reply:
    """Press a button's action in the review channel."""
    base = Invocation("console", "w1", "reviews", user, admin, "burnward")
    return await dispatch(context, base.with_action(action))


async def _suggested_for_review(context: Context) -> None:
    """#reviews made the review channel by an admin, then u1 suggests LINE for SDET."""
    await typed(context, "/burnward reviews here", admin=True, channel="reviews")
    await typed(context, f"/burnward suggest SDET | {LINE}")


def test_the_console_poster_edits_and_sends_direct_messages() -> None:
    """The console poster is a `MessagePoster`, as the Discord and Slack ones are."""
    assert isinstance(Terminal().poster, MessagePoster)


async def test_an_admin_sets_shows_and_stops_the_review_channel(context: Context) -> None:
    """`reviews here` stores the channel, bare `reviews` says where, `reviews off` stops it."""
    assert (await typed(context, "/burnward reviews")).cards[0].description == (
        "No review channel: suggestions wait in /burnward review."
        " An admin sets one with /burnward reviews here."
    )
    here = await typed(context, "/burnward reviews here", admin=True, channel="reviews")
    assert here.private and here.cards[0].tone is Tone.SUCCESS
    assert await context.store.review_channel(WORKSPACE) == "reviews"
    assert (await typed(context, "/burnward reviews", channel="reviews")).cards[0].description == (
        "New suggestions are posted for review in this channel."
    )
    assert (await typed(context, "/burnward reviews")).cards[0].description == (
        "New suggestions are posted for review in channel reviews."
    )
    off = await typed(context, "/burnward reviews off", admin=True)
    assert off.cards[0].description == (
        "Suggestions are no longer posted in channel reviews; they wait in /burnward review."
    )
    assert await context.store.review_channel(WORKSPACE) is None


async def test_members_cannot_choose_the_review_channel(context: Context) -> None:
    """A member's `reviews here` or `off` is refused and stores nothing; junk gets the usage."""
    for line in ("/burnward reviews here", "/burnward reviews off"):
        reply = await typed(context, line)
        assert reply.cards[0].description == (
            "Only admins of this workspace can choose the review channel. Nothing was changed."
        )
    assert await context.store.review_channel(WORKSPACE) is None
    junk = await typed(context, "/burnward reviews everywhere", admin=True)
    assert junk.cards[0].tone is Tone.ERROR
    assert junk.cards[0].description.startswith("Use /burnward reviews here")


async def test_a_new_suggestion_is_posted_in_the_review_channel_with_buttons(
    context: Context, terminal: Terminal
) -> None:
    """The suggestion's review card, with Approve and Reject, goes to the review channel."""
    await typed(context, "/burnward reviews here", admin=True, channel="reviews")
    notice = terminal.take()
    assert notice.startswith("#reviews\n") and "the burn ward's review channel now" in notice
    reply = await typed(context, f"/burnward suggest SDET | {LINE} | standup")
    assert reply.cards[0].description == "Suggestion 1 for SDET is in; admins will review it."
    posted = terminal.take()
    assert posted.startswith("#reviews\n")
    assert "Suggestion 1 · SDET" in posted and LINE in posted
    assert "[1] Approve 1" in posted and "[2] Reject 1" in posted
    assert "only you can see this" not in posted
    assert await context.store.review_post(WORKSPACE, 1) == ReviewPost(1, "reviews", "console-2")


async def test_approval_by_button_edits_the_review_message_and_tells_the_suggester(
    context: Context, terminal: Terminal
) -> None:
    """Approve from the review channel: the message shows who approved it, the member is told."""
    await _suggested_for_review(context)
    terminal.take()
    reply = await press(
        context, Action("burnward", "approve", (("id", "1"),)), admin=True, user="boss"
    )
    assert reply.cards[0].description == (
        "Approved suggestion 1: it is quote #1 of the burn ward now, suggested by u1,"
        " approved by boss."
    )
    edited, _, direct = terminal.take().partition("direct message to u1:")
    assert edited.startswith("#reviews · console-2 now reads:\n")
    assert "Suggestion 1 · SDET · approved" in edited
    assert "Approved by" in edited and "boss, 2026-11-21 09:00 UTC · quote #1" in edited
    assert "Approve 1" not in edited and "[1]" not in edited
    assert "Your suggestion 1 for SDET was approved: it is quote #1" in direct
    assert LINE in direct


async def test_typed_reject_edits_the_review_message_and_gives_the_reason(
    context: Context, terminal: Terminal
) -> None:
    """A typed reject, from any channel, edits the review message; the DM carries the reason."""
    await _suggested_for_review(context)
    terminal.take()
    await typed(context, "/burnward reject 1 already in S3", admin=True, user="boss")
    edited, _, direct = terminal.take().partition("direct message to u1:")
    assert edited.startswith("#reviews · console-2 now reads:\n")
    assert "Suggestion 1 · SDET · rejected" in edited and "already in S3" in edited
    assert "Rejected by" in edited and "Reject 1" not in edited
    assert "Your suggestion 1 for SDET was rejected." in direct
    assert "Reason" in direct and "already in S3" in direct


async def test_a_member_pressing_approve_in_the_review_channel_changes_nothing(
    context: Context, terminal: Terminal
) -> None:
    """A member's Approve or Reject there (a forged one too) edits nothing and tells no one."""
    await _suggested_for_review(context)
    terminal.take()
    for verb in ("approve", "reject"):
        reply = await press(
            context, Action("burnward", verb, (("id", "1"),)), admin=False, user="u2"
        )
        assert reply.cards[0].tone is Tone.ERROR
    assert terminal.take() == ""
    assert [s.status for s in await context.store.suggestions(WORKSPACE)] == ["pending"]


async def test_the_edit_finds_its_message_after_a_restart(
    context: Context, terminal: Terminal
) -> None:
    """The review message is found in the store, so a new process (and poster) edits it."""
    await _suggested_for_review(context)
    restarted = dataclasses.replace(context, posters={})
    fresh = Terminal()
    restarted.connect_poster(fresh.poster)
    await typed(restarted, "/burnward approve 1", admin=True, user="boss")
    assert fresh.take().startswith("#reviews · console-2 now reads:\n")


async def test_no_review_channel_means_no_post_and_no_edit(
    context: Context, terminal: Terminal
) -> None:
    """Without a review channel (or after `off`), nothing is posted or edited; the DM still goes."""
    await typed(context, f"/burnward suggest SDET | {LINE}")
    assert terminal.take() == ""
    await typed(context, "/burnward approve 1", admin=True, user="boss")
    printed = terminal.take()
    assert printed.startswith("direct message to u1:") and "now reads" not in printed


async def test_a_member_deciding_on_their_own_suggestion_gets_no_direct_message(
    context: Context, terminal: Terminal
) -> None:
    """An admin who approves their own suggestion is answered, not messaged as well."""
    await typed(context, f"/burnward suggest SDET | {LINE}", user="boss")
    await typed(context, "/burnward approve 1", admin=True, user="boss")
    assert terminal.take() == ""


async def test_the_list_credits_the_member_who_suggested_a_quote(context: Context) -> None:
    """An approved suggestion's quote is listed as suggested by its member; others are not."""
    await typed(context, f"/burnward suggest SDET | {LINE} | standup")
    await typed(context, "/burnward approve 1", admin=True, user="boss")
    await typed(context, "/burnward add SDET | Added by hand, no credit", admin=True, user="boss")
    card = (await typed(context, "/burnward list SDET 9")).cards[0]
    names = [field.name for field in card.fields]
    assert "#1 · standup · suggested by u1" in names
    assert "#2" in names
    [credit] = (await context.store.quote_credits(WORKSPACE, "sdet")).values()
    assert (credit.quote_id, credit.suggested_by, credit.approved_by) == (1, "u1", "boss")
