"""The Discord adapter: application commands, embeds and buttons through discord.py.

- `build_client(settings=None, *, context=None)`: the client, its command tree at `.tree`.
- `render.message_payload(reply)`: the exact message JSON the bot sends.
- `runtime.serve(context, settings, stop)`: `roastbot run discord`.
- `runtime.open_poster(settings)` or `client.poster`: a `bot.runtime.poster.Poster` for Discord.
"""

from __future__ import annotations

from bot.adapters.discord.client import RoastClient
from bot.runtime.context import Context
from bot.runtime.settings import Settings, load_settings

__all__ = ["RoastClient", "build_client"]


def build_client(
    settings: Settings | None = None, *, context: Context | None = None
) -> RoastClient:
    """The Discord client, not yet logged in; settings from the environment when None.

    With no `context`, one is created at login and closed with the client.
    """
    return RoastClient(settings if settings is not None else load_settings(), context)
