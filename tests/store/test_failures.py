"""A sick database: busy, full, damaged, unreachable, refused. One line each; nothing lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.dialects.postgresql.asyncpg import (
    AsyncAdapt_asyncpg_connection,
    AsyncAdapt_asyncpg_dbapi,
)
from sqlalchemy.exc import DBAPIError

from bot.cards.model import Tone
from bot.catalog.lookup import Catalog
from bot.commands.registry import dispatch
from bot.runtime.context import Context
from bot.store import StoreError, StoreFull, open_store
from bot.store.engine import explain, target_of
from tests import pg_server
from tests.conftest import FIXED_NOW, invocation, rows
from tests.process import roastbot

ADD = {"role": "SDET", "quote": "It passed on the retry"}


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """A SQLite database another process holds an exclusive lock on."""
    path = tmp_path / "locked.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("CREATE TABLE holder (x)")
        yield path


async def test_a_locked_database_answers_busy_and_roasts_still_answer(
    tmp_path: Path, catalog: Catalog
) -> None:
    """Another process holds the lock: adds say 'busy', roasts still show a card, nothing lost."""
    path = tmp_path / "db.sqlite3"
    store = await open_store(path, busy_timeout=0.05)
    context = Context(catalog=catalog, store=store, clock=lambda: FIXED_NOW)
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        added = await dispatch(context, invocation("burnward", "add", admin=True, **ADD))
        roast = await dispatch(context, invocation("roast", role="SDET"))
        other.execute("ROLLBACK")
    assert added.cards[0].description == (
        "The database is busy, try again in a moment. Nothing was changed."
    )
    assert roast.cards[0].title == "SDET" and roast.cards[0].quote is not None
    again = await dispatch(context, invocation("burnward", "add", admin=True, **ADD))
    assert again.cards[0].tone is Tone.SUCCESS
    await store.close()


async def test_a_full_disk_answers_full_and_keeps_serving_roasts(
    tmp_path: Path, catalog: Catalog
) -> None:
    """No room for a new page: adds say 'full', roasts still answer, earlier data is intact."""
    store = await open_store(tmp_path / "db.sqlite3")
    context = Context(catalog=catalog, store=store, clock=lambda: FIXED_NOW)
    first = await dispatch(context, invocation("burnward", "add", admin=True, **ADD))
    assert first.cards[0].tone is Tone.SUCCESS
    pages = (await rows(context.store, "PRAGMA page_count"))[0][0]  # type: ignore[arg-type]
    await context.store._runner.run(  # type: ignore[attr-defined]
        lambda conn: conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}"), write=False
    )
    refused = []
    for n in range(200):  # fill the last free pages, then one more
        quote = {"role": "SDET", "quote": f"{n} " + "long story " * 35}
        reply = await dispatch(context, invocation("burnward", "add", admin=True, **quote))
        refused.append(reply.cards[0].description)
        if reply.cards[0].tone is Tone.ERROR:
            break
    assert refused[-1] == (
        "The database is full, so nothing can be saved now. Nothing was changed."
    )
    roast = await dispatch(context, invocation("roast", role="SDET"))
    assert roast.cards[0].quote is not None
    assert [q.text for q in await context.store.all_quotes()][0] == ADD["quote"]
    await store.close()


def test_a_damaged_or_empty_database_file_stops_start_up_with_one_line(tmp_path: Path) -> None:
    """Garbage pages or a zero-length file: one line naming the file and `roastbot db check`."""
    assert roastbot("chat", stdin="/burnward add SDET | kept quote\n", cwd=tmp_path).returncode == 0
    db = tmp_path / "bot.sqlite3"
    data = bytearray(db.read_bytes())
    data[4096:] = b"\x5a" * (len(data) - 4096)
    db.write_bytes(bytes(data))
    damaged = roastbot("run", "console", cwd=tmp_path, stdin="/roast SDET\n")
    assert damaged.returncode == 1 and "Traceback" not in damaged.stderr
    [line] = damaged.stderr.strip().splitlines()
    assert str(db) in line and "roastbot db check" in line
    db.write_bytes(b"")
    empty = roastbot("run", "console", cwd=tmp_path, stdin="/roast SDET\n")
    [line] = empty.stderr.strip().splitlines()
    assert empty.returncode == 1 and "empty file (0 bytes)" in line and "roastbot db check" in line


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://postgres:wrong@127.0.0.1:{port}/postgres", "refused the user or password"),
        ("postgresql://postgres:{password}@127.0.0.1:{port}/no_such_db", "no such database"),
        ("postgresql://postgres:{password}@127.0.0.1:1/postgres", "unavailable"),
        ("postgresql//postgres:{password}@127.0.0.1:{port}/postgres", "not one; write postgres"),
        ("postgresql://noperm:{password}@127.0.0.1:{port}/locked_db", "may not use this database"),
    ],
)
def test_a_bad_database_url_is_one_line_naming_it_with_the_password_hidden(
    tmp_path: Path, postgres: pg_server.PostgresServer, url: str, says: str
) -> None:
    """Wrong password, no database, nothing listening, a typo, no permission: exit 1, one line."""
    if "noperm" in url:
        postgres.sql("DROP DATABASE IF EXISTS locked_db")
        postgres.sql("CREATE DATABASE locked_db")
        postgres.sql("REVOKE ALL ON DATABASE locked_db FROM PUBLIC")
        postgres.sql("DROP ROLE IF EXISTS noperm")
        postgres.sql(f"CREATE ROLE noperm LOGIN PASSWORD '{pg_server.PASSWORD}'")
    target = url.format(port=postgres.port, password=pg_server.PASSWORD)
    result = roastbot("run", "console", cwd=tmp_path, env={"ROASTBOT_DB": target})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("roastbot: ROASTBOT_DB: ") and says in line, line
    assert pg_server.PASSWORD not in line and "wrong" not in line
    assert sorted(p.name for p in tmp_path.iterdir()) == []


async def test_a_server_that_goes_away_is_unavailable_then_recovers(catalog: Catalog) -> None:
    """The server stops mid-service: commands say so, and work again once it is back."""
    server = pg_server.start()
    try:
        store = await open_store(server.url(server.new_database()))
        context = Context(catalog=catalog, store=store, clock=lambda: FIXED_NOW)
        assert (await dispatch(context, invocation("burnward", "add", admin=True, **ADD))).cards[
            0
        ].tone is Tone.SUCCESS
        server.halt()
        down = await dispatch(context, invocation("burnward", "list", role="SDET"))
        assert down.cards[0].description == (
            "The database is unavailable, try again later. Nothing was changed."
        )
        server.restart()
        back = await dispatch(context, invocation("burnward", "list", role="SDET"))
        assert ADD["quote"] in str(back.cards[0].fields)
        await store.close()
    finally:
        server.stop()


async def test_open_store_refuses_a_postgres_typo_before_touching_disk(tmp_path: Path) -> None:
    """`postgres:/...` is not taken for a SQLite path."""
    with pytest.raises(StoreError, match="looks like a PostgreSQL URL"):
        await open_store("postgres:/u:p@host/db")


def test_a_postgresql_disk_full_is_full_not_a_refusal() -> None:
    """PostgreSQL's 53100 'No space left on device', as SQLAlchemy's asyncpg adapter raises
    it, is StoreFull (a full disk cannot be made here without root, so the error is built)."""
    dbapi = AsyncAdapt_asyncpg_dbapi(asyncpg)
    driver = asyncpg.exceptions.DiskFullError(
        'could not extend file "base/16384/16385": No space left on device'
    )
    with pytest.raises(dbapi.Error) as adapted:
        AsyncAdapt_asyncpg_connection._handle_exception_no_connection(dbapi, driver)
    raised = DBAPIError.instance("INSERT INTO quotes", {}, adapted.value, dbapi.Error)
    said = explain(raised, target_of("postgresql://u:p@127.0.0.1/roastbot"))
    assert isinstance(said, StoreFull), said
