"""Post specimens of the day for console channels: print them to the terminal."""

from __future__ import annotations

import itertools

from rich.console import Console
from rich.text import Text

from bot.adapters.console.render import render_reply
from bot.cards.model import Reply


class ConsolePoster:
    """The `Poster` (and `MessagePoster`) of the console platform: the terminal is every
    channel and every member's direct messages."""

    platform = "console"

    def __init__(self, console: Console | None = None) -> None:
        self._console = console or Console()
        self._ids = itertools.count(1)

    async def post(self, workspace_id: str, channel_id: str, reply: Reply) -> str:
        """Print the reply, labelled with its channel; return a local message id."""
        self._console.print(Text(f"#{channel_id}", style="dim"))
        for renderable in render_reply(reply):
            self._console.print(renderable)
        return f"console-{next(self._ids)}"

    async def edit(self, workspace_id: str, channel_id: str, message_id: str, reply: Reply) -> None:
        """Print the message's new content, labelled with its channel and id."""
        self._console.print(Text(f"#{channel_id} · {message_id} now reads:", style="dim"))
        for renderable in render_reply(reply):
            self._console.print(renderable)

    async def send_direct(self, workspace_id: str, user_id: str, reply: Reply) -> str:
        """Print the reply as a direct message to the member; return a local message id."""
        self._console.print(Text(f"direct message to {user_id}:", style="dim"))
        for renderable in render_reply(reply):
            self._console.print(renderable)
        return f"console-{next(self._ids)}"
