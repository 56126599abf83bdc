"""Read a folder of dossier files, validate every one, and report every problem at once.

Problems are `path:line: message`, with the line of the YAML node at fault, so an editor
or a terminal can jump straight to it. Files are read the quick way, without line marks;
a file with a problem is parsed again, with them, to name the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import ValidationError

from bot.catalog.model import ID_PATTERN, MAX_ID_LENGTH, Dossier, Role
from bot.catalog.yaml_text import MalformedYaml, load_yaml, parse_yaml


def _bundled_dir() -> Path:
    """The shipped catalog: `bot/catalog_data` in an installed wheel, `dossiers/` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "catalog_data"
    return installed if installed.is_dir() else package.parent / "dossiers"


BUNDLED_DIR = _bundled_dir()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one dossier file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class CatalogError(Exception):
    """The catalog cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (str(p.path), p.line)))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class _Parsed:
    path: Path
    text: str
    role: Role

    @cached_property
    def node(self) -> yaml.Node | None:
        """The file's node tree with line marks, parsed only for a file with a problem."""
        return parse_yaml(self.text)[1]


def normalize_key(text: str) -> str:
    """Fold text for lookup and collision checks: lowercase, letters and digits only."""
    return re.sub(r"[\W_]+", "", text.casefold())


def load_roles(directory: Path) -> list[Role]:
    """Load and validate every `*.yaml` dossier in `directory`, or raise `CatalogError`."""
    problems: list[Problem] = []
    parsed: list[_Parsed] = []
    if not directory.is_dir():
        what = "not a folder" if directory.exists() else "no such dossier folder"
        raise CatalogError([Problem(directory, 0, what)])
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        problems.append(Problem(directory, 0, "no dossiers (*.yaml) in this folder"))
    for path in paths:
        result = _parse_file(path, problems)
        if result is not None:
            parsed.append(result)
    problems.extend(_cross_check(parsed))
    if problems:
        raise CatalogError(problems)
    return [p.role for p in parsed]


def _parse_file(path: Path, problems: list[Problem]) -> _Parsed | None:
    stem = path.stem
    if not re.fullmatch(ID_PATTERN, stem) or len(stem) > MAX_ID_LENGTH:
        problems.append(
            Problem(
                path,
                1,
                f"file name {stem!r} must be a lowercase slug of at most "
                f"{MAX_ID_LENGTH} characters, like 'enterprise-architect'",
            )
        )
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path, 0, f"cannot read: {exc}"))
        return None
    try:
        data = load_yaml(text)
    except MalformedYaml as exc:
        problems.append(Problem(path, exc.line, f"malformed YAML: {exc.reason}"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(path, 1, "a dossier must be a mapping of fields"))
        return None
    try:
        dossier = Dossier.model_validate(data)
    except ValidationError as exc:
        node = parse_yaml(text)[1]
        for error in exc.errors():
            location = tuple(error["loc"])
            where = ".".join(str(part) for part in location) or "dossier"
            problems.append(Problem(path, _line_of(node, location), f"{where}: {error['msg']}"))
        return None
    return _Parsed(path, text, Role(id=stem, dossier=dossier))


def _line_of(node: yaml.Node | None, location: Iterable[object]) -> int:
    """The 1-based line of the deepest node on `location` that exists in the YAML tree."""
    if node is None:
        return 1
    current = node
    for part in location:
        child = _child(current, part)
        if child is None:
            break
        current = child
    return current.start_mark.line + 1


def _child(node: yaml.Node, part: object) -> yaml.Node | None:
    """The child named `part`; the last one, which is the one in force when a mapping merges
    in another (`<<: *base`) and overrides some of its keys."""
    children: list[tuple[object, yaml.Node]] = []
    if isinstance(node, yaml.MappingNode):
        children = [(key.value, value) for key, value in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = list(enumerate(node.value))
    return next((child for name, child in reversed(children) if name == part), None)


def _cross_check(parsed: Sequence[_Parsed]) -> list[Problem]:
    """Problems between files: unknown related ids, and titles, aliases or ids used twice."""
    problems: list[Problem] = []
    ids = {p.role.id for p in parsed}
    owners: dict[str, tuple[str, _Parsed]] = {}
    for item in parsed:
        dossier = item.role.dossier
        names: list[tuple[tuple[str | int, ...], str]] = [
            ((), item.role.id),
            (("title",), dossier.title),
        ]
        names += [(("aliases", i), alias) for i, alias in enumerate(dossier.aliases)]
        seen_here: set[str] = set()
        for location, name in names:
            key = normalize_key(name)
            if key in seen_here:
                continue
            seen_here.add(key)
            if key in owners and owners[key][1] is not item:
                other_name, other = owners[key]
                problems.append(
                    Problem(
                        item.path,
                        _line_of(item.node, location),
                        f"{name!r} is already used by {other.role.id} ({other_name!r})",
                    )
                )
            else:
                owners[key] = (name, item)
        for i, related in enumerate(dossier.related):
            if related.id not in ids:
                message = f"related: no dossier with id {related.id!r}"
            elif related.id == item.role.id:
                message = "related: a dossier cannot relate to itself"
            else:
                continue
            problems.append(Problem(item.path, _line_of(item.node, ("related", i, "id")), message))
    return problems
