"""The Slack renderer: Block Kit and fallback text, escaped and within every Slack limit."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.slack.mrkdwn import clip, clip_mrkdwn, escape, json_units, units
from bot.adapters.slack.render import MESSAGE_BUDGET, message_payload
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
from bot.catalog.lookup import Catalog
from bot.catalog.sections import SECTIONS
from bot.cli import main
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from tests.adapters.slack.text_checks import check_mrkdwn, check_plain
from tests.conftest import invocation

DATE_TOKEN = re.compile(r"<!date\^-?\d+\^\{date_long_pretty\} at \{time\}\|[^<>]*>")


def _ours(text: str) -> str:
    """The text without our date tokens and blockquotes."""
    return re.sub(r"(?m)^> ", "", DATE_TOKEN.sub("", text))


def _select(select: dict[str, Any]) -> None:
    options = select["options"]
    assert 1 <= len(options) <= 100
    for option in options:
        check_plain(option["text"], 75)
        assert 1 <= units(option["value"]) <= 150
        if "description" in option:
            check_plain(option["description"], 75)
    assert len({option["value"] for option in options}) == len(options)
    if "initial_option" in select:
        assert select["initial_option"] in options
    if "placeholder" in select:
        check_plain(select["placeholder"], 150)


def check_limits(payload: dict[str, Any]) -> None:
    """Every Slack limit the renderer promises, checked on one message payload."""
    assert set(payload) == {"blocks", "text"}
    assert payload["text"].strip() and units(payload["text"]) <= 500
    blocks = payload["blocks"]
    assert len(blocks) <= 50
    assert json_units(blocks) <= MESSAGE_BUDGET
    action_ids: list[str] = []
    for block in blocks:
        match block["type"]:
            case "header":
                check_plain(block["text"], 150)
            case "section":
                assert ("text" in block) != ("fields" in block)
                if "text" in block:
                    check_mrkdwn(block["text"], 3000, _ours)
                else:
                    assert 1 <= len(block["fields"]) <= 10
                    for field in block["fields"]:
                        check_mrkdwn(field, 2000, _ours)
            case "context":
                assert 1 <= len(block["elements"]) <= 10
                for element in block["elements"]:
                    check_mrkdwn(element, 3000, _ours)
            case "actions":
                assert 1 <= len(block["elements"]) <= 25
                for element in block["elements"]:
                    action_ids.append(element["action_id"])
                    assert units(element["action_id"]) <= 255
                    if element["type"] == "button":
                        check_plain(element["text"], 75)
                        assert 1 <= units(element["value"]) <= 2000
                    else:
                        assert element["type"] == "static_select"
                        _select(element)
            case kind:
                assert kind == "divider"
    assert len(set(action_ids)) == len(action_ids)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("<!here> <!everyone>", "&lt;!here&gt; &lt;!everyone&gt;"),
        ("<@U123>", "&lt;@U123&gt;"),
        ("<https://x.example|y>", "&lt;https://x.example|y&gt;"),
        ("Q&A", "Q&amp;A"),
        ("&amp;", "&amp;amp;"),
        ("*bold* _it_ `code`", "*bold* _it_ `code`"),
        ("bell\x07 and\ttab\nnewline", "bell and\ttab\nnewline"),
    ],
)
def test_escape_makes_mentions_and_links_inert(raw: str, escaped: str) -> None:
    """`&`, `<` and `>` become entities; control characters other than tab and newline go."""
    assert escape(raw) == escaped


@pytest.mark.parametrize(
    ("text", "limit", "clipped"),
    [
        ("short", 10, "short"),
        ("x" * 200, 150, "x" * 149 + "…"),
        ("😀" * 100, 75, "😀" * 37 + "…"),
        ("", 5, ""),
    ],
)
def test_clip_counts_utf16_units(text: str, limit: int, clipped: str) -> None:
    """Plain text is cut with an ellipsis, an emoji counting two units as Slack counts it."""
    assert clip(text, limit) == clipped
    assert units(clipped) <= limit


def test_clip_mrkdwn_never_cuts_an_entity() -> None:
    """Escaped text is cut between entities, never inside one."""
    assert clip_mrkdwn("<" * 1000, 3000) == "&lt;" * 749 + "…"
    assert clip_mrkdwn("a<b", 5) == "a…"


def test_a_card_renders_to_exact_blocks() -> None:
    """Title header, escaped description, inline fields, quote, buttons, menu and footer."""
    roast = Action("roast", None, (("role", "sdet"),))
    card = Card(
        title="SDET",
        description="Tests <everything> & nothing",
        fields=(Field("Salary", "$1", inline=True), Field("Risk", "high", inline=True)),
        quote=Quote("It works on <@U1>'s machine", "standup"),
        footer="Try /roast SDET day",
        buttons=(Button("Staff Engineer · 91%", roast, ButtonStyle.PRIMARY),),
        menu=Menu("Open a section", (MenuOption("Summary", roast, selected=True),)),
    )
    summary = {"text": {"type": "plain_text", "text": "Summary"}, "value": "rb1|roast||role=sdet"}
    assert message_payload(Reply((card,))) == {
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "SDET"}},
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "Tests &lt;everything&gt; &amp; nothing",
                    "verbatim": True,
                },
            },
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": "*Salary*\n$1", "verbatim": True},
                    {"type": "mrkdwn", "text": "*Risk*\nhigh", "verbatim": True},
                ],
            },
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "> “It works on &lt;@U1&gt;'s machine”\n> — standup",
                    "verbatim": True,
                },
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "rb1-button-0-0",
                        "text": {"type": "plain_text", "text": "Staff Engineer · 91%"},
                        "value": "rb1|roast||role=sdet",
                        "style": "primary",
                    },
                    {
                        "type": "static_select",
                        "action_id": "rb1-menu-0",
                        "placeholder": {"type": "plain_text", "text": "Open a section"},
                        "options": [summary],
                        "initial_option": summary,
                    },
                ],
            },
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "Try /roast SDET day", "verbatim": True}],
            },
        ],
        "text": "SDET: Tests &lt;everything&gt; &amp; nothing",
    }


def test_header_comes_first_and_the_title_follows_in_bold() -> None:
    """A card with a header (specimen of the day) shows it as the header block."""
    card = Card(header="Specimen of the day, Friday 21 November", title="SDET")
    blocks = message_payload(Reply((card,)))["blocks"]
    assert blocks == [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": "Specimen of the day, Friday 21 November"},
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": "*SDET*", "verbatim": True}},
    ]


@pytest.mark.parametrize(
    ("reply", "text"),
    [
        (Reply.error("No <specimen> here."), "No &lt;specimen&gt; here."),
        (Reply((Card(title="SDET"),)), "SDET"),
        (Reply(()), "roastbot"),
    ],
)
def test_fallback_text_is_always_present(reply: Reply, text: str) -> None:
    """Notifications get the title and description, or the description alone, escaped."""
    assert message_payload(reply)["text"] == text


def test_error_and_notice_cards_carry_a_mark() -> None:
    """Slack blocks have no colour, so refusals and confirmations start with an emoji."""
    error = message_payload(Reply.error("Nope."))["blocks"]
    notice = message_payload(Reply.notice("Done."))["blocks"]
    assert error[0]["text"]["text"] == ":warning: Nope."
    assert notice[0]["text"]["text"] == ":white_check_mark: Done."


def test_timestamp_is_shown_in_each_readers_time_zone() -> None:
    """A card's timestamp becomes Slack's date token with a UTC fallback."""
    moment = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    blocks = message_payload(Reply((Card(title="SDET", timestamp=moment),)))["blocks"]
    assert blocks[-1]["elements"][-1]["text"] == (
        f"<!date^{int(moment.timestamp())}^{{date_long_pretty}} at {{time}}|2026-11-21 09:00 UTC>"
    )


def test_an_oversized_card_is_shortened_with_a_note() -> None:
    """Forty long fields: a prefix of them is kept in order, and a note says the rest is out."""
    fields = tuple(Field(f"F{i}", f"{i} " + "word " * 380) for i in range(40))
    payload = message_payload(Reply((Card(title="Big", fields=fields, footer="foot"),)))
    check_limits(payload)
    names = [b["text"]["text"].split("*")[1] for b in payload["blocks"][1:-1]]
    assert names == [f"F{i}" for i in range(len(names))]
    note, footer = payload["blocks"][-1]["elements"]
    assert note["text"].startswith("Shortened to fit one Slack message")
    assert footer["text"] == "foot"


async def test_every_bundled_card_fits_without_shortening(context: Context) -> None:
    """Every role's summary and every section renders within limits, nothing left out."""
    for role in context.catalog:
        for section in SECTIONS:
            reply = await dispatch(
                context, invocation("roast", platform="slack", role=role.id, section=section.key)
            )
            payload = message_payload(reply)
            check_limits(payload)
            assert "Shortened" not in json.dumps(payload), (role.id, section.key)


def test_cli_prints_the_slack_payload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`roastbot roast X --format slack` prints the message JSON the bot sends."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ROASTBOT_DB", str(tmp_path / "cli.sqlite3"))
    assert main(["roast", "Enterprise Architect", "--format", "slack"]) == 0
    payload = json.loads(capsys.readouterr().out)
    check_limits(payload)
    assert payload["blocks"][0]["text"]["text"] == "Enterprise Architect"


_short = st.text(max_size=40)
_long = st.builds(
    lambda unit, times: unit * times, st.text(min_size=1, max_size=8), st.integers(0, 900)
)
_text = st.one_of(_short, _long, st.sampled_from(["<!channel>", "&", "<@U1>", "😀" * 80, " "]))
_action = st.builds(
    Action,
    st.text(min_size=1, max_size=30),
    st.none() | st.text(max_size=10),
    st.lists(st.tuples(st.text(max_size=20), _text), max_size=3).map(tuple),
)
_card = st.builds(
    Card,
    title=_text,
    description=_text,
    fields=st.lists(st.builds(Field, _text, _text, st.booleans()), max_size=40).map(tuple),
    quote=st.none() | st.builds(Quote, _text, st.none() | _text),
    footer=_text,
    header=_text,
    buttons=st.lists(
        st.builds(Button, _text, _action, st.sampled_from(ButtonStyle)), max_size=30
    ).map(tuple),
    menu=st.none()
    | st.builds(
        Menu,
        _text,
        st.lists(st.builds(MenuOption, _text, _action, _text, st.booleans()), max_size=120).map(
            tuple
        ),
    ),
    tone=st.sampled_from(Tone),
    timestamp=st.none() | st.datetimes(timezones=st.just(UTC)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.builds(Reply, st.lists(_card, max_size=5).map(tuple), st.booleans()))
def test_any_text_in_any_card_stays_within_slack_limits(reply: Reply) -> None:
    """Arbitrary text, fields, buttons and menus never break a Slack limit or escape mrkdwn."""
    check_limits(message_payload(reply))


def test_catalog_fixture_is_the_bundled_one(catalog: Catalog) -> None:
    """The meta-test above runs over the bundled catalog (guards a silently empty one)."""
    assert catalog.find("Enterprise Architect") is not None


def test_a_remembered_payload_is_a_fresh_copy_each_time() -> None:
    """The same reply renders to equal payloads, and changing one never reaches the next."""
    reply = Reply((Card(title="SDET", fields=(Field("Known aliases", "QA"),)),))
    first = message_payload(reply)
    first["blocks"][0]["text"]["text"] = "changed"
    first["blocks"].append({"type": "divider"})
    second = message_payload(reply)
    assert second == message_payload(
        Reply((Card(title="SDET", fields=(Field("Known aliases", "QA"),)),))
    )
    assert "changed" not in json.dumps(second)
    assert second["blocks"][-1] != {"type": "divider"}


def test_a_reply_that_cannot_be_remembered_still_renders() -> None:
    """A reply holding a list (unhashable) is rendered afresh, the same as its tuple twin."""
    listed = Reply((Card(title="SDET", fields=[Field("Known aliases", "QA")]),))  # type: ignore[arg-type]
    twin = Reply((Card(title="SDET", fields=(Field("Known aliases", "QA"),)),))
    assert message_payload(listed) == message_payload(twin)
