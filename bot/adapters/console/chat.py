"""`roastbot chat`: type commands in a terminal, or pipe one command per line.

A reply's files (`/burnward export`) are written to the working directory, never over an
existing file, and the console says where.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from bot.adapters.console.board import Board
from bot.adapters.console.files import save
from bot.adapters.console.render import render_reply
from bot.cards.model import Action, Reply
from bot.commands.registry import dispatch
from bot.commands.textargs import is_number, parse_line
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession

PROMPT = "roastbot> "
GREETING = "roastbot console. Try /roast Enterprise Architect, /roasthelp, or /quit."
WORKSPACE = "local"


class ConsoleSession:
    """One person at a terminal: turns lines into invocations and prints the replies."""

    def __init__(
        self,
        context: Context,
        console: Console,
        channel: str,
        user: str,
        admin: bool,
        board: Board | None = None,
    ) -> None:
        self._context = context
        self._console = console
        self._base = Invocation(
            platform="console",
            workspace_id=WORKSPACE,
            channel_id=channel,
            user_id=user,
            is_admin=admin,
            command="help",
        )
        self._board = board or Board()

    async def handle(self, line: str) -> None:
        """Run one typed line: a /command, or the number of a button on the last reply."""
        line = line.strip()
        if not line or line.startswith("#"):
            return
        if is_number(line):
            action = self._board.pressed(int(line[:6]))
            if action is None:
                self._print(Reply.error(f"No button {line[:6]} on the last card."))
                return
            await self._run(self._base.with_action(action))
            return
        parsed = parse_line(line)
        if parsed is None:
            self._print(Reply.error("Commands start with /, e.g. /roast SDET. Try /roasthelp."))
            return
        invocation = self._base.with_action(
            Action(parsed.command, parsed.subcommand, tuple(parsed.options.items()))
        )
        await self._run(invocation)

    async def _run(self, invocation: Invocation) -> None:
        reply = await dispatch(self._context, invocation)
        self._board.show(reply)
        self._print(reply)
        for attachment in reply.attachments:
            try:
                path = save(Path.cwd(), attachment)
            except OSError as exc:
                self._print(Reply.error(f"Could not write {attachment.filename}: {exc}"))
                continue
            size = len(attachment.content)
            self._console.print(
                Text(f"Wrote {path} ({size:,} bytes).", style="green"), soft_wrap=True
            )

    def _print(self, reply: Reply) -> None:
        for renderable in render_reply(reply):
            self._console.print(renderable)


async def _piped_lines() -> AsyncIterator[str]:
    """Standard input one line at a time, as it comes, until its end or /quit."""
    while line := await asyncio.to_thread(sys.stdin.readline):
        if _quits(line):
            return
        yield line


async def _typed_lines(prompt: PromptSession[str]) -> AsyncIterator[str]:
    """Lines typed at the prompt, with editing and history, until Ctrl-D, Ctrl-C or /quit."""
    while True:
        try:
            line = await prompt.prompt_async(PROMPT)
        except (EOFError, KeyboardInterrupt):
            return
        if _quits(line):
            return
        yield line


def _quits(line: str) -> bool:
    return line.strip() in {"/quit", "/exit"}


async def run_chat(
    context: Context,
    channel: str = "console",
    user: str = "you",
    admin: bool = True,
    board: Board | None = None,
) -> None:
    """Read commands until end of input or /quit, printing each reply.

    At a terminal the line can be edited and earlier lines recalled with the arrow keys;
    whatever is printed while the prompt waits (a daily post, a log line) appears above it
    and the prompt is drawn again. Piped input (or output) is read line by line.
    `board` is shared with the console poster, so a typed number presses a daily post's
    buttons too.
    """
    console = Console()
    session = ConsoleSession(context, console, channel, user, admin, board)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        async for line in _piped_lines():
            await session.handle(line)
        return
    console.print(GREETING, style="dim")
    from prompt_toolkit import PromptSession  # a terminal only: it costs start-up
    from prompt_toolkit.patch_stdout import patch_stdout

    with patch_stdout(raw=True):
        async for line in _typed_lines(PromptSession()):
            await session.handle(line)
