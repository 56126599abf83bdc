"""Each channel's burn-ward rotation: the dossier's own quotes and the workspace's additions."""

from __future__ import annotations

import logging
import random
from datetime import date

from bot.cards.model import Quote
from bot.catalog.model import Role
from bot.store import Place, Store, StoreBusy, StoreFull, StoreUnavailable

log = logging.getLogger(__name__)

SEED_KEY_PREFIX = "s:"


def seed_key(index: int) -> str:
    """The rotation key of a dossier's own quote, by its position (0-based)."""
    return f"{SEED_KEY_PREFIX}{index}"


async def next_quote(
    store: Store, place: Place, role: Role, counted_on: date | None = None
) -> Quote | None:
    """The channel's next burn-ward quote for a role, recording it as shown.

    With `counted_on`, the same write counts one roast of the role for that day.

    When the database cannot take the write (busy, full, unreachable), a roast still
    answers: with one of the dossier's own quotes at random, not recorded.
    """
    seeds = role.dossier.burn_ward
    try:
        keys = [seed_key(i) for i in range(len(seeds))]
        drawn = await store.draw_quote(place, role.id, keys, counted_on)
    except (StoreBusy, StoreFull, StoreUnavailable) as exc:
        log.warning("quote rotation of %s skipped: %s", place.key, exc)
        seed = random.choice(seeds) if seeds else None
        return Quote(seed.quote, seed.source) if seed else None
    if drawn is None:
        return None
    if drawn.added is not None:
        return Quote(drawn.added.text, drawn.added.source)
    seed = seeds[int(drawn.key.removeprefix(SEED_KEY_PREFIX))]
    return Quote(seed.quote, seed.source)
