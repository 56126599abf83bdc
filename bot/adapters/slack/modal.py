"""The "add a quote" modal of `/burnward add`: its view, its role options, its submission."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.adapters.slack.mrkdwn import clip
from bot.adapters.slack.render import message_payload
from bot.cards.model import Reply
from bot.catalog.lookup import Choice
from bot.commands.textargs import ParsedCommand
from bot.quotes.text import MAX_QUOTE, MAX_SOURCE

CALLBACK_ID = "rb-burnward-add"
ROLE_ACTION = "rb-add-role"
VALUE_ACTION = "value"
ROLE_BLOCK, QUOTE_BLOCK, SOURCE_BLOCK = "role", "quote", "source"
TITLE = "Burn ward: add a quote"  # modal titles hold at most 24 characters
OPTION_TEXT = 75
OPTION_VALUE = 150
ERROR_TEXT = 300
OPEN_MODAL = ParsedCommand("burnward", "add")  # `/burnward add` typed with nothing after it
NOT_OPENED = (
    "The form did not open ({error}). Type it instead: /burnward add <role> | <quote> | <source>"
)


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def add_quote_view(channel_id: str) -> dict[str, Any]:
    """The modal: a role picked from the catalog as the admin types, the quote, its source."""
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": channel_id,
        "title": _plain(TITLE),
        "submit": _plain("Add"),
        "close": _plain("Cancel"),
        "blocks": [
            {
                "type": "input",
                "block_id": ROLE_BLOCK,
                "label": _plain("Specimen"),
                "element": {
                    "type": "external_select",
                    "action_id": ROLE_ACTION,
                    "placeholder": _plain("Start typing a role"),
                    "min_query_length": 0,
                },
            },
            {
                "type": "input",
                "block_id": QUOTE_BLOCK,
                "label": _plain("Quote"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": VALUE_ACTION,
                    "multiline": True,
                    "max_length": MAX_QUOTE,
                },
            },
            {
                "type": "input",
                "block_id": SOURCE_BLOCK,
                "optional": True,
                "label": _plain("Source"),
                "hint": _plain("Who said it, e.g. overheard at the quarterly all-hands"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": VALUE_ACTION,
                    "max_length": MAX_SOURCE,
                },
            },
        ],
    }


def role_options(choices: Sequence[Choice]) -> list[dict[str, Any]]:
    """The external select's options for the roles the catalog suggests."""
    return [
        {"text": _plain(clip(choice.name, OPTION_TEXT)), "value": choice.value}
        for choice in choices
        if len(choice.value) <= OPTION_VALUE
    ]


@dataclass(frozen=True)
class Submission:
    """What the admin entered in the modal, and the channel `/burnward add` was typed in."""

    channel_id: str
    options: dict[str, str]


def read_submission(view: Mapping[str, Any]) -> Submission:
    """The role id, quote and source of a `view_submission`, as `burnward add` options."""
    values = view.get("state", {}).get("values", {})
    role = (values.get(ROLE_BLOCK, {}).get(ROLE_ACTION, {}).get("selected_option") or {}).get(
        "value"
    )
    quote = values.get(QUOTE_BLOCK, {}).get(VALUE_ACTION, {}).get("value")
    source = values.get(SOURCE_BLOCK, {}).get(VALUE_ACTION, {}).get("value")
    options = {"role": role, "quote": quote, "source": source}
    return Submission(
        channel_id=str(view.get("private_metadata") or ""),
        options={key: value for key, value in options.items() if isinstance(value, str) and value},
    )


def result_view(reply: Reply) -> dict[str, Any]:
    """The modal after a successful submission: the reply's blocks and a Done button."""
    return {
        "type": "modal",
        "title": _plain(TITLE),
        "close": _plain("Done"),
        "blocks": message_payload(reply)["blocks"],
    }


def submission_errors(reply: Reply) -> dict[str, str]:
    """A refusal shown under the quote field, so the admin can fix it and submit again."""
    card = reply.cards[0] if reply.cards else None
    message = (card.description or card.title) if card else ""
    return {QUOTE_BLOCK: clip(message or "That did not work. Nothing was added.", ERROR_TEXT)}
