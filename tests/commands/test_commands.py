"""Commands through the dispatcher, as any adapter calls them."""

from __future__ import annotations

import pytest
import yaml

from bot.cards.model import Action, Reply, Tone
from bot.catalog.sections import SECTIONS, SUMMARY
from bot.commands.burnward import export_filename
from bot.commands.registry import COMMANDS, dispatch
from bot.quotes.transfer import export_document, render
from bot.runtime.context import Context
from tests.conftest import FIXED_NOW, invocation, seed_quotes

EA = "enterprise-architect"
GUARDIAN = "senior-ai-human-in-the-loop-integration-specialist"


def _text(reply: Reply) -> str:
    card = reply.cards[0]
    parts = [card.header, card.title, card.description, card.footer]
    parts += [f"{f.name} {f.value}" for f in card.fields]
    if card.quote:
        parts.append(card.quote.text)
    return "\n".join(parts)


async def test_roast_summary_card_carries_the_essentials(context: Context) -> None:
    """Title, aliases, tagline, salary, flight-risk bar, a JD pair, a quote, related buttons."""
    reply = await dispatch(context, invocation("roast", role="Algorithmic Guardian"))
    card = reply.cards[0]
    assert not reply.private
    assert card.title == "Senior AI Human-in-the-Loop Integration Specialist"
    names = [f.name for f in card.fields]
    assert names == ["Known aliases", "Salary delusion", "Flight risk", "JD autopsy"]
    assert "Algorithmic Guardian" in card.fields[0].value
    assert card.fields[1].value == "$170,000 market average"
    assert card.fields[2].value == "████████░░ 85% · HIGH RISK"
    assert "LinkedIn illusion" in card.fields[3].value
    seeds = context.catalog.get(GUARDIAN).dossier.burn_ward  # type: ignore[union-attr]
    assert card.quote is not None and card.quote.text in {q.quote for q in seeds}
    assert [b.label for b in card.buttons] == [
        "Lead Backend Data Procurement Analyst · 98%",
        "Enterprise Architect · 91%",
        "SDET · 84%",
    ]
    assert card.buttons[1].action == Action("roast", None, (("role", EA),))
    assert (
        card.footer.startswith(f"Full file: /roast {card.title} <section>")
        and "jd-autopsy" in card.footer
    )
    assert card.menu is not None and len(card.menu.options) == len(SECTIONS)


async def test_three_roasts_show_three_different_quotes(context: Context) -> None:
    """A channel sees every quote of the role once before any repeats."""
    quotes = [
        (await dispatch(context, invocation("roast", role="Algorithmic Guardian"))).cards[0].quote
        for _ in range(3)
    ]
    assert len({q.text for q in quotes if q}) == 3


@pytest.mark.parametrize("section", [s for s in SECTIONS if s is not SUMMARY], ids=lambda s: s.key)
async def test_every_section_has_its_own_card(context: Context, section: object) -> None:
    """Each full section renders with its heading and some content."""
    key = section.key  # type: ignore[attr-defined]
    reply = await dispatch(context, invocation("roast", role=EA, section=key))
    card = reply.cards[0]
    assert card.title.startswith("Enterprise Architect: [")
    assert card.fields or card.description or card.quote
    assert card.menu is not None
    assert [o.selected for o in card.menu.options].count(True) == 1


async def test_unknown_role_is_private_with_suggestions(context: Context) -> None:
    """A typo gets 'No specimen called ...' with up to three suggestions as buttons."""
    reply = await dispatch(context, invocation("roast", role="Enterprse Architct"))
    card = reply.cards[0]
    assert reply.private and card.tone is Tone.ERROR
    assert card.description.startswith("No specimen called 'Enterprse Architct'. Did you mean: ")
    assert card.description.endswith("?")
    assert 1 <= len(card.buttons) <= 3
    assert card.buttons[0].action == Action("roast", None, (("role", EA),))


async def test_an_unknown_section_names_the_valid_ones(context: Context) -> None:
    """A bad section is refused privately with the list of sections."""
    reply = await dispatch(context, invocation("roast", role=EA, section="gossip"))
    assert reply.private and "No section called 'gossip'" in reply.cards[0].description
    assert "metrics" in reply.cards[0].description


async def test_roast_without_a_role_shows_help(context: Context) -> None:
    """Bare /roast (or /roast help) is the help card."""
    for options in ({}, {"role": "help"}):
        reply = await dispatch(context, invocation("roast", **options))
        assert reply.private and reply.cards[0].title.startswith("roastbot")


async def test_burnward_add_by_a_member_is_refused_and_writes_nothing(context: Context) -> None:
    """Non-admins cannot add or remove; nothing reaches the store."""
    reply = await dispatch(context, invocation("burnward", "add", role=EA, quote="Hi"))
    assert reply.private and "Only admins" in reply.cards[0].description
    reply = await dispatch(context, invocation("burnward", "remove", id="1"))
    assert reply.private and "Only admins" in reply.cards[0].description
    assert await context.store.live_quotes("console:w1", EA) == []


async def test_burnward_add_stores_a_clean_quote_shown_only_in_its_workspace(
    context: Context,
) -> None:
    """An admin's quote is stored cleaned, drawn in its workspace, absent elsewhere."""
    hostile = "  **bold** <b>tag</b> `code`\n\u200bzero\x07width  "
    reply = await dispatch(
        context, invocation("burnward", "add", admin=True, role=EA, quote=hostile, source="ops\x00")
    )
    assert reply.cards[0].tone is Tone.SUCCESS
    [stored] = await context.store.live_quotes("console:w1", EA)
    assert stored.text == "**bold** <b>tag</b> `code` zerowidth"
    assert stored.source == "ops"
    seen_here = {
        (await dispatch(context, invocation("roast", role=EA))).cards[0].quote.text  # type: ignore[union-attr]
        for _ in range(12)
    }
    assert stored.text in seen_here
    seen_elsewhere = {
        (await dispatch(context, invocation("roast", workspace="w2", role=EA))).cards[0].quote.text  # type: ignore[union-attr]
        for _ in range(12)
    }
    assert stored.text not in seen_elsewhere


@pytest.mark.parametrize(
    ("quote", "source", "reason"),
    [
        ("hey @everyone", None, "contains a mention"),
        ("ping <@123> now", None, "contains a mention"),
        ("<!channel> alert", None, "contains a mention"),
        ("@HERE we go", None, "contains a mention"),
        ("fine words", "<#C123>", "contains a mention"),
        ("", None, "The quote is empty"),
        ("\u200b\u200d\x00 \n", None, "The quote is empty"),
        ("x" * 401, None, "401 characters"),
        ("x" * 10_000, None, "10000 characters"),
        ("fine", "s" * 81, "source is 81 characters"),
        ("?!...", None, "at least one letter"),
    ],
)
async def test_burnward_add_refuses_bad_quotes_with_the_reason(
    context: Context, quote: str, source: str | None, reason: str
) -> None:
    """Empty, over-long or letterless quotes are refused privately, nothing stored."""
    options = {"role": EA, "quote": quote} | ({"source": source} if source else {})
    reply = await dispatch(context, invocation("burnward", "add", admin=True, **options))
    assert reply.private and reason in reply.cards[0].description
    assert await context.store.live_quotes("console:w1", EA) == []


async def test_burnward_add_accepts_exactly_400_characters(context: Context) -> None:
    """The limit is inclusive, counted after trimming."""
    reply = await dispatch(
        context, invocation("burnward", "add", admin=True, role=EA, quote="  " + "y" * 400 + "  ")
    )
    assert reply.cards[0].tone is Tone.SUCCESS


async def test_burnward_duplicates_are_refused_with_the_existing_id(context: Context) -> None:
    """Same words in other case, spacing or punctuation: refused, naming the first."""
    first = await dispatch(
        context, invocation("burnward", "add", admin=True, role=EA, quote="Committee of one.")
    )
    assert "#1" in first.cards[0].description
    again = await dispatch(
        context, invocation("burnward", "add", admin=True, role=EA, quote="committee   OF one!!")
    )
    assert again.private and "as #1" in again.cards[0].description
    seed_text = context.catalog.get(EA).dossier.burn_ward[0].quote  # type: ignore[union-attr]
    seed = await dispatch(
        context, invocation("burnward", "add", admin=True, role=EA, quote=seed_text.upper())
    )
    assert seed.private and "(S1)" in seed.cards[0].description


async def test_burnward_list_pages_ten_at_a_time_with_ids(context: Context) -> None:
    """Seed quotes are S1.., added ones #id; pages carry next/previous buttons."""
    for n in range(12):
        await dispatch(
            context, invocation("burnward", "add", admin=True, role=EA, quote=f"quote number {n}")
        )
    seeds = len(context.catalog.get(EA).dossier.burn_ward)  # type: ignore[union-attr]
    first = (await dispatch(context, invocation("burnward", "list", role=EA))).cards[0]
    assert len(first.fields) == 10
    assert first.fields[0].name.startswith("S1")
    assert [b.label for b in first.buttons] == ["Next page"]
    last_page = -(-(seeds + 12) // 10)
    last = (
        await dispatch(context, invocation("burnward", "list", role=EA, page=str(last_page + 5)))
    ).cards[0]
    assert last.fields[-1].name == "#12" and f"Page {last_page} of {last_page}" in last.footer
    assert [b.label for b in last.buttons] == ["Previous page"]
    for page in ("zero", "²", "0"):
        bad = await dispatch(context, invocation("burnward", "list", role=EA, page=page))
        assert bad.private
        assert bad.cards[0].description == f"Page must be a whole number from 1, not '{page}'."


async def test_burnward_remove_is_soft_and_only_for_the_workspace(context: Context) -> None:
    """Another workspace cannot remove the quote; its own admin can; seeds cannot be removed."""
    await dispatch(context, invocation("burnward", "add", admin=True, role=EA, quote="to go"))
    elsewhere = await dispatch(
        context, invocation("burnward", "remove", admin=True, workspace="w2", id="1")
    )
    assert "no live quote #1" in elsewhere.cards[0].description
    done = await dispatch(context, invocation("burnward", "remove", admin=True, id="#1"))
    assert done.cards[0].tone is Tone.SUCCESS
    assert await context.store.live_quotes("console:w1", EA) == []
    expected = {
        "S1": "Quotes marked S come from the dossier itself; change them in its YAML file.",
        "abc": "Give the number of an added quote, e.g. /burnward remove 12.",
        "²": "Give the number of an added quote, e.g. /burnward remove 12.",
        "9" * 40: "Give the number of an added quote, e.g. /burnward remove 12.",
        "12345": "This workspace has no live quote #12345. Nothing was changed.",
    }
    for bad, message in expected.items():
        reply = await dispatch(context, invocation("burnward", "remove", admin=True, id=bad))
        assert reply.private and reply.cards[0].description == message


async def test_unknown_command_and_failures_become_private_errors(context: Context) -> None:
    """The dispatcher never raises: unknown commands and crashes are private replies."""
    reply = await dispatch(context, invocation("nope"))
    assert reply.private and "Unknown command" in reply.cards[0].description

    async def boom(_context: Context, _invocation: object) -> Reply:
        raise RuntimeError("kaput")

    COMMANDS["boom"] = boom
    try:
        reply = await dispatch(context, invocation("boom"))
    finally:
        del COMMANDS["boom"]
    assert reply.private and reply.cards[0].description.startswith("Something went wrong (ref ")


def test_command_names_are_unique_and_registered_once() -> None:
    """Every registered command is a distinct name mapped to a distinct handler."""
    assert len(set(COMMANDS.values())) == len(COMMANDS)


async def test_burnward_export_by_a_member_is_refused_with_no_file(context: Context) -> None:
    """A member asking for the export gets a private refusal and no attachment."""
    await seed_quotes(context.store, "console:w1", ["kept secret"])
    reply = await dispatch(context, invocation("burnward", "export"))
    assert reply.private and reply.attachments == ()
    assert reply.cards[0].description == "Only admins of this workspace can export the burn ward."


@pytest.mark.parametrize("fmt", ["yaml", "json"])
async def test_burnward_export_is_the_cli_export_of_this_workspace(
    context: Context, fmt: str
) -> None:
    """The file holds this workspace's quotes, removed ones too, rendered as the CLI renders them."""
    await seed_quotes(context.store, "console:w1", ["one", "two", "three"], removed=1)
    await seed_quotes(context.store, "console:w2", ["elsewhere"])
    reply = await dispatch(context, invocation("burnward", "export", admin=True, format=fmt))
    assert reply.private
    (file,) = reply.attachments
    quotes = await context.store.all_quotes("console:w1")
    assert file.content == render(export_document(quotes), fmt).encode()
    assert file.filename == f"burnward-console-w1-2026-11-21.{fmt}"
    assert file.mime == {"yaml": "application/yaml", "json": "application/json"}[fmt]
    assert [q.text for q in quotes] == ["one", "two", "three"]
    card = reply.cards[0]
    assert card.description == "3 quotes added in this workspace, 1 of them removed."
    assert card.footer == f"{file.filename}: roastbot quotes import reads it back."


async def test_burnward_export_with_no_quotes_is_still_a_valid_file(context: Context) -> None:
    """No quotes: an empty but importable export, and the reply says there are none."""
    reply = await dispatch(
        context, invocation("burnward", "export", admin=True, platform="discord")
    )
    (file,) = reply.attachments
    assert yaml.safe_load(file.content) == {"version": 1, "quotes": []}
    assert reply.cards[0].description.startswith("No quotes added in this server yet")


async def test_burnward_export_refuses_an_unknown_format(context: Context) -> None:
    """A format other than yaml or json is refused by name, with no file."""
    reply = await dispatch(context, invocation("burnward", "export", admin=True, format="xml"))
    assert reply.attachments == () and reply.cards[0].tone is Tone.ERROR
    assert "yaml or json, not 'xml'" in reply.cards[0].description


def test_export_file_names_are_safe_whatever_the_workspace_id() -> None:
    """Path separators, dots and spaces in a workspace id never reach the file name."""
    odd = invocation("burnward", "export", platform="console", workspace="../a b/.c")
    assert export_filename(odd, FIXED_NOW, "json") == "burnward-console-_a_b_c-2026-11-21.json"
