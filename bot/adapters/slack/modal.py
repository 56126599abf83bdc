"""The quote forms: `/burnward add` (admins) and "Suggest for burn ward" (anyone).

The suggest form opens from the message shortcut, prefilled with the message's text, and
from `/burnward suggest` typed alone, empty. Both pick the role from the catalog as it is
typed and are read back the same way; a refusal shows under the quote field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.adapters.slack.mrkdwn import clip, unescape
from bot.adapters.slack.render import message_payload
from bot.cards.model import Reply
from bot.catalog.lookup import Choice
from bot.commands.textargs import ParsedCommand
from bot.quotes.text import MAX_QUOTE, MAX_SOURCE, prefill

CALLBACK_ID = "rb-burnward-add"
SUGGEST_CALLBACK_ID = "rb-burnward-suggest"
SHORTCUT_ID = "suggest_for_burn_ward"
"""The message shortcut "Suggest for burn ward" (its `callback_id` in the app manifest)."""
ROLE_ACTION = "rb-add-role"
VALUE_ACTION = "value"
ROLE_BLOCK, QUOTE_BLOCK, SOURCE_BLOCK = "role", "quote", "source"
TITLE = "Burn ward: add a quote"  # modal titles hold at most 24 characters
SUGGEST_TITLE = "Suggest for burn ward"
OPTION_TEXT = 75
OPTION_VALUE = 150
ERROR_TEXT = 300
OPEN_MODAL = ParsedCommand("burnward", "add")  # `/burnward add` typed with nothing after it
OPEN_SUGGEST = ParsedCommand("burnward", "suggest")
NOT_OPENED = (
    "The form did not open ({error}). Type it instead: /burnward add <role> | <quote> | <source>"
)
SUGGEST_NOT_OPENED = (
    "The form did not open ({error})."
    " Type it instead: /burnward suggest <role> | <quote> | [source]"
)


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def add_quote_view(channel_id: str) -> dict[str, Any]:
    """The modal: a role picked from the catalog as the admin types, the quote, its source."""
    return _quote_view(
        CALLBACK_ID,
        TITLE,
        "Add",
        channel_id,
        source_hint="Who said it, e.g. overheard at the quarterly all-hands",
    )


def suggest_view(channel_id: str, quote: str = "") -> dict[str, Any]:
    """The suggest modal, its quote field holding `quote` (cleaned, cut to the limit)."""
    return _quote_view(
        SUGGEST_CALLBACK_ID,
        SUGGEST_TITLE,
        "Suggest",
        channel_id,
        quote=clip(prefill(quote), MAX_QUOTE),
        source_hint="Who said it or where; left blank, no one is named",
    )


def message_text(message: Mapping[str, Any]) -> str:
    """The text of the message a shortcut was used on, as plain text (links as their labels)."""
    text = message.get("text")
    return unescape(text) if isinstance(text, str) else ""


def _quote_view(
    callback_id: str,
    title: str,
    submit: str,
    channel_id: str,
    *,
    source_hint: str,
    quote: str = "",
) -> dict[str, Any]:
    quote_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": VALUE_ACTION,
        "multiline": True,
        "max_length": MAX_QUOTE,
    }
    if quote:
        quote_input["initial_value"] = quote
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": channel_id,
        "title": _plain(title),
        "submit": _plain(submit),
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
                "element": quote_input,
            },
            {
                "type": "input",
                "block_id": SOURCE_BLOCK,
                "optional": True,
                "label": _plain("Source"),
                "hint": _plain(source_hint),
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
    """What was entered in the modal, and the channel it was opened from."""

    channel_id: str
    options: dict[str, str]


def read_submission(view: Mapping[str, Any]) -> Submission:
    """The role id, quote and source of a `view_submission`, as `/burnward` options."""
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


def result_view(reply: Reply, title: str = TITLE) -> dict[str, Any]:
    """The modal after a successful submission: the reply's blocks and a Done button."""
    return {
        "type": "modal",
        "title": _plain(title),
        "close": _plain("Done"),
        "blocks": message_payload(reply)["blocks"],
    }


def submission_errors(reply: Reply) -> dict[str, str]:
    """A refusal shown under the quote field, to be fixed and submitted again."""
    card = reply.cards[0] if reply.cards else None
    message = (card.description or card.title) if card else ""
    return {QUOTE_BLOCK: clip(message or "That did not work. Nothing was added.", ERROR_TEXT)}
