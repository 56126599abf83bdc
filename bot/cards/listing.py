"""The catalog as pages, one field of work a page: what `/roast list` shows."""

from __future__ import annotations

from bot.cards.model import Action, Button, Card, Menu, MenuOption, Tone
from bot.catalog.lookup import Catalog
from bot.catalog.model import FIELD_TITLES, Role

MAX_LIST_TEXT = 3000  # Slack's section text; Discord's description allows more


def field_pages(catalog: Catalog) -> list[tuple[str, list[Role]]]:
    """(field id, its roles by title) for each field that has roles, in the catalog's order."""
    by_field: dict[str, list[Role]] = {field: [] for field in FIELD_TITLES}
    for role in catalog.roles:
        by_field[role.dossier.field].append(role)
    return [(field, roles) for field, roles in by_field.items() if roles]


def list_action(page: int | str) -> Action:
    """The action that shows one page of the list (by number or field id)."""
    return Action("roast", None, (("role", f"list {page}"),))


def listing_card(catalog: Catalog, page: int) -> Card:
    """Page `page` (1-based, clamped) of the catalog: one field, its roles, and navigation."""
    pages = field_pages(catalog)
    if not pages:
        return Card(description="The catalog is empty.", tone=Tone.INFO)
    page = min(max(page, 1), len(pages))
    field, roles = pages[page - 1]
    names = " · ".join(role.title for role in roles)
    if len(names) > MAX_LIST_TEXT:
        names = names[: MAX_LIST_TEXT - 1].rsplit(" · ", 1)[0] + " …"
    buttons = []
    if page > 1:
        buttons.append(Button("Previous field", list_action(page - 1)))
    if page < len(pages):
        buttons.append(Button("Next field", list_action(page + 1)))
    menu = Menu(
        "Jump to a field",
        tuple(
            MenuOption(
                FIELD_TITLES[other],
                list_action(number),
                description=f"{len(members)} specimens",
                selected=number == page,
            )
            for number, (other, members) in enumerate(pages, 1)
        ),
    )
    return Card(
        title=f"The catalog: {FIELD_TITLES[field]}",
        description=names,
        footer=(
            f"Field {page} of {len(pages)} · {len(catalog)} specimens in all"
            " · /roast <role> opens one"
        ),
        buttons=tuple(buttons),
        menu=menu,
        tone=Tone.INFO,
    )


def page_of(catalog: Catalog, asked: str) -> int | None:
    """The page a `/roast list` argument names: a number, or a field by id or heading prefix."""
    asked = asked.strip().casefold()
    pages = field_pages(catalog)
    if not asked:
        return 1
    if asked.isascii() and asked.isdigit():
        return int(asked[:6])
    for number, (field, _) in enumerate(pages, 1):
        heading = FIELD_TITLES[field].casefold()
        if asked in (field, heading) or heading.startswith(asked) or field.startswith(asked):
            return number
    return None
