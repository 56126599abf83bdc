"""Admin-added burn-ward quotes out of a database and back in, as YAML or JSON.

An export holds every quote with its workspace, role, text, source, who added it and when,
and whether (and by whom, when) it was removed; and, under `suggestions`, every member's
suggestion with its status and decision (who, when, why). An import checks every entry
(`check_file`) before anything is written (`import_entries`): one bad entry refuses the
whole file, with every problem listed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.catalog.lookup import Catalog
from bot.catalog.model import Role
from bot.catalog.yaml_text import MalformedYaml, parse_yaml
from bot.quotes.json_text import JsonPath, MalformedJson, parse_json
from bot.quotes.text import CleanQuote, check_quote, clean, fingerprint, reason_problem
from bot.store import QuoteRecord, Store, StoredQuote, Suggestion, SuggestionRecord

FORMAT_VERSION = 1
FORMATS = ("yaml", "json")
MEDIA_TYPES = {"yaml": "application/yaml", "json": "application/json"}
YAML_HEADER = "# roastbot burn-ward quotes; `roastbot quotes import FILE` reads this file back\n"
MAX_USER_ID = 100
WORKSPACE_KEY = re.compile(r"[a-z]+:[A-Za-z0-9_.-]{1,64}")


class ImportRefused(Exception):
    """The file cannot be imported; `problems` lists everything wrong, `entries` how many."""

    def __init__(self, problems: Sequence[str], refused: int, entries: int) -> None:
        self.problems = tuple(problems)
        self.refused = refused
        self.entries = entries
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class CheckedEntry:
    """A valid entry: its number in the file, its record, and the dossier quote it repeats."""

    number: int
    record: QuoteRecord
    seed: int | None


@dataclass(frozen=True)
class CheckedFile:
    """A valid import file: its quote entries and its suggestions."""

    quotes: list[CheckedEntry]
    suggestions: list[SuggestionRecord]


@dataclass(frozen=True)
class ImportResult:
    """What an import did: how many entries were added, and why each skipped one was."""

    added: int
    skipped: tuple[str, ...]


Moment = Annotated[AwareDatetime, Field(strict=False)]


class Entry(BaseModel):
    """One quote of an import file, as typed; `check_file` checks what it means."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    workspace: str
    role: str
    text: str
    source: str | None = None
    added_by: str
    added_at: Moment
    removed: bool = False
    removed_by: str | None = None
    removed_at: Moment | None = None

    @field_validator("added_at", "removed_at", mode="before")
    @classmethod
    def _timestamp(cls, value: object) -> object:
        if value is not None and not isinstance(value, str | datetime):
            raise ValueError("must be an ISO-8601 date and time with a UTC offset, as a string")
        return value

    @field_validator("added_at", "removed_at")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        """The moment in UTC, as the store keeps it; one at the edge of time may not have one."""
        try:
            return None if value is None else value.astimezone(UTC)
        except OverflowError:
            raise ValueError("must stay within the years 1 to 9999 once converted to UTC") from None

    @field_validator("workspace")
    @classmethod
    def _workspace_key(cls, value: str) -> str:
        if not WORKSPACE_KEY.fullmatch(value):
            raise ValueError("must be a workspace key like discord:123456 or slack:T0123ABCD")
        return value

    @field_validator("added_by", "removed_by")
    @classmethod
    def _user_id(cls, value: str | None) -> str | None:
        if value is not None and (not value or len(value) > MAX_USER_ID or clean(value) != value):
            raise ValueError(f"must be a user id of 1 to {MAX_USER_ID} plain characters")
        return value


class SuggestionEntry(BaseModel):
    """One suggestion of an import file, as typed; `check_file` checks what it means."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    workspace: str
    role: str
    text: str
    source: str | None = None
    suggested_by: str
    suggested_at: Moment
    status: Literal["pending", "approved", "rejected"]
    decided_by: str | None = None
    decided_at: Moment | None = None
    reason: str | None = None

    _timestamp = field_validator("suggested_at", "decided_at", mode="before")(
        Entry._timestamp.__func__  # type: ignore[attr-defined]
    )
    _in_utc = field_validator("suggested_at", "decided_at")(
        Entry._in_utc.__func__  # type: ignore[attr-defined]
    )
    _workspace_key = field_validator("workspace")(
        Entry._workspace_key.__func__  # type: ignore[attr-defined]
    )
    _user_id = field_validator("suggested_by", "decided_by")(
        Entry._user_id.__func__  # type: ignore[attr-defined]
    )


def export_document(
    quotes: Sequence[StoredQuote], suggestions: Sequence[Suggestion] = ()
) -> dict[str, Any]:
    """The export of `quotes` (and `suggestions`, when there are any) as plain data, in order."""
    document = {
        "version": FORMAT_VERSION,
        "quotes": [
            {
                "workspace": quote.workspace,
                "role": quote.role_id,
                "text": quote.text,
                "source": quote.source,
                "added_by": quote.added_by,
                "added_at": quote.added_at.isoformat(),
                "removed": quote.removed_at is not None,
                "removed_by": quote.removed_by,
                "removed_at": None if quote.removed_at is None else quote.removed_at.isoformat(),
            }
            for quote in quotes
        ],
    }
    if suggestions:
        document["suggestions"] = [
            {
                "workspace": s.workspace,
                "role": s.role_id,
                "text": s.text,
                "source": s.source,
                "suggested_by": s.suggested_by,
                "suggested_at": s.suggested_at.isoformat(),
                "status": s.status,
                "decided_by": s.decided_by,
                "decided_at": None if s.decided_at is None else s.decided_at.isoformat(),
                "reason": s.reason,
            }
            for s in suggestions
        ]
    return document


def render(document: Mapping[str, Any], fmt: str) -> str:
    """An export document as YAML (the default) or JSON text."""
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return YAML_HEADER + yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True)


async def import_entries(
    entries: Sequence[CheckedEntry],
    store: Store,
    suggestions: Sequence[SuggestionRecord] = (),
) -> ImportResult:
    """Add checked entries, skipping duplicates, then the suggestions, in one transaction.

    A duplicate repeats a dossier's own quote, a quote the workspace already has, or an
    earlier entry of the same file; a suggestion already there is skipped too.
    """
    fresh = [entry for entry in entries if entry.seed is None]
    added, kept = await store.import_records([entry.record for entry in fresh], suggestions)
    skipped = {
        entry.number: f"it is in the {entry.record.role_id} dossier as S{entry.seed}"
        for entry in entries
        if entry.seed is not None
    }
    for entry, was_added in zip(fresh, added, strict=True):
        if not was_added:
            skipped[entry.number] = (
                f"{entry.record.workspace} already has it for {entry.record.role_id}"
            )
    lines = [f"entry {n}: skipped, {why}" for n, why in sorted(skipped.items())]
    lines += [
        f"suggestion {n}: skipped, {record.workspace} already has it"
        for n, (record, was_added) in enumerate(zip(suggestions, kept, strict=True), 1)
        if not was_added
    ]
    return ImportResult(added=sum(added) + sum(kept), skipped=tuple(lines))


def check_file(path: Path, catalog: Catalog) -> CheckedFile:
    """Every entry and suggestion of an import file, checked against the catalog; nothing is
    written.

    Raises `ImportRefused` listing every problem of every entry.
    """
    data, lines = _read(path)
    if not isinstance(data, dict) or not isinstance(data.get("quotes"), list):
        raise ImportRefused(
            [f"{path}: expected a mapping with `version: {FORMAT_VERSION}` and a `quotes` list"],
            0,
            0,
        )
    entries: list[Any] = data["quotes"]
    known = {"version", "quotes", "suggestions"}
    problems = [f"{path}: {key}: unknown field" for key in data if key not in known]
    version = data.get("version")
    if type(version) is not int or version != FORMAT_VERSION:  # True == 1.0 == 1 in Python
        problems.append(f"{path}: version: must be {FORMAT_VERSION}")
    checked: list[CheckedEntry] = []
    refused = 0
    for number, raw in enumerate(entries, 1):
        found = _check_entry(raw, catalog)
        if isinstance(found, list):
            refused += 1
            where = f"{path}:{lines[number]}" if number in lines else str(path)
            problems += [f"{where}: entry {number}: {problem}" for problem in found]
        else:
            checked.append(CheckedEntry(number, *found))
    proposed: list[Any] = data.get("suggestions") or []
    if not isinstance(proposed, list):
        problems.append(f"{path}: suggestions: must be a list")
        proposed = []
    records: list[SuggestionRecord] = []
    for number, raw in enumerate(proposed, 1):
        found_suggestion = _check_suggestion(raw, catalog)
        if isinstance(found_suggestion, list):
            refused += 1
            problems += [f"{path}: suggestion {number}: {p}" for p in found_suggestion]
        else:
            records.append(found_suggestion)
    if problems:
        raise ImportRefused(problems, refused, len(entries) + len(proposed))
    return CheckedFile(checked, records)


def _check_suggestion(raw: object, catalog: Catalog) -> SuggestionRecord | list[str]:
    """The suggestion as a record, or its problems."""
    if not isinstance(raw, dict):
        return ["must be a mapping of fields (workspace, role, text, suggested_by, ...)"]
    problems: list[str] = []
    entry = None
    try:
        entry = SuggestionEntry.model_validate(raw)
    except ValidationError as exc:
        problems += [
            f"{'.'.join(str(part) for part in error['loc']) or 'suggestion'}: "
            f"{error['msg'].removeprefix('Value error, ')}"
            for error in exc.errors()
        ]
    role = _role(raw.get("role"), catalog, problems)
    checked = _quote(raw.get("text"), raw.get("source"), problems)
    if entry is not None and (entry.status == "pending") != (entry.decided_by is None):
        problems.append("a pending suggestion has no decided_by; a decided one needs it")
    if entry is not None and (entry.decided_by is None) != (entry.decided_at is None):
        problems.append("decided_by and decided_at go together")
    reason = clean(entry.reason or "") if entry is not None else ""
    if reason and (problem := reason_problem(reason)) is not None:
        problems.append(f"reason: {problem}")
    if problems or entry is None or role is None or checked is None:
        return problems
    return SuggestionRecord(
        workspace=entry.workspace,
        role_id=role.id,
        text=checked.text,
        source=checked.source,
        fingerprint=fingerprint(checked.text),
        suggested_by=entry.suggested_by,
        suggested_at=entry.suggested_at,
        status=entry.status,
        decided_by=entry.decided_by,
        decided_at=entry.decided_at,
        reason=reason or None,
    )


def _read(path: Path) -> tuple[Any, dict[int, int]]:
    """The parsed file, and the line of each entry (numbered from 1) of `quotes`."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is dropped, JSON or YAML
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportRefused([f"{path}: cannot read: {exc}"], 0, 0) from None
    if path.suffix.lower() == ".json":
        try:
            data, lines = parse_json(text)
        except MalformedJson as exc:
            raise ImportRefused([f"{path}:{exc}"], 0, 0) from None
        return data, _json_entry_lines(lines)
    try:
        data, node = parse_yaml(text)
    except MalformedYaml as exc:
        raise ImportRefused([f"{path}:{exc}"], 0, 0) from None
    return data, _entry_lines(node)


def _json_entry_lines(lines: dict[JsonPath, int]) -> dict[int, int]:
    return {
        path[1] + 1: line
        for path, line in lines.items()
        if len(path) == 2 and path[0] == "quotes" and isinstance(path[1], int)
    }


def _entry_lines(node: yaml.Node | None) -> dict[int, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    for key, value in node.value:
        if key.value == "quotes" and isinstance(value, yaml.SequenceNode):
            return {i: item.start_mark.line + 1 for i, item in enumerate(value.value, 1)}
    return {}


def _check_entry(raw: object, catalog: Catalog) -> tuple[QuoteRecord, int | None] | list[str]:
    """The entry as a record plus the number of the dossier quote it repeats, or its problems."""
    if not isinstance(raw, dict):
        return ["must be a mapping of fields (workspace, role, text, added_by, added_at, ...)"]
    problems: list[str] = []
    entry = None
    try:
        entry = Entry.model_validate(raw)
    except ValidationError as exc:
        problems += [
            f"{'.'.join(str(part) for part in error['loc']) or 'entry'}: "
            f"{error['msg'].removeprefix('Value error, ')}"
            for error in exc.errors()
        ]
    role = _role(raw.get("role"), catalog, problems)
    checked = _quote(raw.get("text"), raw.get("source"), problems)
    if entry is not None and not (
        entry.removed == (entry.removed_by is not None) == (entry.removed_at is not None)
    ):
        problems.append(
            "removed: true needs removed_by and removed_at; removed: false needs neither"
        )
    if problems or entry is None or role is None or checked is None:
        return problems
    key = fingerprint(checked.text)
    seed = next(
        (i for i, q in enumerate(role.dossier.burn_ward, 1) if fingerprint(q.quote) == key),
        None,
    )
    record = QuoteRecord(
        workspace=entry.workspace,
        role_id=role.id,
        text=checked.text,
        source=checked.source,
        fingerprint=key,
        added_by=entry.added_by,
        added_at=entry.added_at,
        removed_by=entry.removed_by,
        removed_at=entry.removed_at,
    )
    return record, seed


def _role(role_id: object, catalog: Catalog, problems: list[str]) -> Role | None:
    """The dossier an entry names; a missing one is noted in `problems` (a wrong type is not)."""
    if not isinstance(role_id, str):
        return None
    role = catalog.get(role_id)
    if role is None:
        near = catalog.find(role_id)
        hint = f"; did you mean {near.id!r}?" if near is not None else ""
        problems.append(f"role: no dossier with id {role_id[:60]!r}{hint}")
    return role


def _quote(text: object, source: object, problems: list[str]) -> CleanQuote | None:
    """The cleaned quote and source; why they cannot be stored is noted in `problems`."""
    if not isinstance(text, str) or not isinstance(source, str | None):
        return None
    checked = check_quote(text, source)
    if isinstance(checked, str):
        problems.append(checked)
        return None
    return checked
