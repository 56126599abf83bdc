"""Command registration: what Discord receives, where, and only when the commands changed."""

from __future__ import annotations

from typing import Any

from bot.runtime.context import Context
from tests.adapters.discord.fake_discord import APP_ID, GUILD, discord_harness, running_fake

GLOBAL = f"/applications/{APP_ID}/commands"
DEV_GUILD = f"/applications/{APP_ID}/guilds/{GUILD}/commands"


def by_name(body: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The registered commands, keyed by name."""
    return {command["name"]: command for command in body}


async def test_commands_are_registered_globally_with_admin_defaults(context: Context) -> None:
    """One PUT: /burnward is guild-only and open to members (suggest, mine), checked at run time."""
    async with discord_harness(context) as bot:
        puts = bot.fake.matching("PUT", GLOBAL)
    assert len(puts) == 1
    commands = by_name(puts[0].body)
    assert sorted(commands) == [
        "Suggest for burn ward",
        "burnward",
        "roast",
        "roasthelp",
        "roaststats",
        "specimen",
    ]
    (month,) = commands["roaststats"]["options"]
    assert (month["name"], month["type"], month["required"]) == ("month", 3, False)
    burnward = commands["burnward"]
    assert burnward["default_member_permissions"] is None
    assert burnward["dm_permission"] is False and burnward["contexts"] == [0]
    subcommands = {o["name"]: o for o in burnward["options"]}
    assert list(subcommands) == [
        "add",
        "list",
        "remove",
        "export",
        "suggest",
        "review",
        "approve",
        "reject",
        "mine",
        "reviews",
    ]
    reviews = subcommands["reviews"]
    assert reviews["type"] == 2  # a subcommand group: /burnward reviews here|off|show
    assert [(o["name"], o["type"]) for o in reviews["options"]] == [
        ("here", 1),
        ("off", 1),
        ("show", 1),
    ]
    assert [(o["name"], o["type"], o["required"]) for o in subcommands["suggest"]["options"]] == [
        ("role", 3, True),
        ("quote", 3, True),
        ("source", 3, False),
    ]
    assert subcommands["suggest"]["options"][0]["autocomplete"] is True
    assert [
        (o["name"], o["type"], o.get("min_value")) for o in subcommands["review"]["options"]
    ] == [("page", 4, 1)]
    assert [(o["name"], o["required"]) for o in subcommands["reject"]["options"]] == [
        ("id", True),
        ("reason", False),
    ]
    assert subcommands["mine"].get("options", []) == []
    (export_format,) = subcommands["export"]["options"]
    assert export_format["name"] == "format" and export_format["required"] is False
    assert export_format["choices"] == [
        {"name": "YAML (default)", "value": "yaml"},
        {"name": "JSON", "value": "json"},
    ]
    specimen = commands["specimen"]
    assert specimen["default_member_permissions"] is None and specimen["dm_permission"] is False
    assert [o["name"] for o in specimen["options"]] == [
        "today",
        "subscribe",
        "unsubscribe",
        "status",
    ]
    role, section = commands["roast"]["options"]
    assert role == {
        "type": 3,
        "name": "role",
        "description": "The role, e.g. Enterprise Architect",
        "required": True,
        "autocomplete": True,
    }
    assert [c["value"] for c in section["choices"]][:3] == ["summary", "aliases", "habitat"]


async def test_the_message_command_is_registered_with_the_others(context: Context) -> None:
    """The message command "Suggest for burn ward" goes in the same PUT, for servers only."""
    async with discord_harness(context) as bot:
        (put,) = bot.fake.matching("PUT", GLOBAL)
    assert by_name(put.body)["Suggest for burn ward"] == {
        "name": "Suggest for burn ward",
        "type": 3,
        "dm_permission": False,
        "contexts": [0],
        "integration_types": None,
        "default_member_permissions": None,
        "nsfw": False,
    }
    assert [c["type"] for c in put.body].count(3) == 1
    assert all(c["type"] == 1 for c in put.body if c["name"] != "Suggest for burn ward")


async def test_a_restart_with_the_same_commands_does_not_sync_again(context: Context) -> None:
    """The payload's hash is kept in the store, so a second login sends no PUT."""
    async with running_fake() as fake:
        async with discord_harness(context, fake):
            pass
        async with discord_harness(context, fake):
            pass
        assert len(fake.matching("PUT", GLOBAL)) == 1


async def test_a_dev_guild_gets_the_commands_at_once(context: Context) -> None:
    """With DISCORD_DEV_GUILD the commands go to that guild only, and once."""
    async with running_fake() as fake:
        for _ in range(2):
            async with discord_harness(context, fake, DISCORD_DEV_GUILD=GUILD):
                pass
        assert not fake.matching("PUT", GLOBAL)
        puts = fake.matching("PUT", DEV_GUILD)
    assert len(puts) == 1
    assert by_name(puts[0].body)["burnward"]["contexts"] == [0]


async def test_moving_between_dev_guild_and_global_syncs_each_time(context: Context) -> None:
    """Moving between a dev guild and global registration sends the commands each time."""
    async with running_fake() as fake:
        async with discord_harness(context, fake, DISCORD_DEV_GUILD=GUILD):
            pass
        async with discord_harness(context, fake):
            pass
        async with discord_harness(context, fake, DISCORD_DEV_GUILD=GUILD):
            pass
        assert len(fake.matching("PUT", DEV_GUILD)) == 2
        assert len(fake.matching("PUT", GLOBAL)) == 1
