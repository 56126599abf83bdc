"""Import adapters only when a subcommand needs them: `load("module:attribute")`."""

from __future__ import annotations

import importlib
from typing import Any


def load(target: str) -> Any:
    """The attribute named by `module:attribute`, imported on first use.

    Adapters pull in discord.py or slack-bolt, which most subcommands never need.
    """
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)
