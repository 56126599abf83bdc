"""`/roaststats [month]`: a workspace's month of roasts as a bar chart and as text.

Also where roasts are counted: `count` is called by `/roast` for each roast shown and each
role asked for that does not exist.
"""

from __future__ import annotations

import asyncio
import logging
import re
from calendar import monthrange
from datetime import UTC, date

from bot.cards.model import Attachment, Reply
from bot.cards.stats import TOP, MonthStats, stats_card
from bot.commands import votes
from bot.commands.lookup import MAX_ECHO
from bot.quotes.text import clean
from bot.runtime.context import Context, place_of
from bot.runtime.invocation import Invocation
from bot.store import StoreBusy, StoreFull, StoreUnavailable, Tally

log = logging.getLogger(__name__)

ROAST = "roast"
MISSING = "missing"
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def parse_month(text: str, today: date) -> tuple[date, date] | str:
    """`YYYY-MM` (empty: the month of `today`) as its first and last day, or a one-line error."""
    text = text.strip()
    if not text:
        text = f"{today.year:04d}-{today.month:02d}"
    found = _MONTH.fullmatch(text)
    if found is not None and int(found[1]) >= 1 and 1 <= int(found[2]) <= 12:
        year, month = int(found[1]), int(found[2])
        return date(year, month, 1), date(year, month, monthrange(year, month)[1])
    return f"Give the month as YYYY-MM, e.g. {today:%Y-%m}; '{text[:MAX_ECHO]}' is not one."


def today(context: Context) -> date:
    """The day roasts are counted on now: today in UTC."""
    return context.clock().astimezone(UTC).date()


async def count(context: Context, invocation: Invocation, kind: str, name: str) -> None:
    """Count one roast (`ROAST`, a role id) or one missing role asked for (`MISSING`, as typed).

    A missing role is kept as plain text (`bot.quotes.text.clean`: no control, format or
    surrogate characters, which a database may refuse and a chart cannot draw); one with
    nothing left is not counted. A database that cannot take the write (busy, full,
    unreachable) costs the count, never the roast.
    """
    workspace = place_of(invocation).workspace_key
    day = today(context)
    if kind == MISSING:
        name = clean(name).casefold()[:MAX_ECHO]
        if not name:
            return
    try:
        await context.store.count_roast(workspace, kind, name, day)
    except (StoreBusy, StoreFull, StoreUnavailable) as exc:
        log.warning("roast not counted on %s: %s", workspace, exc)


async def run(context: Context, invocation: Invocation) -> Reply:
    """The month's chart as an attachment, with the same figures as text on the card.

    An empty month is a chart and a card that say so.
    """
    asked = invocation.option("month") or invocation.option("text") or ""
    span = parse_month(asked, today(context))
    if isinstance(span, str):
        return Reply.error(span)
    first, last = span
    workspace = place_of(invocation).workspace_key
    roasted = await context.store.roast_tally(workspace, ROAST, first, last, TOP)
    missing = await context.store.roast_tally(workspace, MISSING, first, last, TOP)
    stats = MonthStats(
        f"{first:%Y-%m}",
        tuple(Tally(_title(context, t.name), t.count) for t in roasted),
        tuple(missing),
        await votes.most_accurate(context, workspace, first, last, TOP),
    )
    filename = f"roaststats-{first:%Y-%m}.png"
    png = await asyncio.to_thread(_chart, stats)
    return Reply(
        (stats_card(stats, filename),), attachments=(Attachment(filename, png, "image/png"),)
    )


def _chart(stats: MonthStats) -> bytes:
    """The chart's PNG; Pillow and the fonts are imported here, on the worker thread, so
    nothing else pays for them and the event loop never waits on their import."""
    from bot.images.chart import render_chart

    return render_chart(stats)


def _title(context: Context, role_id: str) -> str:
    """A counted role's title; its id if the catalog no longer holds it."""
    role = context.catalog.get(role_id)
    return role.dossier.title if role is not None else role_id
