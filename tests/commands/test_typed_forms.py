"""What people really type: sections in words, the catalog list, forgotten bars, 9am."""

from __future__ import annotations

import pytest

from bot.cards.model import Reply, Tone
from bot.catalog.model import FIELD_TITLES
from bot.commands.registry import dispatch
from bot.commands.textargs import parse_line
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation
from tests.conftest import invocation


async def typed(context: Context, line: str, *, admin: bool = False) -> Reply:
    """Dispatch a line as the console and Slack parse it."""
    parsed = parse_line(line)
    assert parsed is not None
    return await dispatch(
        context,
        Invocation(
            "console", "w1", "c1", "u1", admin, parsed.command, parsed.subcommand, parsed.options
        ),
    )


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("/roast Enterprise Architect flight risk", "The flight risk"),
        ("/roast enterprise architect burn ward", "The burn ward"),
        ("/roast Enterprise Architect jd autopsy", "The JD autopsy"),
        ("/roast Enterprise Architect day in the life", "Day-in-the-life log"),
        ("/roast SDET metrics", "The bullshit metrics"),
    ],
)
async def test_section_names_typed_with_spaces_work(
    context: Context, line: str, heading: str
) -> None:
    """The role's name ends where the catalog says, and the words after it name the section."""
    reply = await typed(context, line)
    assert heading.lower() in reply.cards[0].title.lower()


async def test_an_unknown_trailing_word_after_a_role_names_the_section_problem(
    context: Context,
) -> None:
    """`Enterprise Architect gossip`: the role resolves, so the answer is about the section."""
    reply = await typed(context, "/roast Enterprise Architect gossip")
    assert reply.private and reply.cards[0].description.startswith("No section called 'gossip'.")


async def test_roast_list_pages_the_catalog_by_field_with_buttons(context: Context) -> None:
    """Page 1 is the first field; Next goes on; a field name jumps; every role is listed once."""
    first = await typed(context, "/roast list")
    card = first.cards[0]
    assert first.private and card.title == f"The catalog: {FIELD_TITLES['engineering']}"
    assert [b.label for b in card.buttons] == ["Next field"]
    assert card.menu is not None and len(card.menu.options) == len(FIELD_TITLES)
    seen: list[str] = []
    page = first
    for _ in range(len(FIELD_TITLES)):
        seen += page.cards[0].description.split(" · ")
        nexts = [b for b in page.cards[0].buttons if b.label == "Next field"]
        if not nexts:
            break
        page = await dispatch(context, invocation("roast").with_action(nexts[0].action))
    assert sorted(seen) == sorted(role.title for role in context.catalog.roles)
    security = await typed(context, "/roast list security")
    assert security.cards[0].title == "The catalog: Security and risk"
    bad = await typed(context, "/roast list astrology")
    assert bad.cards[0].tone is Tone.ERROR and "Fields: Engineering" in bad.cards[0].description


async def test_roast_random_is_a_roast(context: Context) -> None:
    """A random specimen's summary card, public."""
    reply = await typed(context, "/roast random")
    titles = {role.title for role in context.catalog.roles}
    assert not reply.private and reply.cards[0].title in titles


@pytest.mark.parametrize("query", ["astrologer", "banana", "xyzzy"])
async def test_nothing_close_says_so_and_points_to_the_list(context: Context, query: str) -> None:
    """No far-fetched suggestions: say none is close and name /roast list."""
    reply = await typed(context, f"/roast {query}")
    assert reply.cards[0].description == (
        f"No specimen called '{query}', and none comes close. /roast list shows them all."
    )
    assert reply.cards[0].buttons == ()


async def test_close_typos_still_get_suggestions(context: Context) -> None:
    """`Enterprse Architct` and `devop` still find their roles."""
    assert (
        "Enterprise Architect"
        in (await typed(context, "/roast Enterprse Architct")).cards[0].description
    )
    assert "DevOps Engineer" in (await typed(context, "/roast devop")).cards[0].description


async def test_burnward_add_without_bars_says_where_the_bar_goes(context: Context) -> None:
    """The text starts with a known role: the answer shows the command with the bar in place."""
    reply = await typed(
        context, "/burnward add Enterprise Architect The roadmap is fine", admin=True
    )
    assert reply.cards[0].description == (
        "Put a | between the role and the quote: "
        "/burnward add Enterprise Architect | The roadmap is fine | [source]."
    )
    assert await context.store.all_quotes() == []
    empty = await typed(context, "/burnward add", admin=True)
    assert "/burnward add Enterprise Architect | <quote> | [source]" in (empty.cards[0].description)


async def test_a_suggestion_pressed_after_a_role_typo_keeps_the_quote(context: Context) -> None:
    """Typo in the role, press the suggested role: the quote and source are added as typed."""
    reply = await typed(
        context, "/burnward add Enterprse Architct | The roadmap is fine | an architect", admin=True
    )
    button = reply.cards[0].buttons[0]
    assert button.label == "Enterprise Architect"
    added = await dispatch(context, invocation("burnward", admin=True).with_action(button.action))
    assert added.cards[0].tone is Tone.SUCCESS
    [stored] = await context.store.all_quotes()
    assert (stored.role_id, stored.text, stored.source) == (
        "enterprise-architect",
        "The roadmap is fine",
        "an architect",
    )
    member = await dispatch(context, invocation("burnward").with_action(button.action))
    assert member.cards[0].tone is Tone.ERROR and len(await context.store.all_quotes()) == 1


async def test_hidden_bidi_controls_cannot_move_the_split(context: Context) -> None:
    """A right-to-left override inside the line is removed before splitting on the bars."""
    line = "/burnward add Scrum Master | \u202eشكرا standup ran long \u202c| team lead"
    await typed(context, line, admin=True)
    [stored] = await context.store.all_quotes()
    assert (stored.role_id, stored.text, stored.source) == (
        "scrum-master",
        "شكرا standup ran long",
        "team lead",
    )


@pytest.mark.parametrize(
    ("line", "time"),
    [
        ("/specimen subscribe 9am Europe/Berlin", "09:00"),
        ("/specimen subscribe Europe/Berlin 9:30pm", "21:30"),
        ("/specimen subscribe 9 am Europe/Berlin", "09:00"),
        ("/specimen subscribe 21h Europe/Berlin", "21:00"),
    ],
)
async def test_twelve_hour_and_h_times_subscribe(context: Context, line: str, time: str) -> None:
    """9am, 9:30pm, 21h: the time is the time, the zone is the zone."""
    reply = await typed(context, line, admin=True)
    assert reply.cards[0].tone is Tone.SUCCESS, reply.cards[0].description
    assert f"at {time} Europe/Berlin" in reply.cards[0].description
