"""Turn a typed command line (console, Slack) into a command name, subcommand and options."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from bot.daily.days import is_days
from bot.daily.local_time import looks_like_time

SUBCOMMANDS = {
    "burnward": (
        "add",
        "list",
        "remove",
        "export",
        "suggest",
        "review",
        "approve",
        "reject",
        "mine",
        "reviews",
    ),
    "specimen": ("today", "subscribe", "unsubscribe", "status"),
}
COMMAND_ALIASES = {"roasthelp": "help"}
MERIDIEMS = {"am", "pm", "a.m.", "p.m."}
# the on/off words of `/specimen subscribe`
FLAG_WORDS = ("pin", "thread")


@dataclass(frozen=True)
class ParsedCommand:
    """A typed command, split into what `Invocation` carries."""

    command: str
    subcommand: str | None = None
    options: dict[str, str] = field(default_factory=dict)


def is_number(text: str) -> bool:
    """Plain ASCII digits only: `str.isdigit` also accepts `²`, which `int()` refuses."""
    return text.isascii() and text.isdigit()


def parse_command(command: str, text: str) -> ParsedCommand:
    """Split the text typed after `/command` into options, the way every text platform does."""
    name = COMMAND_ALIASES.get(command.lstrip("/").lower(), command.lstrip("/").lower())
    text = text.strip()
    if name == "roast":
        return ParsedCommand(name, None, _roast_options(text))
    if name in SUBCOMMANDS:
        head, _, rest = text.partition(" ")
        sub = head.lower()
        if sub not in SUBCOMMANDS[name]:
            return ParsedCommand(name, sub or None, {"text": text})
        return ParsedCommand(name, sub, _sub_options(name, sub, rest.strip()))
    return ParsedCommand(name, None, {"text": text} if text else {})


def parse_line(line: str) -> ParsedCommand | None:
    """A whole console line such as `/roast Enterprise Architect`; None if it is not a command."""
    line = line.strip()
    if not line.startswith("/"):
        return None
    command, _, rest = line.partition(" ")
    return parse_command(command, rest)


def _roast_options(text: str) -> dict[str, str]:
    """`role | section` and `role section:name` split here; `role words` is left whole.

    Only the catalog knows where a role's name ends (`Enterprise Architect flight risk`), so
    the roast command splits trailing section words itself.
    """
    if "|" in text:
        role, _, section = text.partition("|")
        return _compact({"role": role.strip(), "section": section.strip()})
    if ":" in text and text.rsplit(" ", 1)[-1].lower().startswith("section:"):
        role, _, section = text.rpartition(" ")
        return _compact({"role": role, "section": section.partition(":")[2]})
    return _compact({"role": text})


def _sub_options(command: str, sub: str, rest: str) -> dict[str, str]:
    if command == "burnward" and sub in {"add", "suggest"}:
        return _compact(quote_parts(rest))
    if command == "burnward" and sub == "review":
        return _compact({"page": rest})
    if command == "burnward" and sub == "approve":
        return _compact({"id": rest})
    if command == "burnward" and sub == "reject":
        number, _, reason = rest.partition(" ")
        return _compact({"id": number, "reason": reason.strip()})
    if command == "burnward" and sub == "mine":
        return {}
    if command == "burnward" and sub == "reviews":
        return _compact({"mode": rest})
    if command == "burnward" and sub == "list":
        role, _, page = rest.rpartition(" ")
        if role and is_number(page):
            return {"role": role.strip(), "page": page}
        return _compact({"role": rest})
    if command == "burnward" and sub == "remove":
        return _compact({"id": rest})
    if command == "burnward" and sub == "export":
        return _compact({"format": rest})
    if command == "specimen" and sub == "subscribe":
        return _compact(subscribe_options(rest))
    return _compact({"text": rest})


def subscribe_options(text: str) -> dict[str, str]:
    """`09:00 Europe/Berlin weekdays pin thread ping:@roasters`, its words in any order.

    Of the words that are neither the time nor an option, the zone is the first one with a
    `/` in it (or else the first); the first word left over lands in `unknown`, for the
    command to answer with "did you mean".
    """
    options: dict[str, str] = {}
    others: list[str] = []
    for word in _join_meridiem(text.split()):
        lowered = word.lower()
        if "time" not in options and looks_like_time(word):
            options["time"] = word
        elif lowered in FLAG_WORDS:
            options[lowered] = "yes"
        elif lowered.startswith("ping:"):
            options["ping"] = word.partition(":")[2]
        elif is_days(word):
            options["days"] = word
        else:
            others.append(word)
    if others:
        zone = next((word for word in others if "/" in word), others[0])
        options["zone"] = zone
        others.remove(zone)
    if others:
        options["unknown"] = others[0]
    return options


def quote_parts(text: str) -> dict[str, str]:
    """`role | quote | source`, split the one way a reader would split it.

    Invisible format characters (bidi overrides and isolates, zero-width marks) are removed
    first: they can make a line display in an order other than the one it is split in, which
    once glued a role's text into its quote. A full-width bar counts as a bar. The role ends at
    the first bar and the source starts after the last, so a quote may itself hold bars.
    """
    clean = "".join(c for c in text if unicodedata.category(c) != "Cf").replace("｜", "|")
    role, _, rest = clean.partition("|")
    quote, _, source = rest.rpartition("|") if "|" in rest else (rest, "", "")
    return {"role": role.strip(), "quote": quote.strip(), "source": source.strip()}


def _join_meridiem(words: list[str]) -> list[str]:
    """`9 am` typed as two words is one time."""
    joined: list[str] = []
    for word in words:
        if joined and word.lower() in MERIDIEMS and looks_like_time(joined[-1]):
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def _compact(options: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in options.items() if value}
