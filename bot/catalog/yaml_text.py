"""Parse YAML safely, keeping the node tree so problems can name their line."""

from __future__ import annotations

from typing import Any

import yaml


class MalformedYaml(Exception):
    """The text is not YAML; `line` (from 1, 0 if unknown) and `reason` say where and why."""

    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"{line}: malformed YAML: {reason}")


def parse_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """The data (`safe_load`) and the node tree with line marks, or `MalformedYaml`."""
    try:
        return yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise MalformedYaml(line, getattr(exc, "problem", None) or str(exc)) from None
