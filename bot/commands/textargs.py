"""Turn a typed command line (console, Slack) into a command name, subcommand and options."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.catalog.sections import find_section

SUBCOMMANDS = {
    "burnward": ("add", "list", "remove", "export"),
    "specimen": ("today", "subscribe", "unsubscribe", "status"),
}
COMMAND_ALIASES = {"roasthelp": "help"}


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
    if "|" in text:
        role, _, section = text.partition("|")
        return _compact({"role": role.strip(), "section": section.strip()})
    if ":" in text and text.rsplit(" ", 1)[-1].lower().startswith("section:"):
        role, _, section = text.rpartition(" ")
        return _compact({"role": role, "section": section.partition(":")[2]})
    role, _, last = text.rpartition(" ")
    if role and find_section(last) is not None:
        return {"role": role.strip(), "section": last}
    return _compact({"role": text})


def _sub_options(command: str, sub: str, rest: str) -> dict[str, str]:
    if command == "burnward" and sub == "add":
        parts = [part.strip() for part in rest.split("|", 2)]
        parts += [""] * (3 - len(parts))
        return _compact({"role": parts[0], "quote": parts[1], "source": parts[2]})
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
        words = rest.split()
        time = next((w for w in words if ":" in w and "/" not in w), "")
        zone = next((w for w in words if w != time), "")
        return _compact({"time": time, "zone": zone})
    return _compact({"text": rest})


def _compact(options: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in options.items() if value}
