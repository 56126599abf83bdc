"""The "Suggest for burn ward" form: a Discord modal prefilled from a message, read back. Pure.

The message context-menu command opens it (interaction response type 9) with the message's
text in the quote field; submitting it (interaction type 5) runs the action its custom id
carries, `/burnward suggest`, with the three fields as options. No modal is kept in memory:
like a button, the form works after a restart and on any instance. Each text input sits in a
Label component (type 18), as Discord asks of modals now; a submission read back also accepts
the older action-row form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.cards.model import Action
from bot.quotes.text import MAX_QUOTE, MAX_SOURCE

MODAL = 9
ACTION_ROW = 1
TEXT_INPUT = 4
LABEL = 18
SHORT, PARAGRAPH = 1, 2
TITLE = 45  # the most a modal title or a label holds
LABEL_DESCRIPTION = 100
ROLE_TEXT = 100

CAPTURE = "Suggest for burn ward"
"""The message context-menu command, and the form's title."""
SUGGEST = Action("burnward", "suggest")
ROLE, QUOTE, SOURCE = "role", "quote", "source"
FIELDS = (ROLE, QUOTE, SOURCE)


def suggest_form(quote: str) -> dict[str, Any]:
    """The interaction response that opens the form, its quote field holding `quote`."""
    quote_input = _input(QUOTE, PARAGRAPH, max_length=MAX_QUOTE)
    if quote:
        quote_input["value"] = quote[:MAX_QUOTE]
    return {
        "type": MODAL,
        "data": {
            "custom_id": SUGGEST.encode(),
            "title": CAPTURE,
            "components": [
                _label(
                    "Role",
                    "The specimen it roasts, e.g. Enterprise Architect",
                    _input(ROLE, SHORT, max_length=ROLE_TEXT, placeholder="Enterprise Architect"),
                ),
                _label("Quote", "Edit it freely; mentions are not allowed", quote_input),
                _label(
                    "Source (optional)",
                    "Who said it or where; left blank, no one is named",
                    _input(SOURCE, SHORT, max_length=MAX_SOURCE, required=False),
                ),
            ],
        },
    }


def _label(text: str, description: str, component: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": LABEL,
        "label": text[:TITLE],
        "description": description[:LABEL_DESCRIPTION],
        "component": component,
    }


def _input(
    custom_id: str,
    style: int,
    *,
    max_length: int,
    required: bool = True,
    placeholder: str | None = None,
) -> dict[str, Any]:
    text_input: dict[str, Any] = {
        "type": TEXT_INPUT,
        "custom_id": custom_id,
        "style": style,
        "max_length": max_length,
        "required": required,
    }
    if placeholder is not None:
        text_input["placeholder"] = placeholder
    return text_input


def submitted_action(data: Mapping[str, Any]) -> Action | None:
    """The action a submitted form runs, its fields added as options; None if not ours."""
    action = Action.decode(str(data.get("custom_id", "")))
    if action is None:
        return None
    values = dict(_values(data.get("components")))
    options = dict(action.options) | {key: values[key] for key in FIELDS if values.get(key)}
    return Action(action.command, action.subcommand, tuple(options.items()))


def _values(components: Any) -> Iterable[tuple[str, str]]:
    """(custom id, value) of every text input, each in a label or an action row."""
    for outer in components if isinstance(components, list) else []:
        if not isinstance(outer, dict):
            continue
        inner = outer.get("components") if outer.get("type") == ACTION_ROW else None
        for text_input in inner if isinstance(inner, list) else [outer.get("component")]:
            if not isinstance(text_input, dict):
                continue
            custom_id, value = text_input.get("custom_id"), text_input.get("value")
            if isinstance(custom_id, str) and isinstance(value, str):
                yield custom_id, value
