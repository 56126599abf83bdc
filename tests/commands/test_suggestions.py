"""Members suggest burn-ward quotes, admins review them: typed, as the console and Slack parse."""

from __future__ import annotations

from bot.cards.model import Action, Reply, Tone
from bot.commands.registry import dispatch
from bot.commands.textargs import parse_line
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from tests.conftest import invocation

EA = "enterprise-architect"
LINE = "The roadmap is a vibe with a Gantt chart"


async def typed(context: Context, line: str, *, admin: bool = False, user: str = "u1") -> Reply:
    """Dispatch a line as the console and Slack parse it."""
    parsed = parse_line(line)
    assert parsed is not None
    return await dispatch(
        context,
        Invocation(
            "console", "w1", "c1", user, admin, parsed.command, parsed.subcommand, parsed.options
        ),
    )


async def _roast_quotes(context: Context, rounds: int) -> set[str]:
    """Every burn-ward quote `rounds` roasts of the Enterprise Architect show in channel c1."""
    shown = set()
    for _ in range(rounds):
        card = (await dispatch(context, invocation("roast", role=EA))).cards[0]
        assert card.quote is not None
        shown.add(card.quote.text)
    return shown


def _seed_count(context: Context) -> int:
    role = context.catalog.get(EA)
    assert role is not None
    return len(role.dossier.burn_ward)


async def test_a_suggestion_is_private_with_its_id_and_not_shown_until_approved(
    context: Context,
) -> None:
    """The member gets the id privately; the quote shows in no roast while pending."""
    reply = await typed(context, f"/burnward suggest Enterprise Architect | {LINE} | standup")
    assert reply.private and reply.cards[0].tone is Tone.SUCCESS
    assert reply.cards[0].description == (
        "Suggestion 1 for Enterprise Architect is in; admins will review it."
    )
    assert LINE not in await _roast_quotes(context, 2 * _seed_count(context) + 2)


async def test_typed_approval_puts_it_in_the_rotation_within_one_round(context: Context) -> None:
    """/burnward approve 1 makes a quote that the next full round of roasts shows."""
    await typed(context, f"/burnward suggest Enterprise Architect | {LINE}")
    reply = await typed(context, "/burnward approve 1", admin=True, user="boss")
    assert reply.cards[0].description == (
        "Approved suggestion 1: it is quote #1 of the burn ward now,"
        " suggested by u1, approved by boss."
    )
    assert LINE in await _roast_quotes(context, _seed_count(context) + 1)
    mine = (await typed(context, "/burnward mine")).cards[0]
    assert [f.name for f in mine.fields] == ["1 · Enterprise Architect · approved as quote #1"]


async def test_approval_by_button_from_the_review_card(context: Context) -> None:
    """The review lists the suggestion with Approve and Reject; pressing Approve adds it."""
    await typed(context, f"/burnward suggest Enterprise Architect | {LINE} | standup")
    review = await typed(context, "/burnward review", admin=True)
    header, card = review.cards
    assert review.private and header.description.startswith("1 waiting.")
    assert card.title == "Suggestion 1 · Enterprise Architect"
    assert card.description == f"“{LINE}”"
    assert [f.name for f in card.fields] == ["Suggested by", "Source"]
    assert card.fields[0].value == "u1, 2026-11-21 09:00 UTC"
    approve, reject = card.buttons
    assert (approve.label, approve.action) == (
        "Approve 1",
        Action("burnward", "approve", (("id", "1"),)),
    )
    assert reject.action == Action("burnward", "reject", (("id", "1"),))
    pressed = invocation("burnward", admin=True, user="boss").with_action(approve.action)
    assert (await dispatch(context, pressed)).cards[0].tone is Tone.SUCCESS
    assert LINE in await _roast_quotes(context, _seed_count(context) + 1)
    assert (await typed(context, "/burnward review", admin=True)).cards[0].description == (
        "No suggestions are waiting for review."
    )


async def test_a_rejection_never_shows_and_keeps_its_reason(context: Context) -> None:
    """A rejected suggestion is on record with its reason and never in a roast."""
    await typed(context, f"/burnward suggest Enterprise Architect | {LINE}")
    reply = await typed(context, "/burnward reject 1 too close to S2", admin=True)
    assert reply.cards[0].description == (
        "Rejected suggestion 1. It stays on record but never shows."
    )
    assert LINE not in await _roast_quotes(context, 2 * _seed_count(context) + 2)
    mine = (await typed(context, "/burnward mine")).cards[0]
    assert mine.fields[0].name == "1 · Enterprise Architect · rejected: too close to S2"
    again = await typed(context, "/burnward approve 1", admin=True, user="boss")
    assert again.cards[0].description == (
        "Suggestion 1 was already rejected by u1. Nothing was changed."
    )


async def test_a_member_pressing_approve_changes_nothing(context: Context) -> None:
    """A non-admin's Approve or Reject, typed or from a forged button, is refused and idle."""
    await typed(context, f"/burnward suggest Enterprise Architect | {LINE}")
    forged = Action("burnward", "approve", (("id", "1"),))
    for attempt in (
        invocation("burnward", user="u2").with_action(forged),
        invocation("burnward", user="u2").with_action(Action("burnward", "reject", forged.options)),
        invocation("burnward", "review", user="u2"),
    ):
        reply = await dispatch(context, attempt)
        assert reply.cards[0].description == (
            "Only admins of this workspace can review suggestions. Nothing was changed."
        )
    assert [s.status for s in await context.store.suggestions("console:w1")] == ["pending"]
    assert await context.store.live_quotes("console:w1", EA) == []


async def test_an_admin_of_another_workspace_cannot_approve(context: Context) -> None:
    """Suggestion ids are per workspace: another workspace's admin finds nothing to approve."""
    await typed(context, f"/burnward suggest Enterprise Architect | {LINE}")
    reply = await dispatch(
        context, invocation("burnward", "approve", admin=True, workspace="w2", id="1")
    )
    assert reply.cards[0].description == (
        "This workspace has no suggestion 1. Nothing was changed."
    )


async def test_a_sixth_pending_suggestion_is_refused(context: Context) -> None:
    """Five pending per member; the sixth is refused with the reason, and nothing is stored."""
    for n in range(5):
        ok = await typed(context, f"/burnward suggest SDET | flaky line number {n} of many")
        assert ok.cards[0].tone is Tone.SUCCESS
    reply = await typed(context, "/burnward suggest SDET | something else entirely")
    assert reply.cards[0].tone is Tone.ERROR
    assert reply.cards[0].description == (
        "You have 5 suggestions waiting for review, the most allowed;"
        " wait for a decision (see /burnward mine). Nothing was added."
    )
    assert len(await context.store.suggestions("console:w1")) == 5


async def test_exact_duplicates_are_refused_with_the_existing_id(context: Context) -> None:
    """A pending twin, a live twin and a dossier quote are each refused with their id."""
    await typed(context, f"/burnward suggest Enterprise Architect | {LINE}")
    pending = await typed(context, f"/burnward suggest Enterprise Architect | {LINE.upper()}!")
    assert pending.cards[0].description == (
        "That quote is already waiting for review as suggestion 1. Nothing was added."
    )
    await typed(context, "/burnward approve 1", admin=True)
    live = await typed(context, f"/burnward suggest Enterprise Architect | {LINE}", user="u2")
    assert live.cards[0].description == (
        "This workspace already has that quote as #1. Nothing was added."
    )
    role = context.catalog.get(EA)
    assert role is not None
    seed = role.dossier.burn_ward[0].quote
    dossier = await typed(context, f"/burnward suggest Enterprise Architect | {seed}")
    assert dossier.cards[0].description == (
        "Enterprise Architect already has that quote (S1). Nothing was added."
    )


async def test_a_near_duplicate_is_flagged_to_suggester_and_reviewer(context: Context) -> None:
    """A reworded pending line (token_sort_ratio >= 85) is accepted and flagged to both."""
    await typed(context, f"/burnward suggest Enterprise Architect | {LINE}")
    near = "The roadmap is a vibe with a Gantt chart attached"
    reply = await typed(context, f"/burnward suggest Enterprise Architect | {near}", user="u2")
    assert reply.cards[0].description == (
        "Suggestion 2 for Enterprise Architect is in; admins will review it."
        f" It is close to suggestion 1 (“{LINE}”), which admins will see."
    )
    review = await typed(context, "/burnward review", admin=True)
    flagged = review.cards[2].fields[-1]
    assert flagged.name == "Near duplicate"
    assert flagged.value.endswith(f"like suggestion 1: “{LINE}”")
    unrelated = await typed(
        context, "/burnward suggest Enterprise Architect | Synergy ate my lunch"
    )
    assert "close to" not in unrelated.cards[0].description


async def test_suggestions_follow_the_quote_rules(context: Context) -> None:
    """Mentions are refused, control characters removed, empty quotes explained."""
    mention = await typed(context, "/burnward suggest SDET | ask @everyone")
    assert mention.cards[0].tone is Tone.ERROR and "mention" in mention.cards[0].description
    empty = await typed(context, "/burnward suggest SDET |")
    assert empty.cards[0].description.startswith("The quote is empty.")
    assert "/burnward suggest" in empty.cards[0].description
    await dispatch(
        context, invocation("burnward", "suggest", role="SDET", quote="tab\x00bed\u200b")
    )
    [stored] = await context.store.suggestions("console:w1")
    assert stored.text == "tabbed"


async def test_a_misspelt_role_keeps_the_quote_on_its_buttons(context: Context) -> None:
    """Picking the meant role from the suggestion buttons suggests the typed quote."""
    reply = await typed(context, f"/burnward suggest Enterprize Architekt | {LINE}")
    button = next(b for b in reply.cards[0].buttons if "Enterprise" in b.label)
    done = await dispatch(context, invocation("burnward").with_action(button.action))
    assert done.cards[0].description.startswith("Suggestion 1 for Enterprise Architect")


async def test_bad_ids_and_pages_get_one_line_reasons(context: Context) -> None:
    """Junk ids and pages are refused with how to write them."""
    assert (await typed(context, "/burnward approve x", admin=True)).cards[0].description == (
        "Give the number of a suggestion, e.g. /burnward approve 3."
    )
    assert (await typed(context, "/burnward review 0", admin=True)).cards[0].description == (
        "Page must be a whole number from 1, not '0'."
    )
