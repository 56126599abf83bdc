"""The neutral form of a command call, whatever platform it came from."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.cards.model import Action

# what no typed argument needs and no echo of one may carry: control characters and line
# breaks, lone surrogates (no database or API takes them), and the bidi controls that
# reorder the text around them (U+202E would turn the bot's own words backwards)
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def plain(text: str) -> str:
    """`text` with every unsafe character dropped, and each line break or tab a space."""
    return _UNSAFE.sub(lambda found: " " if found[0].isspace() else "", text)


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
        """One option's value as plain text (`plain`), or None when it was not given or is blank.

        Every command reads what a member typed through here, so none stores or echoes a
        control character, a lone surrogate or a bidi override.
        """
        return plain(self.options.get(key) or "") or None

    def with_action(self, action: Action) -> Invocation:
        """The same caller and place, running a button's or menu's action instead."""
        return replace(
            self, command=action.command, subcommand=action.subcommand, options=dict(action.options)
        )
