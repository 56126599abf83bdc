"""Parse JSON as strictly as YAML is parsed, keeping the line where each value starts.

`json.loads` alone recurses into `RecursionError` on deep nesting, raises a bare
`ValueError` on an integer of thousands of digits and keeps the last of two equal keys. A
first pass over the tokens refuses each of those with its line, under the limits YAML has,
and records the line of every value by its path of keys and indexes, so problems with the
data can name a line too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from bot.catalog.yaml_text import MAX_DEPTH, MAX_NUMBER, shown

JsonPath = tuple[str | int, ...]

_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_TOKEN = re.compile(
    rf"(?P<key>{_STRING})\s*:|(?P<string>{_STRING})|(?P<open>[\[{{])|(?P<close>[\]}}])"
    r"|(?P<comma>,)|(?P<word>true|false|null|NaN|-?Infinity)|(?P<number>-?[0-9][0-9.eE+-]*)"
)


class MalformedJson(Exception):
    """The text is not JSON we read; `line` (from 1) and `reason` say where and why."""

    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"{line}: malformed JSON: {reason}")


@dataclass
class _Open:
    """An object or array whose end is still to come."""

    path: JsonPath
    is_object: bool
    index: int = 0
    key: str = ""
    keys: dict[str, int] = field(default_factory=dict)  # an object's keys and their lines

    def child(self) -> JsonPath:
        return (*self.path, self.key if self.is_object else self.index)


def parse_json(text: str) -> tuple[Any, dict[JsonPath, int]]:
    """The data and the line of each value by its path, or `MalformedJson`."""
    lines = _value_lines(text)
    try:
        return json.loads(text), lines
    except json.JSONDecodeError as exc:
        raise MalformedJson(exc.lineno, exc.msg) from None


def _value_lines(text: str) -> dict[JsonPath, int]:
    """The line where each value starts; `MalformedJson` for a key written twice in one
    object, or nesting or a number past the limits."""
    lines: dict[JsonPath, int] = {}
    stack: list[_Open] = []
    line, counted = 1, 0
    for match in _TOKEN.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        kind, token = match.lastgroup, match.group()
        inside = stack[-1] if stack else None
        if kind == "close" and stack:
            stack.pop()
        elif kind == "comma" and inside is not None:
            inside.index += 1
        elif kind == "key" and inside is not None:
            inside.key = _decoded(match.group("key"))
            if inside.key in inside.keys:
                first = inside.keys[inside.key]
                raise MalformedJson(
                    line, f"duplicate key {shown(inside.key)}, first on line {first}"
                )
            inside.keys[inside.key] = line
        elif kind in {"open", "string", "word", "number"}:
            path = () if inside is None else inside.child()
            lines.setdefault(path, line)
            if kind == "number" and len(token) > MAX_NUMBER:
                reason = f"a number of {len(token)} characters is too long (at most {MAX_NUMBER})"
                raise MalformedJson(line, reason)
            if kind == "open":
                if len(stack) >= MAX_DEPTH:
                    raise MalformedJson(line, f"nested deeper than {MAX_DEPTH} levels")
                stack.append(_Open(path, token == "{"))
    return lines


def _decoded(string: str) -> str:
    """A JSON string token's text; the token itself if it is not valid (`json.loads` says so)."""
    try:
        return str(json.loads(string))
    except json.JSONDecodeError:
        return string
