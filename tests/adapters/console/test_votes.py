"""Votes on the console: the daily post's buttons pressed by typing their numbers."""

from __future__ import annotations

import dataclasses
import io
from datetime import timedelta

from rich.console import Console

from bot.adapters.console.board import Board
from bot.adapters.console.chat import WORKSPACE, ConsoleSession
from bot.adapters.console.poster import ConsolePoster
from bot.daily.scheduler import Outcome, post_due
from bot.runtime.context import Context
from bot.store import Place, Votes
from tests.specimen_day import DAY_ONE, Clock

PLACE = Place("console", WORKSPACE, "daily")


def terminal() -> tuple[Console, io.StringIO]:
    """A wide terminal that writes into a string."""
    out = io.StringIO()
    return Console(file=out, width=160, color_system=None), out


async def posted_day_one(context: Context, console: Console, board: Board) -> Context:
    """Type `/specimen subscribe 09:00 UTC` an hour before day one, then post day one's
    specimen to the terminal; the context returned stands at day one."""
    clock = Clock(DAY_ONE - timedelta(hours=1))
    ctx = dataclasses.replace(context, clock=clock)
    await ConsoleSession(ctx, console, "daily", "you", True, board).handle(
        "/specimen subscribe 09:00 UTC"
    )
    clock.now = DAY_ONE
    [result] = await post_due(ctx, {"console": ConsolePoster(console, board)}, DAY_ONE)
    assert result.outcome is Outcome.POSTED
    return ctx


async def test_a_daily_post_is_voted_on_by_typing_its_button_numbers(context: Context) -> None:
    """1 is Accurate, 2 Too harsh: the post is printed again with its counts each time."""
    console, out = terminal()
    board = Board()
    ctx = await posted_day_one(context, console, board)
    assert "[1] Accurate · 0" in out.getvalue() and "[2] Too harsh · 0" in out.getvalue()
    me = ConsoleSession(ctx, console, "daily", "you", False, board)
    other = ConsoleSession(ctx, console, "daily", "someone", False, board)
    for session, typed, shown in (
        (me, "1", "[1] Accurate · 1"),
        (other, "2", "[2] Too harsh · 1"),
        (me, "2", "[2] Too harsh · 2"),
        (me, "2", "[2] Too harsh · 1"),
    ):
        out.truncate(0)
        out.seek(0)
        await session.handle(typed)
        assert shown in out.getvalue()
        assert "SPECIMEN OF THE DAY, FRIDAY 20 NOVEMBER" in out.getvalue()
    _, [entry] = await ctx.store.daily_history(PLACE, 0, 10)
    assert entry.votes == Votes(0, 1)


async def test_history_on_the_console(context: Context) -> None:
    """/specimen history lists the post with its votes; its page is private to the caller."""
    console, out = terminal()
    board = Board()
    ctx = await posted_day_one(context, console, board)
    session = ConsoleSession(ctx, console, "daily", "you", False, board)
    await session.handle("1")
    out.truncate(0)
    out.seek(0)
    await session.handle("/specimen history")
    post = await ctx.store.last_daily(PLACE)
    assert post is not None
    role = ctx.catalog.get(post.role_id)
    assert role is not None
    text = out.getvalue()
    assert f"Most accurate in November 2026: 1. {role.title} (1)" in text
    assert f"Fri 20 Nov 2026 · {role.title} · Accurate 1 · Too harsh 0" in text
    assert "Page 1 of 1 · 1 post ·" in text and "(only you can see this)" in text
