"""Discord end to end: interactions through discord.py's real tree, JSON asserted at a fake API."""

from __future__ import annotations

import asyncio
import logging
import random
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord.render import MENU_PREFIX, message_payload
from bot.cards.model import Reply
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from bot.store import Store, open_store
from tests.adapters.discord.fake_discord import (
    APP_ID,
    CHANNEL,
    GUILD,
    MANAGE_SERVER,
    OTHER_GUILD,
    USER,
    Harness,
    autocomplete,
    bot,
    command,
    discord_harness,
    press,
)
from tests.conftest import FIXED_NOW

__all__ = ["bot"]  # fixtures

EA = "enterprise-architect"
HOSTILE = "**bold** __under__ `code` ships it"
PINGING = "@everyone <@123456789012345678> ships it"
NO_MENTIONS: dict[str, list[str]] = {"parse": []}


async def twin_reply(tmp_path: Path, context: Context, invocation: Invocation) -> Reply:
    """What the core answers on a fresh store seeded like the test's (same quote rotation)."""
    store = await open_store(tmp_path / "twin.sqlite3", rng=random.Random(7))
    try:
        return await dispatch(Context(context.catalog, store, context.clock), invocation)
    finally:
        await store.close()


def on_discord(options: dict[str, str], *, admin: bool = False) -> Invocation:
    """The invocation the adapter should build for a member in the test guild."""
    return Invocation("discord", GUILD, CHANNEL, USER, admin, "roast", None, options)


async def test_roast_answers_with_the_rendered_card(
    bot: Harness, context: Context, tmp_path: Path
) -> None:
    """`/roast`: a public embed with title, fields, related buttons, section menu, no mentions."""
    body = await bot.interact(command("roast")(role="Enterprise Architect"))
    expected = await twin_reply(tmp_path, context, on_discord({"role": "Enterprise Architect"}))
    assert body == {"type": 4, "data": message_payload(expected)}
    data = body["data"]
    embed = data["embeds"][0]
    assert embed["title"] == "Enterprise Architect"
    assert [f["name"] for f in embed["fields"]] == [
        "Known aliases",
        "Salary delusion",
        "Flight risk",
        "JD autopsy",
        "\u200b",
    ]
    first = context.catalog.get("enterprise-architect").dossier.related[0]
    title = context.catalog.get(first.id).title
    assert data["components"][0]["components"][0] == {
        "type": 2,
        "style": 1,
        "label": f"{title} · {first.match}%",
        "custom_id": f"rb1|roast||role={first.id}",
    }
    menu = data["components"][-1]["components"][0]
    assert menu["custom_id"] == f"{MENU_PREFIX}0" and len(menu["options"]) == 12
    assert data["allowed_mentions"] == NO_MENTIONS
    assert "flags" not in data


async def test_autocomplete_suggests_roles_for_a_typo(bot: Harness, context: Context) -> None:
    """Autocomplete (type 4) answers type 8 with the core's fuzzy choices, best first."""
    body = await bot.interact(autocomplete("roast")("role", role="enterprize archtect"))
    choices = [
        {"name": c.name, "value": c.value}
        for c in context.catalog.autocomplete("enterprize archtect")
    ]
    assert body == {"type": 8, "data": {"choices": choices}}
    assert choices[0] == {"name": "Enterprise Architect", "value": EA}


async def test_a_related_specimen_button_posts_a_new_roast(bot: Harness) -> None:
    """A related-specimen press (type 3) answers with a new public message roasting that role."""
    roast = await bot.interact(command("roast")(role="Enterprise Architect"))
    body = await bot.interact(press("rb1|roast||role=staff-engineer", on=roast["data"]))
    assert body["type"] == 4
    assert body["data"]["embeds"][0]["title"] == "Staff Engineer"
    assert body["data"]["allowed_mentions"] == NO_MENTIONS
    assert "flags" not in body["data"]


async def test_a_section_choice_updates_the_card_in_place(bot: Harness) -> None:
    """A menu choice answers type 7 (update message) with that section and the menu moved on."""
    roast = await bot.interact(command("roast")(role="Enterprise Architect"))
    chosen = f"rb1|roast||role={EA}|section=salary"
    body = await bot.interact(press(f"{MENU_PREFIX}0", on=roast["data"], values=[chosen]))
    assert body["type"] == 7
    data = body["data"]
    assert data["embeds"][0]["title"] == "Enterprise Architect: [03] Salary delusion"
    options = data["components"][-1]["components"][0]["options"]
    assert [o["value"] for o in options if o.get("default")] == [chosen]
    assert data["allowed_mentions"] == NO_MENTIONS and "flags" not in data


async def test_a_button_from_before_a_restart_still_works(context: Context) -> None:
    """Presses carry everything in the custom id: a new client answers an old message."""
    async with discord_harness(context) as first:
        roast = await first.interact(command("roast")(role="Enterprise Architect"))
    async with discord_harness(context) as second:
        body = await second.interact(press("rb1|roast||role=product-manager", on=roast["data"]))
    assert body["data"]["embeds"][0]["title"] == "Product Manager"


async def test_a_stale_custom_id_is_answered_privately(bot: Harness) -> None:
    """A press whose custom id is ours but unreadable gets a private notice, not silence."""
    body = await bot.interact(press("rb1|", on={"embeds": []}))
    assert body["type"] == 4 and body["data"]["flags"] == 64
    assert "out of date" in body["data"]["embeds"][0]["description"]


async def test_burnward_add_by_a_member_is_refused(bot: Harness, context: Context) -> None:
    """A member without Manage Server is refused privately and nothing is stored."""
    add = command("burnward", "add", permissions="0")
    body = await bot.interact(add(role="sdet", quote="It works on my pipeline, ship it."))
    assert body["type"] == 4 and body["data"]["flags"] == 64
    assert body["data"]["embeds"][0]["description"].startswith("Only admins of this server")
    assert await context.store.live_quotes(f"discord:{GUILD}", "sdet") == []


async def roast_quotes(bot: Harness, guild: str, times: int) -> list[str]:
    """The quote field of `times` roasts of SDET in one guild."""
    values = []
    for _ in range(times):
        body = await bot.interact(command("roast", guild_id=guild)(role="sdet"))
        values.append(body["data"]["embeds"][0]["fields"][-1]["value"])
    return values


async def test_burnward_add_by_a_manager_shows_only_in_that_server(
    bot: Harness, context: Context
) -> None:
    """A manager's quote is stored, shown by /roast in that server and never in another."""
    add = command("burnward", "add", permissions=MANAGE_SERVER)
    body = await bot.interact(
        add(role="sdet", quote="Flaky means the test found a bug", source="QA")
    )
    assert body["data"]["embeds"][0]["description"] == "Added quote #1 to the burn ward of SDET."
    assert body["data"]["flags"] == 64
    stored = await context.store.live_quotes(f"discord:{GUILD}", "sdet")
    assert [(q.text, q.source, q.added_by) for q in stored] == [
        ("Flaky means the test found a bug", "QA", USER)
    ]
    rotation = len(context.catalog.get("sdet").dossier.burn_ward) + 1
    shown = "> “Flaky means the test found a bug”\n> — QA"
    assert shown in await roast_quotes(bot, GUILD, rotation)
    assert shown not in await roast_quotes(bot, OTHER_GUILD, rotation)


async def test_a_hostile_quote_neither_pings_nor_formats(bot: Harness) -> None:
    """Mentions are refused at the door; Markdown is stored and comes back escaped."""
    add = command("burnward", "add", permissions=MANAGE_SERVER)
    refused = await bot.interact(add(role="sdet", quote=PINGING))
    assert refused["data"]["flags"] == 64
    assert "contains a mention" in refused["data"]["embeds"][0]["description"]
    await bot.interact(add(role="sdet", quote=HOSTILE))
    body = await bot.interact(command("roast")(role="sdet", section="burn-ward"))
    field = body["data"]["embeds"][0]["fields"][-1]
    assert field == {
        "name": "\\#1 · added here",
        "value": "“\\*\\*bold\\*\\* \\_\\_under\\_\\_ \\`code\\` ships it”",
        "inline": False,
    }
    assert body["data"]["allowed_mentions"] == NO_MENTIONS


async def test_a_typed_role_is_echoed_without_override_or_controls(bot: Harness) -> None:
    """`/roast` with U+202E, NUL and a line break in the role: the private answer quotes the
    words alone, escaped, with no mentions allowed."""
    body = await bot.interact(command("roast")(role="\u202e@everyone\x00 Wrangler\r\n# hi"))
    data = body["data"]
    assert data["flags"] == 64 and data["allowed_mentions"] == NO_MENTIONS
    description = data["embeds"][0]["description"]
    assert description.startswith("No specimen called '@\u200beveryone Wrangler  # hi'")
    assert not any(ch in description for ch in "\u202e\x00\r\n")


async def test_burnward_list_pages_in_place(bot: Harness, context: Context) -> None:
    """Page buttons of a private list edit that list (type 7), keeping it private."""
    for n in range(12):
        await context.store.add_quote(
            workspace=f"discord:{GUILD}",
            role_id="sdet",
            text=f"Quote number {n}",
            source=None,
            fingerprint=f"quote{n}",
            added_by=USER,
            now=FIXED_NOW,
        )
    listed = await bot.interact(command("burnward", "list")(role="sdet"))
    assert listed["data"]["flags"] == 64
    button = listed["data"]["components"][0]["components"][0]
    assert button["custom_id"] == "rb1|burnward|list|role=sdet|page=2"
    body = await bot.interact(press(button["custom_id"], on=listed["data"]))
    assert body["type"] == 7
    assert body["data"]["embeds"][0]["footer"]["text"].startswith("Page 2 of 2")
    assert "flags" not in body["data"]


@pytest.mark.parametrize(
    ("payload", "invocation"),
    [
        (
            command("burnward", "list")(role="sdet", page=2),
            ("burnward", "list", {"role": "sdet", "page": "2"}),
        ),
        (
            command("burnward", "remove", permissions=MANAGE_SERVER)(id="S3"),
            ("burnward", "remove", {"id": "S3"}),
        ),
        (command("roasthelp")(), ("help", None, {})),
        (command("roaststats")(month="2026-11"), ("roaststats", None, {"month": "2026-11"})),
        (command("roaststats")(), ("roaststats", None, {"month": None})),
        (
            command("specimen", "subscribe")(time="09:30", zone="Europe/Berlin"),
            ("specimen", "subscribe", {"time": "09:30", "zone": "Europe/Berlin"}),
        ),
        (command("specimen", "status")(), ("specimen", "status", {})),
    ],
)
async def test_every_command_reaches_the_core_with_its_options(
    bot: Harness,
    context: Context,
    tmp_path: Path,
    payload: dict[str, Any],
    invocation: tuple[Any, ...],
) -> None:
    """Each command and subcommand becomes the core invocation it names, answered as rendered."""
    name, sub, options = invocation
    admin = payload["member"]["permissions"] == MANAGE_SERVER
    expected = Invocation("discord", GUILD, CHANNEL, USER, admin, name, sub, options)
    body = await bot.interact(payload)
    assert body == {
        "type": 4,
        "data": message_payload(await twin_reply(tmp_path, context, expected)),
    }


async def test_roast_in_a_direct_message(bot: Harness) -> None:
    """In a DM there is no guild: the roast still works, in the DM's own workspace."""
    body = await bot.interact(command("roast", guild_id=None)(role="sdet"))
    assert body["type"] == 4 and body["data"]["embeds"][0]["title"] == "SDET"


class GatedStore:
    """The test store, except that drawing a quote waits until the test opens the gate."""

    def __init__(self, inner: Store, gate: asyncio.Event) -> None:
        self._inner = inner
        self._gate = gate

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def draw_quote(self, *args: Any) -> Any:
        await self._gate.wait()
        return await self._inner.draw_quote(*args)


async def test_a_slow_command_is_deferred_then_edited(context: Context) -> None:
    """When the core is slow the bot answers type 5 in time, then edits the original."""
    gate = asyncio.Event()
    slow = Context(context.catalog, GatedStore(context.store, gate), context.clock)
    async with discord_harness(slow) as bot:
        bot.client.defer_after = 0.01
        payload = command("roast")(role="sdet")
        assert await bot.interact(payload) == {"type": 5}
        gate.set()
        original = f"/webhooks/{APP_ID}/{payload['token']}/messages/@original"
        edits = await bot.fake.wait_for("PATCH", original)
    assert edits[0].body["embeds"][0]["title"] == "SDET"
    assert edits[0].body["allowed_mentions"] == NO_MENTIONS and "flags" not in edits[0].body


async def test_a_slow_private_answer_replaces_the_public_placeholder(bot: Harness) -> None:
    """A private answer after a public "thinking…" deletes it and follows up ephemerally."""
    bot.client.defer_after = 0
    payload = command("roasthelp")()
    await bot.interact(payload)
    webhook = f"/webhooks/{APP_ID}/{payload['token']}"
    followups = await bot.fake.wait_for("POST", webhook)
    assert bot.fake.matching("DELETE", f"{webhook}/messages/@original")
    assert followups[0].body["flags"] == 64
    assert followups[0].body["allowed_mentions"] == NO_MENTIONS


async def test_a_slow_section_choice_defers_the_update(bot: Harness) -> None:
    """A slow menu choice answers type 6 (deferred update), then edits the pressed message."""
    roast = await bot.interact(command("roast")(role="sdet"))
    bot.client.defer_after = 0
    payload = press(
        f"{MENU_PREFIX}0", on=roast["data"], values=["rb1|roast||role=sdet|section=day"]
    )
    assert await bot.interact(payload) == {"type": 6}
    edits = await bot.fake.wait_for(
        "PATCH", f"/webhooks/{APP_ID}/{payload['token']}/messages/@original"
    )
    assert edits[0].body["embeds"][0]["title"].startswith("SDET: [09]")


async def test_an_adapter_error_gives_a_private_reference(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A failure outside the core answers "Something went wrong (ref X)" and logs X with a traceback."""
    payload = command("roast")(role="sdet")
    callback = f"/interactions/{payload['id']}/{payload['token']}/callback"
    bot.fake.fail("POST", callback, 400, {"message": "Invalid Form Body", "code": 50035})
    with caplog.at_level(logging.ERROR):
        bot.deliver(payload)
        attempts = await bot.fake.wait_for("POST", callback, count=2)
    answer = attempts[1].body["data"]
    assert answer["flags"] == 64
    description = answer["embeds"][0]["description"]
    assert description.startswith("Something went wrong (ref ")
    reference = description.removeprefix("Something went wrong (ref ").removesuffix(").")
    record = next(r for r in caplog.records if reference in r.getMessage())
    assert record.exc_info is not None
    assert len(bot.errors) == 1


async def test_answers_keep_no_rate_limit_bucket_per_interaction(bot: Harness) -> None:
    """Answered interactions leave the client's rate-limit table as it was.

    discord.py's HTTP client would keep a bucket per interaction token for five minutes and
    rescan them all for each new one: CPU per interaction growing with traffic.
    """
    before = set(bot.client.http._buckets)
    for role in ("SDET", "Enterprise Architect", "nope"):
        body = await bot.interact(command("roast")(role=role))
        assert body["type"] == 4
    assert set(bot.client.http._buckets) == before
