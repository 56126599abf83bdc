"""The application commands: `/roast`, `/burnward`, `/specimen`, `/roasthelp`, `/roaststats`,
and the message command "Suggest for burn ward".

Each callback only names the core command and passes the options on; the core decides
everything else (including refusing non-admins, whatever Discord's client showed them).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from functools import cache
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord.modal import CAPTURE
from bot.adapters.discord.responses import Interaction
from bot.catalog.sections import SECTIONS
from bot.daily.local_time import zone_names

Run = Callable[[Interaction, str, str | None, Mapping[str, str | int | None]], Awaitable[None]]
RoleChoices = Callable[[str], list[app_commands.Choice[str]]]
Complete = Callable[[Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]
AppCommand = app_commands.Command[Any, ..., Any] | app_commands.Group
OpenForm = Callable[[Interaction, str], Awaitable[None]]

MAX_CHOICES = 25
GUILDS_ONLY = app_commands.AppCommandContext(guild=True)
EXPORT_FORMATS = [
    app_commands.Choice(name="YAML (default)", value="yaml"),
    app_commands.Choice(name="JSON", value="json"),
]
DAYS_CHOICES = [
    app_commands.Choice(name=name, value=value)
    for name, value in (
        ("Every day", "daily"),
        ("Weekdays (Mon-Fri)", "weekdays"),
        ("Weekends", "weekends"),
        ("Mon, Wed, Fri", "mon,wed,fri"),
        ("Tue, Thu", "tue,thu"),
        ("Mondays", "mon"),
        ("Fridays", "fri"),
    )
]
SECTION_CHOICES = [
    *(
        app_commands.Choice(
            name=f"[{s.number}] {s.heading}" if s.number else s.heading, value=s.key
        )
        for s in SECTIONS
    ),
    app_commands.Choice(name="The file record as an image", value="image"),
]


def build_commands(run: Run, role_choices: RoleChoices) -> list[AppCommand]:
    """Every top-level command, calling `run(interaction, command, subcommand, options)`."""

    async def complete_role(
        interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return role_choices(current)

    @app_commands.command(name="roast", description="A job role's dossier, roasted")
    @app_commands.describe(role="The role, e.g. Enterprise Architect", section="One full section")
    @app_commands.choices(section=SECTION_CHOICES)
    @app_commands.autocomplete(role=complete_role)
    async def roast(interaction: Interaction, role: str, section: str | None = None) -> None:
        await run(interaction, "roast", None, {"role": role, "section": section})

    @app_commands.command(name="roasthelp", description="What roastbot does and how to ask it")
    async def roasthelp(interaction: Interaction) -> None:
        await run(interaction, "help", None, {})

    @app_commands.command(name="roaststats", description="This server's month of roasts, charted")
    @app_commands.describe(month="The month as YYYY-MM, e.g. 2026-11 (default: this month, UTC)")
    async def roaststats(interaction: Interaction, month: str | None = None) -> None:
        await run(interaction, "roaststats", None, {"month": month})

    return [roast, _burnward(run, complete_role), _specimen(run), roasthelp, roaststats]


def capture_menu(open_form: OpenForm) -> app_commands.ContextMenu:
    """The message command "Suggest for burn ward": `open_form(interaction, message text)`."""

    @app_commands.guild_only()
    async def suggest_message(interaction: Interaction, message: discord.Message) -> None:
        await open_form(interaction, message.content)

    return app_commands.ContextMenu(
        name=CAPTURE, callback=suggest_message, allowed_contexts=GUILDS_ONLY
    )


def _burnward(run: Run, complete_role: Complete) -> app_commands.Group:
    group = app_commands.Group(
        name="burnward",
        description="This server's burn-ward quotes: members suggest, managers curate",
        guild_only=True,
        allowed_contexts=GUILDS_ONLY,
    )

    @group.command(name="add", description="Add a quote to a role's burn ward in this server")
    @app_commands.describe(role="The role", quote="The words, as overheard", source="Who said it")
    @app_commands.autocomplete(role=complete_role)
    async def add(
        interaction: Interaction, role: str, quote: str, source: str | None = None
    ) -> None:
        await run(interaction, "burnward", "add", {"role": role, "quote": quote, "source": source})

    @group.command(name="list", description="Every burn-ward quote of a role, with ids")
    @app_commands.describe(role="The role", page="Page number, ten quotes a page")
    @app_commands.autocomplete(role=complete_role)
    async def list_(
        interaction: Interaction, role: str, page: app_commands.Range[int, 1] | None = None
    ) -> None:
        await run(interaction, "burnward", "list", {"role": role, "page": page})

    @group.command(name="remove", description="Retire a quote this server added (kept on record)")
    @app_commands.describe(id="The quote's number from /burnward list, e.g. 12")
    async def remove(interaction: Interaction, id: str) -> None:
        await run(interaction, "burnward", "remove", {"id": id})

    @group.command(name="export", description="This server's added quotes as a file, for you only")
    @app_commands.describe(format_="File format: YAML (the default) or JSON")
    @app_commands.rename(format_="format")
    @app_commands.choices(format_=EXPORT_FORMATS)
    async def export(interaction: Interaction, format_: str | None = None) -> None:
        await run(interaction, "burnward", "export", {"format": format_})

    @group.command(name="suggest", description="Suggest a quote; this server's managers review it")
    @app_commands.describe(role="The role", quote="The words, as overheard", source="Who said it")
    @app_commands.autocomplete(role=complete_role)
    async def suggest(
        interaction: Interaction, role: str, quote: str, source: str | None = None
    ) -> None:
        options = {"role": role, "quote": quote, "source": source}
        await run(interaction, "burnward", "suggest", options)

    @group.command(name="review", description="Suggestions waiting for review (managers)")
    @app_commands.describe(page="Page number, five suggestions a page")
    async def review(
        interaction: Interaction, page: app_commands.Range[int, 1] | None = None
    ) -> None:
        await run(interaction, "burnward", "review", {"page": page})

    @group.command(name="approve", description="Approve a suggestion: it joins the burn ward")
    @app_commands.describe(id="The suggestion's number, e.g. 3")
    async def approve(interaction: Interaction, id: str) -> None:
        await run(interaction, "burnward", "approve", {"id": id})

    @group.command(name="reject", description="Reject a suggestion (kept on record, never shown)")
    @app_commands.describe(id="The suggestion's number, e.g. 3", reason="Told to the suggester")
    async def reject(interaction: Interaction, id: str, reason: str | None = None) -> None:
        await run(interaction, "burnward", "reject", {"id": id, "reason": reason})

    @group.command(name="mine", description="Your suggestions in this server and their status")
    async def mine(interaction: Interaction) -> None:
        await run(interaction, "burnward", "mine", {})

    _reviews(run, group)
    return group


def _reviews(run: Run, parent: app_commands.Group) -> None:
    """`/burnward reviews here|off|show`: the channel new suggestions are posted in."""
    reviews = app_commands.Group(
        name="reviews", description="The channel new suggestions are posted in", parent=parent
    )

    @reviews.command(name="here", description="Post new suggestions in this channel (managers)")
    async def here(interaction: Interaction) -> None:
        await run(interaction, "burnward", "reviews", {"mode": "here"})

    @reviews.command(name="off", description="Stop posting new suggestions in a channel")
    async def off(interaction: Interaction) -> None:
        await run(interaction, "burnward", "reviews", {"mode": "off"})

    @reviews.command(name="show", description="Where new suggestions are posted, if anywhere")
    async def show(interaction: Interaction) -> None:
        await run(interaction, "burnward", "reviews", {"mode": "show"})


def _specimen(run: Run) -> app_commands.Group:
    group = app_commands.Group(
        name="specimen",
        description="The specimen of the day in this channel",
        guild_only=True,
        allowed_contexts=GUILDS_ONLY,
    )

    async def complete_zone(
        interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.strip().casefold()
        found = [zone for zone in _zones() if needle in zone.casefold()]
        return [app_commands.Choice(name=zone, value=zone) for zone in found[:MAX_CHOICES]]

    @group.command(name="today", description="Today's specimen, here and now")
    async def today(interaction: Interaction) -> None:
        await run(interaction, "specimen", "today", {})

    @group.command(name="subscribe", description="Post the specimen here every day (admins)")
    @app_commands.describe(
        time="Local time: 09:00, 9am, 9:30pm or 21h",
        zone="IANA time zone, e.g. Europe/Berlin",
        days="Which days to post on (default: every day)",
        pin="Pin each post, unpinning the previous one",
        thread="Open a discussion thread on each post",
        ping="A role to mention in each post",
    )
    @app_commands.choices(days=DAYS_CHOICES)
    @app_commands.autocomplete(zone=complete_zone)
    async def subscribe(
        interaction: Interaction,
        time: str | None = None,
        zone: str | None = None,
        days: str | None = None,
        pin: bool = False,
        thread: bool = False,
        ping: discord.Role | None = None,
    ) -> None:
        options = {
            "time": time,
            "zone": zone,
            "days": days,
            "pin": "yes" if pin else None,
            "thread": "yes" if thread else None,
            "ping": str(ping.id) if ping is not None else None,
        }
        await run(interaction, "specimen", "subscribe", options)

    @group.command(name="unsubscribe", description="Stop the daily specimen here (admins)")
    async def unsubscribe(interaction: Interaction) -> None:
        await run(interaction, "specimen", "unsubscribe", {})

    @group.command(name="status", description="Whether and when this channel gets the specimen")
    async def status(interaction: Interaction) -> None:
        await run(interaction, "specimen", "status", {})

    @group.command(name="history", description="This channel's daily posts and their votes")
    @app_commands.describe(page="Page number, ten posts a page, newest first")
    async def history(
        interaction: Interaction, page: app_commands.Range[int, 1] | None = None
    ) -> None:
        await run(interaction, "specimen", "history", {"page": page})

    return group


@cache
def _zones() -> list[str]:
    return sorted(zone_names())
