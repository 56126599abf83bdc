"""The Discord renderer: exact payloads, escaping, and Discord's limits whatever the text."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.discord.render import MENU_PREFIX, component_action, message_payload
from bot.adapters.discord.text import escape, fit_markdown, fit_plain
from bot.cards.model import (
    Action,
    Button,
    ButtonStyle,
    Card,
    Field,
    Menu,
    MenuOption,
    Quote,
    Reply,
    Tone,
)

HOSTILE = "@everyone <@123456789012345678> **bold** <#123456789012345678> [x](https://e.com) `c`"


def test_a_small_card_renders_to_exact_json() -> None:
    """Header, title, description, fields, quote, footer, buttons and menu, as Discord gets them."""
    roast = Action("roast", None, (("role", "sdet"),))
    card = Card(
        header="Specimen of the day",
        title="SDET",
        description="Tests the tests.",
        fields=(Field("Flight risk", "80%", inline=True),),
        quote=Quote("It works on my pipeline.", "a QA lead"),
        footer="Open the full file from the menu",
        buttons=(Button("SDET · 84%", roast, ButtonStyle.PRIMARY),),
        menu=Menu("Open a section", (MenuOption("Summary", roast, selected=True),)),
    )
    assert message_payload(Reply((card,))) == {
        "embeds": [
            {
                "author": {"name": "Specimen of the day"},
                "title": "SDET",
                "description": "Tests the tests.",
                "color": 0xE8590C,
                "fields": [
                    {"name": "Flight risk", "value": "80%", "inline": True},
                    {
                        "name": "\u200b",
                        "value": "> “It works on my pipeline.”\n> — a QA lead",
                        "inline": False,
                    },
                ],
                "footer": {"text": "Open the full file from the menu"},
            }
        ],
        "components": [
            {
                "type": 1,
                "components": [
                    {
                        "type": 2,
                        "style": 1,
                        "label": "SDET · 84%",
                        "custom_id": "rb1|roast||role=sdet",
                    }
                ],
            },
            {
                "type": 1,
                "components": [
                    {
                        "type": 3,
                        "custom_id": f"{MENU_PREFIX}0",
                        "placeholder": "Open a section",
                        "options": [
                            {"label": "Summary", "value": "rb1|roast||role=sdet", "default": True}
                        ],
                    }
                ],
            },
        ],
        "allowed_mentions": {"parse": []},
    }


def test_a_private_reply_is_ephemeral() -> None:
    """Private replies carry flags 64 and the error colour of their tone."""
    payload = message_payload(Reply.error("No."))
    assert payload == {
        "embeds": [{"description": "No.", "color": 0xED4245}],
        "components": [],
        "allowed_mentions": {"parse": []},
        "flags": 64,
    }


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("@everyone", "@\u200beveryone"),
        ("@here", "@\u200bhere"),
        ("<@123456789012345678>", "\\<@\u200b123456789012345678>"),
        ("<@&123456789012345678>", "\\<@\u200b&123456789012345678>"),
        ("<#123456789012345678>", "\\<#123456789012345678>"),
        ("<t:1700000000:R>", "\\<t:1700000000:R>"),
        ("<id:customize>", "\\<id:customize>"),
        ("**bold**", "\\*\\*bold\\*\\*"),
        (
            "__under__ ~~strike~~ ||spoiler||",
            "\\_\\_under\\_\\_ \\~\\~strike\\~\\~ \\|\\|spoiler\\|\\|",
        ),
        ("`code`", "\\`code\\`"),
        ("# heading", "\\# heading"),
        ("> quoted", "\\> quoted"),
        ("1. listed", "1\\. listed"),
        ("- bullet", "\\- bullet"),
        ("[masked](https://evil.example)", "\\[masked](https://evil.example)"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_escape_neutralises_markdown_and_mentions(text: str, shown: str) -> None:
    """Each Markdown or mention form is escaped so it shows literally."""
    assert escape(text) == shown


def test_a_hostile_quote_is_escaped_in_the_embed() -> None:
    """A quote holding mentions and Markdown neither pings nor formats."""
    card = Card(title="SDET", quote=Quote(HOSTILE, "<@123456789012345678>"))
    payload = message_payload(Reply((card,)))
    value = payload["embeds"][0]["fields"][0]["value"]
    assert value == (
        "> “@\u200beveryone \\<@\u200b123456789012345678> \\*\\*bold\\*\\* "
        "\\<#123456789012345678> \\[x](https://e.com) \\`c\\`”\n"
        "> — \\<@\u200b123456789012345678>"
    )
    assert payload["allowed_mentions"] == {"parse": []}


def test_a_source_with_line_breaks_stays_inside_the_block_quote() -> None:
    """A dossier source holding line breaks is one `> — ` line, like the quote above it."""
    card = Card(quote=Quote("Ship it.", "standup\n\nnotes\n# from ops"))
    value = message_payload(Reply((card,)))["embeds"][0]["fields"][0]["value"]
    assert value == "> “Ship it.”\n> — standup notes # from ops"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("a" * 20, 10, "a" * 9 + "…"),
        ("*" * 20, 10, "\\*" * 4 + "…"),
        ("abc", 0, ""),
        ("  padded  ", 6, "padded"),
    ],
)
def test_fit_markdown_clips_after_escaping(text: str, limit: int, expected: str) -> None:
    """Clipping counts the escaped form and never leaves half an escape."""
    assert fit_markdown(text, limit) == expected


def test_fit_plain_clips_with_an_ellipsis() -> None:
    """Plain text keeps its characters and ends in "…" when clipped."""
    assert fit_plain("**not escaped** and long", 10) == "**not esc…"


def test_empty_field_parts_and_empty_cards_stay_valid() -> None:
    """Discord rejects empty field names, values and embeds; they become a zero-width space."""
    payload = message_payload(Reply((Card(fields=(Field("", " "),)), Card())))
    assert payload["embeds"][0]["fields"] == [
        {"name": "\u200b", "value": "\u200b", "inline": False}
    ]
    assert payload["embeds"][1] == {"description": "\u200b", "color": 0xE8590C}


def test_duplicate_and_oversized_actions_are_left_out() -> None:
    """Custom ids are unique per message and at most 100 characters, or the button is dropped."""
    same = Action("roast", None, (("role", "sdet"),))
    huge = Action("roast", None, (("role", "x" * 200),))
    card = Card(buttons=(Button("A", same), Button("B", same), Button("C", huge)))
    rows = message_payload(Reply((card, card)))["components"]
    assert rows == [
        {
            "type": 1,
            "components": [
                {"type": 2, "style": 2, "label": "A", "custom_id": "rb1|roast||role=sdet"}
            ],
        }
    ]


@pytest.mark.parametrize(
    ("custom_id", "values", "expected"),
    [
        ("rb1|roast||role=sdet", [], Action("roast", None, (("role", "sdet"),))),
        (
            f"{MENU_PREFIX}0",
            ["rb1|roast||role=sdet|section=day"],
            Action("roast", None, (("role", "sdet"), ("section", "day"))),
        ),
        (f"{MENU_PREFIX}0", [], None),
        ("someone-else", [], None),
    ],
)
def test_component_action_decodes_buttons_and_menu_values(
    custom_id: str, values: list[str], expected: Action | None
) -> None:
    """A button's custom id, or a menu's chosen value, is the encoded action."""
    assert component_action(custom_id, values) == expected


def _length(embed: dict[str, Any]) -> int:
    fields = embed.get("fields", [])
    return sum(
        [
            len(embed.get("title", "")),
            len(embed.get("description", "")),
            len(embed.get("author", {}).get("name", "")),
            len(embed.get("footer", {}).get("text", "")),
        ]
        + [len(f["name"]) + len(f["value"]) for f in fields]
    )


def assert_within_limits(payload: dict[str, Any]) -> None:
    """Every Discord message limit the renderer promises."""
    embeds = payload["embeds"]
    assert 1 <= len(embeds) <= 10
    assert sum(_length(e) for e in embeds) <= 6000
    for embed in embeds:
        assert len(embed.get("title", "")) <= 256
        assert len(embed.get("description", "")) <= 4096
        assert len(embed.get("author", {}).get("name", "")) <= 256
        assert len(embed.get("footer", {}).get("text", "")) <= 2048
        assert len(embed.get("fields", [])) <= 25
        for f in embed.get("fields", []):
            assert 1 <= len(f["name"]) <= 256 and 1 <= len(f["value"]) <= 1024
    rows = payload["components"]
    assert len(rows) <= 5
    ids: list[str] = []
    for row in rows:
        assert row["type"] == 1 and 1 <= len(row["components"]) <= 5
        for item in row["components"]:
            ids.append(item["custom_id"])
            assert len(item["custom_id"]) <= 100
            if item["type"] == 2:
                assert 1 <= len(item["label"]) <= 80
            else:
                assert len(row["components"]) == 1 and 1 <= len(item["options"]) <= 25
                assert len(item.get("placeholder", "")) <= 150
                assert sum(o.get("default", False) for o in item["options"]) <= 1
                for o in item["options"]:
                    assert 1 <= len(o["label"]) <= 100 and len(o["value"]) <= 100
                    assert len(o.get("description", "")) <= 100
    assert len(ids) == len(set(ids))
    assert payload["allowed_mentions"] == {"parse": []}


_text = st.text(max_size=300) | st.text(
    alphabet=st.sampled_from("*_~|`>#-@<:!&123456789 \nabcé😀"), max_size=3000
)
_actions = st.builds(
    Action,
    command=st.sampled_from(["roast", "burnward"]),
    options=st.lists(
        st.tuples(st.sampled_from(["role", "page"]), st.text(max_size=60)), max_size=2
    ).map(tuple),
)
_cards = st.builds(
    Card,
    title=_text,
    description=_text,
    fields=st.lists(
        st.builds(Field, name=_text, value=_text, inline=st.booleans()), max_size=30
    ).map(tuple),
    quote=st.none() | st.builds(Quote, text=_text, source=st.none() | _text),
    footer=_text,
    header=_text,
    buttons=st.lists(st.builds(Button, label=_text, action=_actions), max_size=30).map(tuple),
    menu=st.none()
    | st.builds(
        Menu,
        placeholder=_text,
        options=st.lists(
            st.builds(
                MenuOption, label=_text, action=_actions, description=_text, selected=st.booleans()
            ),
            max_size=30,
        ).map(tuple),
    ),
    tone=st.sampled_from(Tone),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cards=st.lists(_cards, min_size=1, max_size=12), private=st.booleans())
def test_no_card_text_breaks_a_discord_limit(cards: list[Card], private: bool) -> None:
    """Arbitrary dossier text, quotes and buttons never exceed a Discord limit."""
    assert_within_limits(message_payload(Reply(tuple(cards), private=private)))


@settings(max_examples=200, deadline=None)
@given(text=_text, limit=st.integers(min_value=0, max_value=300))
def test_fit_markdown_never_exceeds_its_limit(text: str, limit: int) -> None:
    """Escaped and clipped text is within the limit and does not end in a lone backslash."""
    fitted = fit_markdown(text, limit)
    assert len(fitted) <= limit
    assert not fitted.removesuffix("…").endswith("\\") or fitted.removesuffix("…").endswith("\\\\")
