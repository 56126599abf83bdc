"""Each channel's burn-ward rotation: the dossier's own quotes and the workspace's additions."""

from __future__ import annotations

from bot.cards.model import Quote
from bot.catalog.model import Role
from bot.store import Place, Store

SEED_KEY_PREFIX = "s:"


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
