"""The quick way through a clean YAML file: libyaml's node tree straight to dicts and lists.

A dossier is mappings with text keys, lists, text and a few numbers. For such a tree one
small loop builds the data, without PyYAML's constructor walking every node and without
keeping the tree and its line marks alive. Anything else is `Unusual` and read the checked
way (`yaml_text.parse_yaml`), whose messages name the problem and its line: a tag other
than text, number, boolean or null; an alias to a mapping or list (a loop, or a
"billion laughs"); a merge key (`<<`); a key that is not text or is written twice; nesting
deeper than the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
SCALARS = frozenset(f"tag:yaml.org,2002:{kind}" for kind in ("null", "bool", "int", "float"))

Construct = Callable[[yaml.Node], Any]
"""Builds one null, boolean or number scalar, raising `yaml.YAMLError` when it cannot."""


class Unusual(Exception):
    """The tree holds something the quick way leaves to the checked one."""


def plain_data(root: yaml.Node | None, construct: Construct, max_depth: int) -> Any:
    """The data of the tree `root` (None for an empty document), or `Unusual`.

    Keys keep the file's order, as PyYAML's constructor keeps it. Iterative, so a deep
    tree costs no Python stack; deeper than `max_depth` is `Unusual`.
    """
    if root is None:
        return None
    data = _start(root, construct)
    todo = [] if type(root) is yaml.ScalarNode else [(root, data, 1)]
    seen: set[int] = set()
    while todo:
        node, target, depth = todo.pop()
        if depth > max_depth or id(node) in seen:
            raise Unusual
        seen.add(id(node))
        if isinstance(target, dict):
            for key, child in node.value:
                if type(key) is not yaml.ScalarNode or key.tag != STR or key.value in target:
                    raise Unusual
                target[key.value] = value = _start(child, construct)
                if type(child) is not yaml.ScalarNode:
                    todo.append((child, value, depth + 1))
        else:
            for child in node.value:
                target.append(value := _start(child, construct))
                if type(child) is not yaml.ScalarNode:
                    todo.append((child, value, depth + 1))
    return data


def _start(node: yaml.Node, construct: Construct) -> Any:
    """A scalar's value, or an empty dict or list for a mapping or sequence to fill."""
    kind = type(node)
    if kind is yaml.ScalarNode:
        if node.tag == STR:
            return node.value
        if node.tag in SCALARS:
            return construct(node)
    elif kind is yaml.MappingNode and node.tag == MAP:
        return {}
    elif kind is yaml.SequenceNode and node.tag == SEQ:
        return []
    raise Unusual
