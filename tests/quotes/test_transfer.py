"""`roastbot quotes export` and `import`: a community's quotes out, and checked back in."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot.cards.model import Tone
from bot.catalog.lookup import Catalog
from bot.commands.registry import dispatch
from bot.quotes.text import fingerprint
from bot.quotes.transfer import ImportRefused, check_file, export_document, render
from bot.runtime.context import Context
from bot.store import SqlStore
from tests.conftest import invocation
from tests.process import bot_env, roastbot

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
SEED = Catalog.load().get("sdet").dossier.burn_ward[0].quote


async def _fill(store: SqlStore) -> None:
    """Quotes in two workspaces, with and without source, YAML-tricky text, one removed."""
    rows = [
        ("discord:111", "sdet", "no", None),
        ("discord:111", "sdet", "1e3 flaky tests: “it’s the network” — ünïcode too", "QA lead"),
        ("discord:111", "scrum-master", "on", "anonymous"),
        ("slack:T0123ABCD", "sdet", "Retries are a test strategy, apparently: yes", None),
    ]
    for n, (workspace, role, text, source) in enumerate(rows):
        await store.add_quote(
            workspace=workspace,
            role_id=role,
            text=text,
            source=source,
            fingerprint=fingerprint(text),
            added_by=str(1000 + n),
            now=NOW + timedelta(minutes=n),
        )
    await store.remove_quote(
        workspace="discord:111", quote_id=3, removed_by="42", now=NOW + timedelta(days=1)
    )


@pytest.mark.parametrize("fmt", ["yaml", "json"])
async def test_export_import_into_an_empty_database_and_export_again_match(
    tmp_path: Path, store: SqlStore, fmt: str, db_env: dict[str, str]
) -> None:
    """The second export is identical to the first, removed quotes and who/when included."""
    await _fill(store)
    first = roastbot("quotes", "export", "--format", fmt, cwd=tmp_path, env=db_env)
    assert first.returncode == 0, first.stderr
    assert "exported 4 quotes (1 of them removed)" in first.stderr
    export = tmp_path / f"quotes.{fmt}"
    export.write_text(first.stdout)

    fresh = {"ROASTBOT_DB": str(tmp_path / "fresh.sqlite3")}
    loaded = roastbot("quotes", "import", str(export), cwd=tmp_path, env=fresh)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip().endswith("added 4, skipped 0, refused 0")
    second = roastbot("quotes", "export", "--format", fmt, cwd=tmp_path, env=fresh)
    assert second.stdout == first.stdout

    data = yaml.safe_load(first.stdout) if fmt == "yaml" else json.loads(first.stdout)
    removed = [q for q in data["quotes"] if q["removed"]]
    assert [(q["text"], q["removed_by"], q["removed_at"]) for q in removed] == [
        ("on", "42", "2026-11-22T12:00:00+00:00")
    ]
    assert {type(q["text"]) for q in data["quotes"]} == {str}  # no, on, 1e3 stay strings


async def test_importing_the_same_file_again_skips_every_entry(
    tmp_path: Path, store: SqlStore, db_env: dict[str, str]
) -> None:
    """Duplicates, live and removed, are skipped and each one is named."""
    await _fill(store)
    export = tmp_path / "quotes.yaml"
    export.write_text(roastbot("quotes", "export", cwd=tmp_path, env=db_env).stdout)
    again = roastbot("quotes", "import", str(export), cwd=tmp_path, env=db_env)
    assert again.returncode == 0, again.stderr
    assert "entry 1: skipped, discord:111 already has it for scrum-master" in again.stdout
    assert again.stdout.strip().endswith("added 0, skipped 4, refused 0")
    assert len(await store.all_quotes()) == 4


def test_a_dossier_quote_and_a_repeated_entry_are_skipped_not_refused(tmp_path: Path) -> None:
    """An entry repeating the dossier's own quote, or an earlier entry, is skipped."""
    entry = {"workspace": "discord:1", "role": "sdet", "added_by": "7"}
    entry |= {"added_at": "2026-01-01T00:00:00+00:00"}
    quotes = [entry | {"text": SEED}, entry | {"text": "Twice"}, entry | {"text": "twice!"}]
    path = tmp_path / "q.json"
    path.write_text(json.dumps({"version": 1, "quotes": quotes}))
    result = roastbot("quotes", "import", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "entry 1: skipped, it is in the sdet dossier as S1",
        "entry 3: skipped, discord:1 already has it for sdet",
        "added 1, skipped 2, refused 0",
    ]


HOSTILE = """\
version: 1
quotes:
- workspace: discord:1
  role: sdet
  text: 12
  added_by: 5
  added_at: 12345
- workspace: discord:1
  role: no-such-role
  text: {long}
  added_by: "7"
  added_at: "2026-01-01T00:00:00+00:00"
- workspace: discord:1
  role: sdet
  text: "Ping <@123456789> and @everyone"
  source: "<!channel>"
  added_by: "7"
  added_at: "2026-01-01T00:00:00+00:00"
- workspace: "discord 1; DROP TABLE quotes"
  role: [sdet]
  text: fine
  added_by: "7"
  added_at: "2026-01-01T00:00:00"
  admin: true
- a string, not an entry
- workspace: slack:T1
  role: sdet
  text: Removed without saying by whom
  added_by: U1
  added_at: "2026-01-01T00:00:00Z"
  removed: true
- workspace: slack:T1
  role: sdet
  text: The one valid entry
  added_by: U1
  added_at: "2026-01-01T00:00:00Z"
"""


@pytest.mark.parametrize("existing", [False, True])
def test_a_hostile_file_is_refused_whole_with_every_problem_listed(
    tmp_path: Path, existing: bool
) -> None:
    """Wrong types, huge quotes, unknown roles, mentions: every problem, nothing written."""
    db = tmp_path / "bot.sqlite3"
    if existing:
        assert roastbot("chat", stdin="/burnward add SDET | Kept\n", cwd=tmp_path).returncode == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest() if existing else None
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE.format(long="x" * 10_000))

    result = roastbot("quotes", "import", str(path), cwd=tmp_path)

    assert result.returncode == 1 and result.stdout == ""
    expected = [
        f"{path}:3: entry 1: text: Input should be a valid string",
        f"{path}:3: entry 1: added_by: Input should be a valid string",
        f"{path}:3: entry 1: added_at: must be an ISO-8601 date and time",
        f"{path}:8: entry 2: role: no dossier with id 'no-such-role'",
        f"{path}:8: entry 2: The quote is 10000 characters; the burn ward takes at most 400.",
        f"{path}:13: entry 3: The quote contains a mention",
        f"{path}:19: entry 4: workspace: must be a workspace key like discord:123456",
        f"{path}:19: entry 4: role: Input should be a valid string",
        f"{path}:19: entry 4: added_at: Input should have timezone info",
        f"{path}:19: entry 4: admin: Extra inputs are not permitted",
        f"{path}:25: entry 5: must be a mapping of fields",
        f"{path}:26: entry 6: removed: true needs removed_by and removed_at",
    ]
    problems = result.stderr.splitlines()
    for line in expected:
        assert any(problem.startswith(line) for problem in problems), line
    assert len(problems) == len(expected) + 1
    assert problems[-1] == "added 0, skipped 0, refused 6 of 7 entries: nothing was imported"
    if existing:
        assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    else:
        assert not db.exists()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("q.yaml", "quotes: [\n", "q.yaml:2: malformed YAML"),
        ("q.json", '{"version": 1,', "q.json:1: malformed JSON"),
        ("q.yaml", "- just\n- a list\n", "expected a mapping with `version: 1`"),
        ("q.yaml", "version: 2\nquotes: []\nextra: 1\n", "version: must be 1"),
    ],
)
def test_a_malformed_file_is_one_clear_problem(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    """Unparsable or misshapen files are refused with the line where it went wrong."""
    (tmp_path / name).write_text(text)
    result = roastbot("quotes", "import", name, cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and "nothing was imported" in result.stderr


def _one_entry(added_at: str) -> str:
    """A YAML file of one entry whose `added_at` (line 7) is written as given."""
    return (
        'version: 1\nquotes:\n- workspace: "discord:1"\n  role: sdet\n  text: Fine words\n'
        f'  added_by: "7"\n  added_at: {added_at}\n'
    )


EDGE_OF_TIME = {
    "workspace": "discord:1",
    "role": "sdet",
    "text": "Fine words",
    "added_by": "7",
    "added_at": "9999-12-31T23:59:59-01:00",
}


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (
            "q.yaml",
            "[" * 100_000 + "]" * 100_000,
            "1: malformed YAML: nested deeper than 64 levels",
        ),
        (
            "q.json",
            "[" * 100_000 + "]" * 100_000,
            "1: malformed JSON: nested deeper than 64 levels",
        ),
        (
            "q.yaml",
            "version: 1\nquotes: []\nextra: " + "9" * 5000,
            "3: malformed YAML: an integer of 5000 characters is too long (at most 100)",
        ),
        (
            "q.json",
            '{"version": 1,\n"quotes": [' + "9" * 5000 + "]}",
            "2: malformed JSON: a number of 5000 characters is too long (at most 100)",
        ),
        (
            "q.yaml",
            _one_entry("2026-02-30"),
            "7: malformed YAML: '2026-02-30' is not a valid date or time",
        ),
        (
            "q.yaml",
            _one_entry("!!timestamp x"),
            "7: malformed YAML: 'x' is not a valid date or time",
        ),
        (
            "q.yaml",
            _one_entry("0001-01-01T00:00:00+01:00"),
            "3: entry 1: added_at: must stay within the years 1 to 9999 once converted to UTC",
        ),
        (
            "q.json",
            json.dumps({"version": 1, "quotes": [EDGE_OF_TIME]}, indent=2),
            "4: entry 1: added_at: must stay within the years 1 to 9999 once converted to UTC",
        ),
    ],
)
def test_what_would_crash_a_parser_is_one_problem_with_its_line(
    tmp_path: Path, catalog: Catalog, name: str, text: str, problem: str
) -> None:
    """Deep nesting, 5,000 digits, impossible dates, moments past UTC's range: `path:line:`."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        check_file(path, catalog)
    assert refused.value.problems == (f"{path}:{problem}",)


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (
            "q.yaml",
            "version: 1\nquotes: []\nquotes:\n- text: second\n",
            "3: malformed YAML: duplicate key 'quotes', first on line 2",
        ),
        (
            "q.yaml",
            _one_entry('"2026-01-01T00:00:00Z"') + "  text: Other words\n",
            "8: malformed YAML: duplicate key 'text', first on line 5",
        ),
        (
            "q.json",
            '{"version": 1,\n "quotes": [],\n "quotes": []}',
            "3: malformed JSON: duplicate key 'quotes', first on line 2",
        ),
        ("q.json", '{"version": true, "quotes": []}', " version: must be 1"),
        ("q.yaml", "version: 1.0\nquotes: []\n", " version: must be 1"),
    ],
)
def test_a_key_written_twice_or_a_version_that_only_equals_1_is_refused(
    tmp_path: Path, catalog: Catalog, name: str, text: str, problem: str
) -> None:
    """Two `quotes:` or two `text:` name both lines; `true` and `1.0` are not version 1."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        check_file(path, catalog)
    assert refused.value.problems == (f"{path}:{problem}",)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_byte_order_mark_is_read_the_same_in_yaml_and_json(
    tmp_path: Path, catalog: Catalog, fmt: str
) -> None:
    """A file an editor saved with a UTF-8 BOM imports, whichever the format."""
    entry = EDGE_OF_TIME | {"added_at": "2026-01-01T00:00:00+00:00"}
    document = {"version": 1, "quotes": [entry]}
    path = tmp_path / f"q.{fmt}"
    path.write_bytes(b"\xef\xbb\xbf" + render(document, fmt).encode())
    assert [checked.record.text for checked in check_file(path, catalog).quotes] == ["Fine words"]


async def test_a_quote_added_in_chat_comes_back_byte_identical(
    context: Context, tmp_path: Path
) -> None:
    """An accent kept apart from its letter by a zero-width joiner survives export and import."""
    typed = "Cafe\u200d\u0301 au lait, deploy\u200b on Friday"
    add = invocation("burnward", "add", admin=True, role="sdet", quote=typed)
    assert (await dispatch(context, add)).cards[0].tone is Tone.SUCCESS
    stored = await context.store.all_quotes()
    path = tmp_path / "quotes.yaml"
    path.write_text(render(export_document(stored), "yaml"), encoding="utf-8")
    [entry] = check_file(path, context.catalog).quotes
    assert (
        entry.record.text.encode()
        == stored[0].text.encode()
        == "Café au lait, deploy on Friday".encode()
    )
    assert entry.record.fingerprint == fingerprint(stored[0].text)


@pytest.mark.parametrize("workspace", ["slack:T0123ABCD", "T0123ABCD"])
async def test_export_of_one_workspace(
    tmp_path: Path, store: SqlStore, workspace: str, db_env: dict[str, str]
) -> None:
    """--workspace takes the key or the bare id and leaves the other workspaces out."""
    await _fill(store)
    result = roastbot("quotes", "export", "--workspace", workspace, cwd=tmp_path, env=db_env)
    quotes = yaml.safe_load(result.stdout)["quotes"]
    assert [q["workspace"] for q in quotes] == ["slack:T0123ABCD"]


def test_export_never_creates_a_database(tmp_path: Path) -> None:
    """Exporting from a path with no database is one line, exit 1."""
    result = roastbot("quotes", "export", cwd=tmp_path)
    assert result.returncode == 1 and "no database at" in result.stderr
    assert not (tmp_path / "bot.sqlite3").exists()


@pytest.fixture
def db_env(database: str) -> dict[str, str]:
    """The environment pointing at the `store` fixture's database."""
    return {"ROASTBOT_DB": database}


def test_export_refuses_a_terminal_and_writes_whole_files(tmp_path: Path) -> None:
    """A terminal on stdout (docker exec without -T) is refused; --output writes the file."""
    leader, follower = pty.openpty()
    try:
        refused = subprocess.run(
            [sys.executable, "-m", "bot", "quotes", "export"],
            stdout=follower,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            cwd=tmp_path,
            env=bot_env(tmp_path),
            timeout=60,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert refused.returncode == 1
    assert "not written to a terminal; use --output FILE" in refused.stderr
    assert roastbot("chat", stdin="/roast SDET\n", cwd=tmp_path).returncode == 0
    written = roastbot("quotes", "export", "--output", "out.yaml", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert "\nversion: 1\nquotes: []\n" in (tmp_path / "out.yaml").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
