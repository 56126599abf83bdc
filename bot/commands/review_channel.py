"""`/burnward reviews [here|off|show]`: the channel each new suggestion is posted to for review.

Posting a new suggestion there, editing that message once it is decided, and telling the
suggester the outcome directly all go through the platform's `Poster`, outside the
command's own reply. None of them can fail the suggestion or the decision: a failure is
logged in one line, and the suggestion stays in `/burnward review` and `/burnward mine`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.cards.decision import decided_card, decision_message
from bot.cards.model import Card, Reply
from bot.runtime.context import Context, place_of
from bot.runtime.invocation import Invocation
from bot.runtime.poster import DeliveryError, MessagePoster
from bot.store import PENDING, ReviewPost, StoreError, Suggestion

log = logging.getLogger(__name__)

SEND_SECONDS = 10.0
"""How long a post, edit or direct message may take before it is given up (and logged)."""
NOT_ADMIN = "Only admins of this {where} can choose the review channel. Nothing was changed."
USAGE = (
    "Use /burnward reviews here (post new suggestions in this channel), /burnward reviews off,"
    " or /burnward reviews to see where they go."
)
SHOW = ("show", "")


async def run(context: Context, invocation: Invocation) -> Reply:
    """Set (`here`), stop (`off`) or show the workspace's review channel."""
    mode = (invocation.option("mode") or "").strip().lower()
    workspace = place_of(invocation).workspace_key
    if mode in SHOW:
        channel = await context.store.review_channel(workspace)
        if channel is None:
            return Reply.notice(
                "No review channel: suggestions wait in /burnward review."
                " An admin sets one with /burnward reviews here."
            )
        where = "this channel" if channel == invocation.channel_id else f"channel {channel}"
        return Reply.notice(f"New suggestions are posted for review in {where}.")
    if mode not in ("here", "off"):
        return Reply.error(USAGE)
    if not invocation.is_admin:
        return Reply.error(NOT_ADMIN.format(where=_where(invocation)))
    if mode == "off":
        had = await context.store.clear_review_channel(workspace)
        if had is None:
            return Reply.notice("There was no review channel. Nothing was changed.")
        return Reply.notice(
            f"Suggestions are no longer posted in channel {had}; they wait in /burnward review."
        )
    before = await context.store.review_channel(workspace)
    # saved before the notice goes out: a database in trouble leaves no notice behind
    await context.store.set_review_channel(
        workspace=workspace,
        channel_id=invocation.channel_id,
        set_by=invocation.user_id,
        now=context.clock(),
    )
    refused = await _try_posting(context, invocation)
    if refused is not None:
        # put back only if still ours: a `reviews here` elsewhere meanwhile stands
        await context.store.undo_review_channel(
            workspace=workspace,
            channel_id=invocation.channel_id,
            before=before,
            set_by=invocation.user_id,
            now=context.clock(),
        )
        return Reply.error(
            f"The bot cannot post in this channel ({refused}), so it is not the review"
            " channel: invite the bot or let it post here, then try again. Nothing was changed."
        )
    return Reply.notice(
        "New suggestions will be posted in this channel with Approve and Reject buttons;"
        " each message shows the decision once an admin makes it."
    )


async def _try_posting(context: Context, invocation: Invocation) -> str | None:
    """Tell the channel it is the review channel now; why the post failed, or None.

    With no poster connected for the platform (no adapter serving it), nothing is tried.
    """
    poster = context.posters.get(invocation.platform)
    if poster is None:
        return None
    notice = Reply.notice(
        "This is the burn ward's review channel now: each new suggestion is posted here"
        " for admins to approve or reject.",
        private=False,
    )
    try:
        async with asyncio.timeout(SEND_SECONDS):
            await poster.post(invocation.workspace_id, invocation.channel_id, notice)
    except DeliveryError as exc:
        return exc.reason
    except TimeoutError:
        return f"no answer within {SEND_SECONDS:.0f} s"
    return None


def _where(invocation: Invocation) -> str:
    return {"discord": "server", "slack": "workspace"}.get(invocation.platform, "workspace")


async def announce(
    context: Context,
    invocation: Invocation,
    suggestion: Suggestion,
    card: Callable[[], Awaitable[Card]],
) -> None:
    """Post a new suggestion's review card (made by `card`, which may read the store) in the
    review channel, if the workspace has one.

    A decision made while the card was being posted found no message to edit (`settle`), so
    once the message is recorded the suggestion is read again and a decided one is edited here.
    """
    workspace = place_of(invocation).workspace_key

    async def post() -> None:
        channel = await context.store.review_channel(workspace)
        poster = context.posters.get(invocation.platform)
        if channel is None or poster is None:
            return
        message_id = await poster.post(invocation.workspace_id, channel, Reply((await card(),)))
        made = ReviewPost(suggestion.id, channel, message_id)
        await context.store.record_review_post(workspace=workspace, post=made, now=context.clock())
        now = await context.store.suggestion(workspace, suggestion.id)
        if now is not None and now.status != PENDING and isinstance(poster, MessagePoster):
            decided = Reply((decided_card(_title(context, now), now),))
            await poster.edit(invocation.workspace_id, channel, message_id, decided)

    await _safely(post(), f"suggestion {suggestion.id} was not posted for review")


async def settle(context: Context, invocation: Invocation, suggestion: Suggestion) -> None:
    """After a decision: edit the suggestion's review message, and tell the suggester."""
    title = _title(context, suggestion)
    poster = context.posters.get(invocation.platform)
    if not isinstance(poster, MessagePoster):
        return
    workspace = place_of(invocation).workspace_key

    async def edit() -> None:
        made = await context.store.review_post(workspace, suggestion.id)
        if made is not None:
            decided = Reply((decided_card(title, suggestion),))
            await poster.edit(invocation.workspace_id, made.channel_id, made.message_id, decided)

    await _safely(edit(), f"the review message of suggestion {suggestion.id} was not updated")
    if suggestion.suggested_by != invocation.user_id:
        message = decision_message(title, suggestion)
        await _safely(
            poster.send_direct(invocation.workspace_id, suggestion.suggested_by, message),
            f"{suggestion.suggested_by} was not told of the decision on suggestion {suggestion.id}",
        )


def _title(context: Context, suggestion: Suggestion) -> str:
    """The title of the suggestion's role; its id if the catalog no longer holds it."""
    role = context.catalog.get(suggestion.role_id)
    return role.title if role is not None else suggestion.role_id


async def _safely(work: Awaitable[object], what: str) -> None:
    """Run a post, edit or DM; a failure (or one taking over `SEND_SECONDS`) is one log line."""
    try:
        async with asyncio.timeout(SEND_SECONDS):
            await work
    except (DeliveryError, StoreError) as exc:
        log.warning("%s: %s", what, exc)
    except TimeoutError:
        log.warning("%s: no answer within %.0f s", what, SEND_SECONDS)
    except Exception:
        log.exception("%s: unexpected failure", what)
