"""Typed command lines (console, Slack) become commands and options."""

from __future__ import annotations

import pytest

from bot.commands.textargs import ParsedCommand, parse_command, parse_line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "/roast Enterprise Architect",
            ParsedCommand("roast", None, {"role": "Enterprise Architect"}),
        ),
        ("/roast SDET metrics", ParsedCommand("roast", None, {"role": "SDET metrics"})),
        ("/roast SDET | jd", ParsedCommand("roast", None, {"role": "SDET", "section": "jd"})),
        (
            "/roast SDET section:day",
            ParsedCommand("roast", None, {"role": "SDET", "section": "day"}),
        ),
        ("/roast metrics", ParsedCommand("roast", None, {"role": "metrics"})),
        ("/roast", ParsedCommand("roast", None, {})),
        ("/roasthelp", ParsedCommand("help", None, {})),
        (
            "/burnward add SDET | It passed locally. | anonymous QA",
            ParsedCommand(
                "burnward",
                "add",
                {"role": "SDET", "quote": "It passed locally.", "source": "anonymous QA"},
            ),
        ),
        (
            "/burnward add SDET | a | b | c",
            ParsedCommand("burnward", "add", {"role": "SDET", "quote": "a | b", "source": "c"}),
        ),
        (
            "/burnward list Enterprise Architect 2",
            ParsedCommand("burnward", "list", {"role": "Enterprise Architect", "page": "2"}),
        ),
        ("/burnward list SDET", ParsedCommand("burnward", "list", {"role": "SDET"})),
        ("/burnward remove 12", ParsedCommand("burnward", "remove", {"id": "12"})),
        ("/burnward purge", ParsedCommand("burnward", "purge", {"text": "purge"})),
        ("/burnward export", ParsedCommand("burnward", "export", {})),
        ("/burnward EXPORT json ", ParsedCommand("burnward", "export", {"format": "json"})),
        (
            "/specimen subscribe 09:00 Europe/Berlin",
            ParsedCommand("specimen", "subscribe", {"time": "09:00", "zone": "Europe/Berlin"}),
        ),
        (
            "/specimen subscribe America/New_York",
            ParsedCommand("specimen", "subscribe", {"zone": "America/New_York"}),
        ),
        ("/specimen today", ParsedCommand("specimen", "today", {})),
    ],
)
def test_lines_parse_into_commands(line: str, expected: ParsedCommand) -> None:
    """Each typed form maps to the command, subcommand and options the core expects."""
    assert parse_line(line) == expected


def test_text_without_a_slash_is_not_a_command() -> None:
    """Chatter is ignored by the parser."""
    assert parse_line("roast SDET") is None
    assert parse_command("/ROAST", "  sdet ") == ParsedCommand("roast", None, {"role": "sdet"})
