"""Finding the role a command line names, or saying on stderr that there is none."""

from __future__ import annotations

import sys

from bot.catalog.lookup import Catalog
from bot.catalog.model import Role
from bot.commands.lookup import MAX_ECHO


def find_or_explain(catalog: Catalog, query: str) -> Role | None:
    """The role `query` names; None after printing one line with the closest names, if any.

    The name is echoed cut to the length the chat commands show, so a pasted page of text
    gives one readable line.
    """
    role = catalog.find(query)
    if role is None:
        names = ", ".join(r.title for r in catalog.suggest(query))
        hint = f" Did you mean: {names}?" if names else ""
        print(f"roastbot: no specimen called {query.strip()[:MAX_ECHO]!r}.{hint}", file=sys.stderr)
    return role
