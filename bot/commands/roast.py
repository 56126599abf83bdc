"""`/roast <role> [section]`: a role's summary card, or one full section."""

from __future__ import annotations

from bot.cards import Action, Quote, Reply
from bot.commands import help
from bot.commands.lookup import MAX_ECHO, resolve_role
from bot.context import Context, place_of
from bot.dossiers.model import Role
from bot.invocation import Invocation
from bot.roast_cards import section_card, summary_card
from bot.sections import SECTIONS, SUMMARY, find_section
from bot.store import Place, Store

SEED_KEY_PREFIX = "s:"


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


def seed_key(index: int) -> str:
    """The rotation key of a dossier's own quote, by its position (0-based)."""
    return f"{SEED_KEY_PREFIX}{index}"


async def next_quote(store: Store, place: Place, role: Role) -> Quote | None:
    """The channel's next burn-ward quote for a role, recording it as shown."""
    seeds = role.dossier.burn_ward
    drawn = await store.draw_quote(place, role.id, [seed_key(i) for i in range(len(seeds))])
    if drawn is None:
        return None
    if drawn.added is not None:
        return Quote(drawn.added.text, drawn.added.source)
    seed = seeds[int(drawn.key.removeprefix(SEED_KEY_PREFIX))]
    return Quote(seed.quote, seed.source)
