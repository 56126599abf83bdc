"""The wheel carries every package and the bundled catalog."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_under_bot_is_listed_for_the_wheel() -> None:
    """pyproject lists packages by hand (for the catalog); none may be forgotten."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "bot").rglob("__init__.py")
    }
    assert set(config["packages"]) == found | {"bot.catalog_data"}
    assert config["package-dir"]["bot.catalog_data"] == "dossiers"
    assert "*.yaml" in config["package-data"]["bot.catalog_data"]
