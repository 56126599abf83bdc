"""A typed quote kept while its author picks the role they meant from suggestion buttons."""

from __future__ import annotations

import json
import secrets

from bot.runtime.context import Context

DRAFT_PREFIX = "burnward-draft:"


async def save_draft(context: Context, quote: str, source: str | None) -> str:
    """Keep a quote and its source; the returned token goes on the buttons."""
    token = secrets.token_urlsafe(9)
    value = json.dumps({"quote": quote, "source": source})
    await context.store.set_state(f"{DRAFT_PREFIX}{token}", value, context.clock())
    return token


async def load_draft(context: Context, token: str) -> tuple[str, str | None] | None:
    """The quote and source kept under `token`, or None when there is none."""
    value = await context.store.get_state(f"{DRAFT_PREFIX}{token[:40]}")
    if value is None:
        return None
    kept = json.loads(value)
    return str(kept["quote"]), kept.get("source")
