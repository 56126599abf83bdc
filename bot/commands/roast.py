"""`/roast <role> [section]`: a role's summary card, or one full section."""

from __future__ import annotations

from bot.cards.model import Action, Reply
from bot.cards.roast import section_card, summary_card
from bot.catalog.sections import SECTIONS, SUMMARY, find_section
from bot.commands import help
from bot.commands.lookup import MAX_ECHO, resolve_role
from bot.quotes.rotation import next_quote
from bot.runtime.context import Context, place_of
from bot.runtime.invocation import Invocation


async def run(context: Context, invocation: Invocation) -> Reply:
    """Roast the named role; with no role, show help."""
    query = invocation.option("role")
    if not query or query.strip().lower() == "help":
        return await help.run(context, invocation)
    found = resolve_role(context.catalog, query, Action("roast"))
    if isinstance(found, Reply):
        return found
    role = found
    section = find_section(invocation.option("section") or SUMMARY.key)
    if section is None:
        keys = ", ".join(s.key for s in SECTIONS)
        asked = (invocation.option("section") or "")[:MAX_ECHO]
        return Reply.error(f"No section called '{asked}'. Pick one of: {keys}.")
    workspace = place_of(invocation).workspace_key
    if section is SUMMARY:
        quote = await next_quote(context.store, place_of(invocation), role)
        return Reply((summary_card(role, context.catalog, quote),))
    added = (
        await context.store.live_quotes(workspace, role.id) if section.key == "burn-ward" else []
    )
    return Reply((section_card(role, section, context.catalog, added),))
