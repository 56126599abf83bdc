"""The daily post's vote buttons, and `/specimen history [page]`: the channel's posts and votes."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from bot.cards.model import Card, Reply, Tone
from bot.cards.votes import HISTORY_PAGE_SIZE, HISTORY_TOP, HistoryEntry, history_card
from bot.commands.lookup import MAX_ECHO
from bot.commands.textargs import is_number
from bot.daily.local_time import local_date_at
from bot.daily.specimen import place_zone, posted_reply
from bot.runtime.context import Context, place_of
from bot.runtime.invocation import Invocation
from bot.store import VOTE_CHOICES, Place, Tally

OUT_OF_DATE = "This button is out of date. Run /specimen history to see the posts."


async def vote(context: Context, invocation: Invocation) -> Reply:
    """A vote button pressed: the member's vote given, changed or taken back; the post redrawn.

    The reply edits the pressed post in place with its new counts (`Reply.in_place`).
    """
    choice = invocation.option("vote")
    day = _iso_date(invocation.option("day") or "")
    if choice not in VOTE_CHOICES or day is None:
        return Reply.error(OUT_OF_DATE)
    place = place_of(invocation)
    sub = await context.store.subscription(place)  # read first: after the vote, nothing fails
    pressed = await context.store.vote(place, day, invocation.user_id, choice, context.clock())
    if pressed is None:
        return Reply.error(f"No specimen of the day went out here on {day:%d %B %Y} to vote on.")
    post, votes = pressed
    role = context.catalog.get(post.role_id)
    if role is None:
        return Reply.notice(
            f"Vote counted: Accurate {votes.accurate} · Too harsh {votes.harsh}. This specimen"
            " has left the catalog, so the post itself cannot be redrawn."
        )
    return posted_reply(context, role, post, votes, sub.options.ping if sub else None)


async def history(context: Context, invocation: Invocation) -> Reply:
    """One page of the channel's daily posts with their votes, under the month's most accurate."""
    asked = (invocation.option("page") or invocation.option("text") or "1").strip()
    if not is_number(asked):
        return Reply.error(
            f"Give a page number, e.g. /specimen history 2; '{asked[:MAX_ECHO]}' is not."
        )
    place = place_of(invocation)
    page = max(1, int(asked[:6]))
    total, posts = await context.store.daily_history(
        place, (page - 1) * HISTORY_PAGE_SIZE, HISTORY_PAGE_SIZE
    )
    if total == 0:
        return Reply(
            (Card(description="No specimen of the day has gone out here yet.", tone=Tone.INFO),),
            private=True,
        )
    if not posts:  # past the last page: show the last
        page = -(-total // HISTORY_PAGE_SIZE)
        total, posts = await context.store.daily_history(
            place, (page - 1) * HISTORY_PAGE_SIZE, HISTORY_PAGE_SIZE
        )
    sub = await context.store.subscription(place)
    today = local_date_at(context.clock(), place_zone(context, sub))
    first = today.replace(day=1)
    last = today.replace(day=monthrange(today.year, today.month)[1])
    top = await most_accurate(context, place.workspace_key, first, last, HISTORY_TOP, place)
    entries = [
        HistoryEntry(p.post.local_date, _title(context, p.post.role_id), p.votes) for p in posts
    ]
    return Reply((history_card(entries, page, total, f"{today:%B %Y}", top),), private=True)


async def most_accurate(
    context: Context,
    workspace: str,
    first: date,
    last: date,
    limit: int,
    channel: Place | None = None,
) -> tuple[Tally, ...]:
    """The most accurate specimens (titles) on posts dated `first` to `last`, with their
    "accurate" votes: over the workspace, or one channel."""
    top = await context.store.most_accurate(workspace, first, last, limit, channel)
    return tuple(Tally(_title(context, t.name), t.count) for t in top)


def _title(context: Context, role_id: str) -> str:
    """A role's title; its id if the catalog no longer holds it."""
    role = context.catalog.get(role_id)
    return role.dossier.title if role is not None else role_id


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
