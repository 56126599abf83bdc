"""Generate `dossiers/schema.json` from the dossier model: `python -m bot.catalog.schema`."""

from __future__ import annotations

import json
from typing import Any

from bot.catalog.model import Dossier


def dossier_json_schema() -> dict[str, Any]:
    """The JSON Schema that editors use to check a dossier file as it is written."""
    schema = Dossier.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "roastbot dossier"
    return schema


def render_schema() -> str:
    """The schema as the exact text of `dossiers/schema.json`."""
    return json.dumps(dossier_json_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(render_schema(), end="")
