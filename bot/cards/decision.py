"""The cards of a decided suggestion: its review message once decided, and the suggester's DM."""

from __future__ import annotations

from datetime import datetime

from bot.cards.model import Card, Field, Reply, Tone
from bot.store import APPROVED, Suggestion

NO_REASON = "No reason was given."


def when(moment: datetime) -> str:
    """A stored moment as reviewers read it: `2026-11-21 09:00 UTC`."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def decided_card(role_title: str, suggestion: Suggestion) -> Card:
    """The review message of a decided suggestion: the quote, who suggested it, who decided
    and how; no buttons, so nothing is left to press."""
    fields = [Field("Suggested by", f"{suggestion.suggested_by}, {when(suggestion.suggested_at)}")]
    if suggestion.source:
        fields.append(Field("Source", suggestion.source))
    decided = when(suggestion.decided_at) if suggestion.decided_at is not None else "just now"
    approved = suggestion.status == APPROVED
    outcome = f"{suggestion.decided_by}, {decided}"
    if approved and suggestion.quote_id is not None:
        outcome += f" · quote #{suggestion.quote_id}"
    fields.append(Field("Approved by" if approved else "Rejected by", outcome))
    if not approved:
        fields.append(Field("Reason", suggestion.reason or NO_REASON))
    return Card(
        title=f"Suggestion {suggestion.id} · {role_title} · {suggestion.status}",
        description=f"“{suggestion.text}”",
        fields=tuple(fields),
        tone=Tone.SUCCESS if approved else Tone.ERROR,
    )


def decision_message(role_title: str, suggestion: Suggestion) -> Reply:
    """What the suggester is told directly: the outcome, the reason of a rejection, the quote."""
    if suggestion.status == APPROVED:
        outcome = (
            f"Your suggestion {suggestion.id} for {role_title} was approved: it is quote"
            f" #{suggestion.quote_id} of the burn ward now, credited to you."
        )
        fields = [Field("Quote", f"“{suggestion.text}”")]
        tone = Tone.SUCCESS
    else:
        outcome = (
            f"Your suggestion {suggestion.id} for {role_title} was rejected."
            " It stays on record but never shows."
        )
        fields = [
            Field("Reason", suggestion.reason or NO_REASON),
            Field("Quote", f"“{suggestion.text}”"),
        ]
        tone = Tone.INFO
    card = Card(
        title="Your burn-ward suggestion",
        description=outcome,
        fields=tuple(fields),
        footer="/burnward mine lists every suggestion of yours with its status.",
        tone=tone,
    )
    return Reply((card,))
