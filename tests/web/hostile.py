"""A dossier written by an attacker: markup, quotes and `javascript:` links in every text."""

from __future__ import annotations

from typing import Any

from bot.catalog.lookup import Catalog
from bot.catalog.model import Dossier, Role

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(2)>'
LINK = "javascript:alert(3)"
HOSTILE = f"{SCRIPT} {ATTRIBUTE} {LINK} '&amp; </title></style>"


def hostile_catalog(base: Role) -> Catalog:
    """The bundled role `base` with every text replaced by hostile text, plus itself related."""
    data: dict[str, Any] = base.dossier.model_dump()
    data |= {
        "title": HOSTILE[:100],
        "aliases": [HOSTILE[:120], LINK],
        "tagline": HOSTILE,
        "org_chart": HOSTILE,
        "habitat": [HOSTILE],
        "survival": HOSTILE,
        "burn_ward": [{"quote": HOSTILE, "source": LINK}],
        "jd_autopsy": [{"illusion": HOSTILE, "translation": LINK}],
        "metrics": [{"name": HOSTILE[:120], "description": HOSTILE}],
        "related": [{"id": "hostile", "match": 99}],
    }
    data["salary"] |= {"note": HOSTILE, "quote": HOSTILE}
    return Catalog([Role("hostile", Dossier.model_validate(data, strict=False))])
