"""The SQL that differs between SQLite and PostgreSQL: upserts and bag locks, one place each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, Table, case, func, null, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql.dml import Insert

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql


def _insert(
    conn: Connection, table: Table, values: Mapping[str, Any]
) -> postgresql.Insert | sqlite.Insert:
    """The database's own INSERT, which knows ON CONFLICT. PostgreSQL's dialect is imported
    only on PostgreSQL: a SQLite deployment (and every `roastbot roast`) never loads it."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table).values(**values)
    return sqlite.insert(table).values(**values)


def upsert(
    conn: Connection,
    table: Table,
    values: Mapping[str, Any],
    keys: Sequence[str],
    update: Sequence[str],
    where: ColumnElement[bool] | None = None,
) -> Insert:
    """INSERT, or on a clash of `keys` UPDATE the `update` columns (only `where` it holds)."""
    statement = _insert(conn, table, values)
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={n: statement.excluded[n] for n in update}, where=where
    )


def lock_bag(conn: Connection, channel: str, bag: str) -> None:
    """Serialize draws from one channel's bag across instances, until the transaction ends.

    SQLite needs nothing: a write transaction begins IMMEDIATE and holds the whole file.
    PostgreSQL takes a transaction-scoped advisory lock on the bag's name.
    """
    lock_name(conn, f"{channel}\x1f{bag}")


def lock_name(conn: Connection, name: str) -> None:
    """Serialize the transactions that take the lock of `name` across instances, until each
    ends (SQLite: the write transaction already does; PostgreSQL: an advisory lock)."""
    if conn.dialect.name == "postgresql":
        key = func.hashtextextended(name, 0)
        conn.execute(select(func.pg_advisory_xact_lock(key)))


def increment(
    conn: Connection, table: Table, values: Mapping[str, Any], keys: Sequence[str], column: str
) -> Insert:
    """INSERT the row with `column` at its given value, or on a clash of `keys` add that value."""
    added = table.c[column] + values[column]
    return _insert(conn, table, values).on_conflict_do_update(
        index_elements=list(keys), set_={column: added}
    )


def toggle(
    conn: Connection, table: Table, values: Mapping[str, Any], keys: Sequence[str], column: str
) -> Insert:
    """INSERT the row; on a clash of `keys` set `column` to the new value, or to NULL when it
    holds that value already (pressing the same choice again takes it back).

    The other given columns are updated on a clash too. One statement, so two presses at
    once are applied one after the other by the database, never lost or counted twice.
    """
    statement = _insert(conn, table, values)
    new = statement.excluded[column]
    flipped = case((table.c[column] == new, null()), else_=new)
    others = {name: statement.excluded[name] for name in values if name not in (*keys, column)}
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={column: flipped, **others}
    )
