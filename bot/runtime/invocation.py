"""The neutral form of a command call, whatever platform it came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.cards.model import Action


@dataclass(frozen=True)
class Invocation:
    """One command call: who, where, and with what arguments. Nothing platform-typed."""

    platform: str
    workspace_id: str
    channel_id: str
    user_id: str
    is_admin: bool
    command: str
    subcommand: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)

    def option(self, key: str) -> str | None:
        """One option's value, or None when it was not given or is blank."""
        value = self.options.get(key)
        return value if value else None

    def with_action(self, action: Action) -> Invocation:
        """The same caller and place, running a button's or menu's action instead."""
        return replace(
            self, command=action.command, subcommand=action.subcommand, options=dict(action.options)
        )
