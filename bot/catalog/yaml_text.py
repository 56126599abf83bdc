"""Parse YAML safely: quickly for clean files (`load_yaml`), or keeping the node tree so
problems can name their line (`parse_yaml`).

Whatever a hostile file holds, parsing ends in data or in one `MalformedYaml` with a line:
nesting deeper than `MAX_DEPTH`, integers longer than `MAX_NUMBER` characters and scalars
that cannot be what their tag says (`2026-02-30`, `!!timestamp nonsense`) are refused where
they stand instead of escaping as `RecursionError` or `ValueError`, and a key written twice
in one mapping is refused instead of the last one silently winning.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from bot.catalog.yaml_plain import Unusual, plain_data

MAX_DEPTH = 64
MAX_NUMBER = 100
MERGE_TAG = "tag:yaml.org,2002:merge"
_KINDS = {"timestamp": "date or time", "int": "integer", "float": "number", "bool": "boolean"}


class MalformedYaml(Exception):
    """The text is not YAML; `line` (from 1, 0 if unknown) and `reason` say where and why."""

    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"{line}: malformed YAML: {reason}")


def shown(value: str, limit: int = 40) -> str:
    """`value` quoted for a message, cut to `limit` characters."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


class _Constructing(yaml.constructor.SafeConstructor):
    """Construction that turns every way a scalar can fail into a YAML error with its mark."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return super().construct_object(node, deep)
        kind = str(node.tag).rpartition(":")[2]
        if kind == "int" and len(node.value) > MAX_NUMBER:
            reason = (
                f"an integer of {len(node.value)} characters is too long (at most {MAX_NUMBER})"
            )
            raise ConstructorError(None, None, reason, node.start_mark)
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ArithmeticError, LookupError, ValueError, AttributeError, TypeError):
            reason = f"{shown(node.value)} is not a valid {_KINDS.get(kind, kind)}"
            raise ConstructorError(None, None, reason, node.start_mark) from None


class _Loader(_Constructing, yaml.SafeLoader):
    """The pure-Python loader, which checks nesting and duplicate keys as it composes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self._depth >= MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_mapping_node(self, anchor: Any) -> yaml.MappingNode:
        node = super().compose_mapping_node(anchor)
        _refuse_duplicates(node)
        return node


class _FastLoader(_Constructing, yaml.CSafeLoader):
    """libyaml's C parser and composer (marks included), with the same construction checks."""


def _shallow(text: str) -> bool:
    """Whether libyaml may compose `text`: it recurses in C, so a hostile depth must not reach it.

    Block nesting needs deeper indentation (or compact `- - -` items, which count as
    indentation here) and flow nesting needs brackets, so a text with little of both cannot
    nest deeper than their sum.
    """
    brackets = text.count("[") + text.count("{")
    indent = max((len(line) - len(line.lstrip(" -")) for line in text.splitlines()), default=0)
    return brackets + indent < MAX_DEPTH


def _check_keys(root: yaml.Node | None) -> None:
    """Refuse a key written twice in one mapping, as the pure-Python loader does."""
    todo = [root] if root is not None else []
    seen: set[int] = set()
    while todo:
        node = todo.pop()
        if id(node) in seen:  # an alias points back at a node already walked
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            _refuse_duplicates(node)
            todo += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            todo += node.value


def _refuse_duplicates(node: yaml.MappingNode) -> None:
    first: dict[tuple[str, str], yaml.Node] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == MERGE_TAG:
            continue
        earlier = first.setdefault((key.tag, key.value), key)
        if earlier is not key:
            line = earlier.start_mark.line + 1
            reason = f"duplicate key {shown(key.value)}, first on line {line}"
            raise ComposerError(None, None, reason, key.start_mark)


def load_yaml(text: str) -> Any:
    """The data of `text`, or `MalformedYaml`; no node tree is kept (`parse_yaml` has one).

    A clean, shallow file takes the quick way where libyaml is installed: libyaml composes
    and `yaml_plain` builds the data. Anything unusual or wrong is read again the checked
    way, which refuses what it must and names the line.
    """
    if yaml.__with_libyaml__ and _shallow(text):
        fast = _FastLoader(text)
        try:
            return plain_data(fast.get_single_node(), fast.construct_object, MAX_DEPTH)
        except (yaml.YAMLError, Unusual):
            pass  # read below, the checked way
        finally:
            fast.dispose()
    return parse_yaml(text)[0]


def parse_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """The data and the node tree with line marks, or `MalformedYaml`.

    A well-formed, shallow file is parsed once by libyaml where it is installed; anything it
    refuses is parsed again by the pure-Python loader, whose messages name the problem.
    """
    if yaml.__with_libyaml__ and _shallow(text):
        fast = _FastLoader(text)
        try:
            node = fast.get_single_node()
            _check_keys(node)
            return (None if node is None else fast.construct_document(node)), node
        except yaml.YAMLError:
            pass  # parsed again below, for the pure-Python loader's exact message
        finally:
            fast.dispose()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return (None if node is None else loader.construct_document(node)), node
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise MalformedYaml(line, getattr(exc, "problem", None) or str(exc)) from None
    finally:
        loader.dispose()
