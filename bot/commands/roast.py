"""`/roast <role> [section|image]`, `/roast list [field|page]`, `/roast random`."""

from __future__ import annotations

import asyncio
import random
from dataclasses import replace

from bot.cards.listing import field_pages, listing_card, page_of
from bot.cards.model import Action, Attachment, Reply
from bot.cards.roast import image_card, page_url, section_card, summary_card
from bot.catalog.lookup import Catalog
from bot.catalog.model import FIELD_TITLES, Role
from bot.catalog.sections import SECTIONS, SUMMARY, Section, find_section
from bot.commands import help, stats
from bot.commands.lookup import MAX_ECHO, resolve_role
from bot.quotes.rotation import next_quote
from bot.runtime.context import Context, place_of
from bot.runtime.invocation import Invocation

# how many trailing words of `/roast <role> <words>` may name a section ("day in the life")
MAX_SECTION_WORDS = 4
# `/roast <role> image` (or the section option `image`): the file record as a picture
IMAGE = "image"


async def run(context: Context, invocation: Invocation) -> Reply:
    """Roast the named role; with no role, show help; `list` and `random` browse the catalog."""
    query = (invocation.option("role") or "").strip()
    first, _, rest = query.partition(" ")
    if not query or query.lower() == "help":
        return await help.run(context, invocation)
    if first.lower() == "list":
        return _list(context, rest)
    if query.lower() == "random" and len(context.catalog):
        role = random.choice(context.catalog.roles)
        return await _roast(context, invocation, role, SUMMARY)
    asked_section = invocation.option("section")
    if asked_section is None:
        split = _role_then_words(context, query)
        if split is not None:
            role, words = split
            if words.lower() == IMAGE:
                return await _image(context, invocation, role)
            section = find_section(words)
            if section is None:
                return _no_section(words)
            return await _roast(context, invocation, role, section)
    found = resolve_role(context.catalog, query, Action("roast"))
    if isinstance(found, Reply):
        await stats.count(context, invocation, stats.MISSING, query)
        return found
    if (asked_section or "").strip().lower() == IMAGE:
        return await _image(context, invocation, found)
    section = find_section(asked_section or SUMMARY.key)
    if section is None:
        return _no_section(asked_section or "")
    return await _roast(context, invocation, found, section)


async def _roast(context: Context, invocation: Invocation, role: Role, section: Section) -> Reply:
    place = place_of(invocation)
    url = page_url(context.public_url, role.id)
    if section is SUMMARY:  # the quote draw counts the roast in its own transaction
        quote = await next_quote(context.store, place, role, stats.today(context))
        return Reply((replace(summary_card(role, context.catalog, quote), url=url),))
    added = (
        await context.store.live_quotes(place.workspace_key, role.id)
        if section.key == "burn-ward"
        else []
    )
    await stats.count(context, invocation, stats.ROAST, role.id)
    return Reply((replace(section_card(role, section, context.catalog, added), url=url),))


async def _image(context: Context, invocation: Invocation, role: Role) -> Reply:
    """The role's file record as a PNG, drawn off the event loop, shown in a card."""
    await stats.count(context, invocation, stats.ROAST, role.id)
    url = page_url(context.public_url, role.id)
    png = await asyncio.to_thread(_record, role, context.catalog, url)
    filename = f"{role.id}.png"
    return Reply(
        (image_card(role, filename, url),),
        attachments=(Attachment(filename, png, "image/png"),),
    )


def _record(role: Role, catalog: Catalog, url: str) -> bytes:
    """The file record's PNG; Pillow and the fonts are imported here, on the worker thread,
    so a text roast never pays for them and the event loop never waits on their import."""
    from bot.images.record import render_record

    return render_record(role, catalog, url or None)


def _role_then_words(context: Context, query: str) -> tuple[Role, str] | None:
    """`Enterprise Architect flight risk`: a known role followed by up to four more words."""
    if context.catalog.find(query) is not None:
        return None
    words = query.split()
    for count in range(1, min(MAX_SECTION_WORDS, len(words) - 1) + 1):
        role = context.catalog.find(" ".join(words[:-count]))
        if role is not None:
            return role, " ".join(words[-count:])
    return None


def _no_section(asked: str) -> Reply:
    keys = ", ".join(s.key for s in SECTIONS)
    return Reply.error(
        f"No section called '{asked[:MAX_ECHO]}'. Pick one of: {keys}; or {IMAGE} for the picture."
    )


def _list(context: Context, asked: str) -> Reply:
    page = page_of(context.catalog, asked)
    if page is None:
        fields = ", ".join(FIELD_TITLES[field] for field, _ in field_pages(context.catalog))
        return Reply.error(
            f"No field or page called '{asked[:MAX_ECHO]}'. Fields: {fields}; or a page number."
        )
    return Reply((listing_card(context.catalog, page),), private=True)
