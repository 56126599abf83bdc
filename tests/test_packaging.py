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


def test_the_web_templates_travel_in_the_wheel() -> None:
    """Every template under bot/web/templates matches the package-data pattern that ships it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = config["package-data"]["bot.web"]
    templates = sorted((ROOT / "bot" / "web" / "templates").iterdir())
    assert templates
    assert all(
        any(t.relative_to(ROOT / "bot" / "web").match(p) for p in patterns) for t in templates
    )
