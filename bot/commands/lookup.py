"""Shared by commands that take a role: find it, or answer with suggestions."""

from __future__ import annotations

from bot.cards.model import Action, Button, Card, Reply, Tone
from bot.catalog.lookup import Catalog
from bot.catalog.model import Role

MAX_ECHO = 80


# how each command that takes a role is written, for the hint under its errors
EXAMPLES = {
    ("roast", None): "/roast Enterprise Architect",
    ("burnward", "add"): "/burnward add Enterprise Architect | <quote> | [source]",
    ("burnward", "list"): "/burnward list Enterprise Architect",
    ("burnward", "suggest"): "/burnward suggest Enterprise Architect | <quote> | [source]",
}


def example(action: Action) -> str:
    """An example of the command behind `action`, for error messages."""
    return EXAMPLES.get((action.command, action.subcommand), EXAMPLES[("roast", None)])


def resolve_role(catalog: Catalog, query: str | None, then: Action) -> Role | Reply:
    """The role `query` names, or a private reply saying there is none, with suggestions.

    `then` is the action the suggestion buttons run, with the suggested role filled in.
    """
    if not query:
        return Reply.error(f"Which specimen? Give a role, e.g. {example(then)}.")
    role = catalog.find(query)
    if role is not None:
        return role
    shown = query.strip()[:MAX_ECHO]
    suggestions = catalog.suggest(query)
    if not suggestions:
        return Reply.error(
            f"No specimen called '{shown}', and none comes close. /roast list shows them all."
        )
    names = ", ".join(s.title for s in suggestions)
    buttons = tuple(
        Button(s.title, Action(then.command, then.subcommand, (*then.options, ("role", s.id))))
        for s in suggestions
    )
    card = Card(
        description=f"No specimen called '{shown}'. Did you mean: {names}?",
        buttons=buttons,
        tone=Tone.ERROR,
    )
    return Reply((card,), private=True)
