"""`/burnward suggest|review|approve|reject|mine`: members propose quotes, admins decide.

A new suggestion is also posted in the workspace's review channel, and a decision edits that
message and tells the suggester directly (`review_channel`).

A suggestion follows the rules of `/burnward add` (`bot.quotes.text`). An exact duplicate of a
dossier quote, a live quote or a pending suggestion is refused with its id; a near duplicate
(`bot.quotes.likeness`, threshold 85) is accepted and flagged to the suggester and to the
reviewer. An approval turns the suggestion into a workspace quote at once, added by the
approver; the suggestion keeps who suggested it and links the quote.
"""

from __future__ import annotations

from bot.cards.decision import when
from bot.cards.model import Action, Button, ButtonStyle, Card, Field, Reply, Tone
from bot.catalog.model import Role
from bot.commands import review_channel
from bot.commands.drafts import load_draft, save_draft
from bot.commands.lookup import resolve_role
from bot.commands.textargs import is_number
from bot.quotes.likeness import Likeness, nearest, seed_duplicate
from bot.quotes.text import MAX_REASON, check_quote, fingerprint
from bot.runtime.context import Context, place_of
from bot.runtime.invocation import Invocation
from bot.store import (
    PENDING,
    DuplicateQuoteError,
    DuplicateSuggestionError,
    Suggestion,
    TooManyPendingError,
)

MAX_PENDING = 5
REVIEW_PAGE = 5  # two buttons each: ten buttons fit Discord's rows and Slack's blocks
MAX_ID_DIGITS = 15
NOT_ADMIN = "Only admins of this {where} can review suggestions. Nothing was changed."
USAGE = (
    "Suggest a quote for admins to review: /burnward suggest <role> | <quote> | [source],"
    " e.g. /burnward suggest SDET | It works on my pipeline | standup."
)


async def run(context: Context, invocation: Invocation) -> Reply:
    """Route to suggest, review, approve, reject or mine."""
    match invocation.subcommand:
        case "suggest":
            return await _suggest(context, invocation)
        case "review":
            return await _review(context, invocation)
        case "approve":
            return await _approve(context, invocation)
        case "reject":
            return await _reject(context, invocation)
    return await _mine(context, invocation)


def _where(invocation: Invocation) -> str:
    return {"discord": "server", "slack": "workspace"}.get(invocation.platform, "workspace")


def _workspace(invocation: Invocation) -> str:
    return place_of(invocation).workspace_key


async def _suggest(context: Context, invocation: Invocation) -> Reply:
    quote, source = invocation.option("quote"), invocation.option("source")
    draft = invocation.option("draft")
    role_text = invocation.option("role")
    if role_text is None and quote is None and draft is None and source is None:
        return Reply((Card(description=USAGE, tone=Tone.INFO),), private=True)
    if draft is not None:
        kept = await load_draft(context, draft)
        if kept is None:
            return Reply.error("That suggestion has expired. Run /burnward suggest again.")
        quote, source = kept
    then = Action("burnward", "suggest")
    if role_text and quote is not None and context.catalog.find(role_text) is None:
        then = Action("burnward", "suggest", (("draft", await save_draft(context, quote, source)),))
    found = resolve_role(context.catalog, role_text, then)
    if isinstance(found, Reply):
        return found
    checked = check_quote(quote, source)
    if isinstance(checked, str):
        return Reply.error(checked.replace("/burnward add", "/burnward suggest"))
    seed = seed_duplicate(found.dossier.burn_ward, checked.text)
    if seed is not None:
        return Reply.error(f"{found.title} already has that quote (S{seed}). Nothing was added.")
    workspace = _workspace(invocation)
    near = await _near(context, workspace, found, checked.text, exclude=None)
    try:
        stored = await context.store.add_suggestion(
            workspace=workspace,
            role_id=found.id,
            text=checked.text,
            source=checked.source,
            fingerprint=fingerprint(checked.text),
            suggested_by=invocation.user_id,
            now=context.clock(),
            max_pending=MAX_PENDING,
        )
    except DuplicateQuoteError as exc:
        return Reply.error(
            f"This {_where(invocation)} already has that quote as #{exc.existing.id}."
            " Nothing was added."
        )
    except DuplicateSuggestionError as exc:
        return Reply.error(
            f"That quote is already waiting for review as suggestion {exc.existing.id}."
            " Nothing was added."
        )
    except TooManyPendingError:
        return Reply.error(
            f"You have {MAX_PENDING} suggestions waiting for review, the most allowed;"
            " wait for a decision (see /burnward mine). Nothing was added."
        )
    # the card reads the store: made where a failure is logged, for the suggestion is saved
    await review_channel.announce(
        context, invocation, stored, lambda: _review_card(context, workspace, stored)
    )
    message = f"Suggestion {stored.id} for {found.title} is in; admins will review it."
    if near is not None:
        message += f" It is close to {near.label} (“{_short(near.text)}”), which admins will see."
    return Reply.notice(message)


async def _near(
    context: Context, workspace: str, role: Role, text: str, *, exclude: int | None
) -> Likeness | None:
    """The dossier quote, live quote or pending suggestion of the role `text` nearly repeats."""
    live = await context.store.live_quotes(workspace, role.id)
    pending = await context.store.suggestions(workspace, status=PENDING)
    candidates = (
        [(f"S{i}", q.quote) for i, q in enumerate(role.dossier.burn_ward, 1)]
        + [(f"#{q.id}", q.text) for q in live]
        + [
            (f"suggestion {s.id}", s.text)
            for s in pending
            if s.role_id == role.id and s.id != exclude
        ]
    )
    return nearest(text, candidates)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _page(invocation: Invocation) -> int | str:
    text = invocation.option("page") or "1"
    if not is_number(text) or len(text) > MAX_ID_DIGITS or int(text) < 1:
        return f"Page must be a whole number from 1, not '{text[:20]}'."
    return int(text)


async def _review(context: Context, invocation: Invocation) -> Reply:
    if not invocation.is_admin:
        return Reply.error(NOT_ADMIN.format(where=_where(invocation)))
    asked = _page(invocation)
    if isinstance(asked, str):
        return Reply.error(asked)
    workspace = _workspace(invocation)
    pending = await context.store.suggestions(workspace, status=PENDING)
    if not pending:
        return Reply.notice("No suggestions are waiting for review.")
    pages = -(-len(pending) // REVIEW_PAGE)
    page = min(asked, pages)
    shown = pending[(page - 1) * REVIEW_PAGE : page * REVIEW_PAGE]
    cards = [await _review_card(context, workspace, s) for s in shown]
    nav = []
    if page > 1:
        nav.append(Button("Previous page", _goto(page - 1)))
    if page < pages:
        nav.append(Button("Next page", _goto(page + 1)))
    header = Card(
        title="Burn ward: suggestions to review",
        description=f"{len(pending)} waiting. Approve adds the quote at once; reject keeps it"
        " on record, unseen.",
        footer=f"Page {page} of {pages} · /burnward reject <id> [reason] gives a reason",
        buttons=tuple(nav),
        tone=Tone.INFO,
    )
    return Reply((header, *cards), private=True)


def _goto(page: int) -> Action:
    return Action("burnward", "review", (("page", str(page)),))


async def _review_card(context: Context, workspace: str, suggestion: Suggestion) -> Card:
    role = context.catalog.get(suggestion.role_id)
    title = role.title if role is not None else suggestion.role_id
    fields = [Field("Suggested by", f"{suggestion.suggested_by}, {when(suggestion.suggested_at)}")]
    if suggestion.source:
        fields.append(Field("Source", suggestion.source))
    if role is not None:
        near = await _near(context, workspace, role, suggestion.text, exclude=suggestion.id)
        if near is not None:
            fields.append(
                Field("Near duplicate", f"{near.score}% like {near.label}: “{_short(near.text)}”")
            )
    ident = (("id", str(suggestion.id)),)
    return Card(
        title=f"Suggestion {suggestion.id} · {title}",
        description=f"“{suggestion.text}”",
        fields=tuple(fields),
        buttons=(
            Button(
                f"Approve {suggestion.id}",
                Action("burnward", "approve", ident),
                ButtonStyle.PRIMARY,
            ),
            Button(f"Reject {suggestion.id}", Action("burnward", "reject", ident)),
        ),
        tone=Tone.INFO,
    )


def _suggestion_id(invocation: Invocation, verb: str) -> int | str:
    raw = (invocation.option("id") or "").strip().lstrip("#")
    if not is_number(raw) or len(raw) > MAX_ID_DIGITS:
        return f"Give the number of a suggestion, e.g. /burnward {verb} 3."
    return int(raw)


async def _approve(context: Context, invocation: Invocation) -> Reply:
    if not invocation.is_admin:
        return Reply.error(NOT_ADMIN.format(where=_where(invocation)))
    number = _suggestion_id(invocation, "approve")
    if isinstance(number, str):
        return Reply.error(number)
    workspace = _workspace(invocation)
    try:
        done = await context.store.approve_suggestion(
            workspace=workspace,
            suggestion_id=number,
            decided_by=invocation.user_id,
            now=context.clock(),
        )
    except DuplicateQuoteError as exc:
        return Reply.error(
            f"That quote is already live as #{exc.existing.id}; reject suggestion {number}"
            " instead. Nothing was changed."
        )
    if done is None:
        return await _not_pending(context, workspace, number)
    suggestion, quote = done
    await review_channel.settle(context, invocation, suggestion)
    return Reply.notice(
        f"Approved suggestion {suggestion.id}: it is quote #{quote.id} of the burn ward now,"
        f" suggested by {suggestion.suggested_by}, approved by {invocation.user_id}."
    )


async def _reject(context: Context, invocation: Invocation) -> Reply:
    if not invocation.is_admin:
        return Reply.error(NOT_ADMIN.format(where=_where(invocation)))
    number = _suggestion_id(invocation, "reject")
    if isinstance(number, str):
        return Reply.error(number)
    reason = " ".join((invocation.option("reason") or "").split())[:MAX_REASON] or None
    checked = check_quote(reason, None) if reason else None
    if isinstance(checked, str):
        return Reply.error(checked.replace("The quote", "The reason"))
    workspace = _workspace(invocation)
    rejected = await context.store.reject_suggestion(
        workspace=workspace,
        suggestion_id=number,
        decided_by=invocation.user_id,
        reason=checked.text if checked is not None else None,
        now=context.clock(),
    )
    if rejected is None:
        return await _not_pending(context, workspace, number)
    await review_channel.settle(context, invocation, rejected)
    return Reply.notice(f"Rejected suggestion {rejected.id}. It stays on record but never shows.")


async def _not_pending(context: Context, workspace: str, number: int) -> Reply:
    existing = await context.store.suggestion(workspace, number)
    if existing is None:
        return Reply.error(f"This workspace has no suggestion {number}. Nothing was changed.")
    return Reply.error(
        f"Suggestion {number} was already {existing.status} by {existing.decided_by}."
        " Nothing was changed."
    )


async def _mine(context: Context, invocation: Invocation) -> Reply:
    mine = await context.store.suggestions(_workspace(invocation), suggested_by=invocation.user_id)
    if not mine:
        return Reply.notice(
            "You have no suggestions here yet. /burnward suggest <role> | <quote> | [source]"
        )
    shown = mine[-25:]  # Discord shows at most 25 fields; the newest matter most
    fields = tuple(_mine_field(context, s) for s in shown)
    pending = sum(s.status == PENDING for s in mine)
    card = Card(
        title="Your burn-ward suggestions",
        description=f"{len(mine)} in all, {pending} waiting (at most {MAX_PENDING}).",
        fields=fields,
        footer="" if len(mine) == len(shown) else f"The newest {len(shown)} are shown.",
        tone=Tone.INFO,
    )
    return Reply((card,), private=True)


def _mine_field(context: Context, suggestion: Suggestion) -> Field:
    role = context.catalog.get(suggestion.role_id)
    title = role.title if role is not None else suggestion.role_id
    status = suggestion.status
    if suggestion.quote_id is not None:
        status += f" as quote #{suggestion.quote_id}"
    if suggestion.reason:
        status += f": {suggestion.reason}"
    return Field(f"{suggestion.id} · {title} · {status}", f"“{_short(suggestion.text, 200)}”")
