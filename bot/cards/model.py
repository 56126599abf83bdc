"""Neutral cards and replies: what commands return and adapters render.

Every string here is plain text. Renderers escape it for Discord Markdown, Slack mrkdwn
or the terminal; nothing in the core formats for a platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


@dataclass(frozen=True)
class Action:
    """What pressing a button or choosing a menu option runs: a command with its options.

    `encode()` packs it into a short string that survives a restart (Discord custom ids are
    at most 100 characters), and `decode()` unpacks it again.
    """

    command: str
    subcommand: str | None = None
    options: tuple[tuple[str, str], ...] = ()

    PREFIX = "rb1"
    SEPARATOR = "|"

    def encode(self) -> str:
        """The action as `rb1|command|subcommand|key=value|...`."""
        parts = [self.PREFIX, self.command, self.subcommand or ""]
        parts += [f"{key}={value}" for key, value in self.options]
        return self.SEPARATOR.join(parts)

    @classmethod
    def decode(cls, text: str) -> Action | None:
        """The action packed in `text`, or None when it is not one of ours."""
        parts = text.split(cls.SEPARATOR)
        if len(parts) < 3 or parts[0] != cls.PREFIX or not parts[1]:
            return None
        options: list[tuple[str, str]] = []
        for part in parts[3:]:
            key, sep, value = part.partition("=")
            if not sep or not key:
                return None
            options.append((key, value))
        return cls(parts[1], parts[2] or None, tuple(options))


class ButtonStyle(Enum):
    """How prominent a button is; renderers map it to their platform's styles."""

    PRIMARY = "primary"
    SECONDARY = "secondary"


@dataclass(frozen=True)
class Button:
    """A button that runs an action when pressed."""

    label: str
    action: Action
    style: ButtonStyle = ButtonStyle.SECONDARY


@dataclass(frozen=True)
class MenuOption:
    """One entry of a select menu."""

    label: str
    action: Action
    description: str = ""
    selected: bool = False


@dataclass(frozen=True)
class Menu:
    """A select menu, used for section navigation."""

    placeholder: str
    options: tuple[MenuOption, ...]


@dataclass(frozen=True)
class Field:
    """A named block of text on a card."""

    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True)
class Quote:
    """A burn-ward quote with its optional source."""

    text: str
    source: str | None = None


class Tone(Enum):
    """The card's accent, mapped by renderers to a colour."""

    ROAST = "roast"
    INFO = "info"
    ERROR = "error"
    SUCCESS = "success"


@dataclass(frozen=True)
class Card:
    """A neutral message card.

    `timestamp` is a moment the platform may show in each reader's own time zone; `url`, when
    set, is the web page the title links to ("Full file"); `image` names one of the reply's
    attachments to show inside the card (a Discord embed image).
    """

    title: str = ""
    description: str = ""
    fields: tuple[Field, ...] = ()
    quote: Quote | None = None
    footer: str = ""
    header: str = ""
    buttons: tuple[Button, ...] = ()
    menu: Menu | None = None
    tone: Tone = Tone.ROAST
    timestamp: datetime | None = None
    url: str = ""
    image: str = ""


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply: its name, its bytes and their media type.

    Adapters deliver it the platform's way (a Discord attachment, a Slack upload, a file
    written by the console); `filename` is already safe as a file name anywhere.
    """

    filename: str
    content: bytes
    mime: str


@dataclass(frozen=True)
class Reply:
    """What a command answers: one or more cards, private to the caller or not, and files."""

    cards: tuple[Card, ...]
    private: bool = False
    attachments: tuple[Attachment, ...] = ()
    # the one role (Discord id) or user group (Slack id) the post mentions; no other
    # mention is ever allowed
    ping: str | None = None
    # answers a pressed button by editing the message it is on (a vote's new counts), never
    # by a new message; visibility stays as it was
    in_place: bool = False

    @classmethod
    def error(cls, message: str) -> Reply:
        """A one-line private refusal or error."""
        return cls((Card(description=message, tone=Tone.ERROR),), private=True)

    @classmethod
    def notice(cls, message: str, *, private: bool = True) -> Reply:
        """A one-line confirmation, private unless asked otherwise."""
        return cls((Card(description=message, tone=Tone.SUCCESS),), private=private)
