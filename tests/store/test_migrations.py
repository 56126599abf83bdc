"""A database made by the first roastbot upgrades in place; the revisions match the schema."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

from bot.store import Place, open_store
from bot.store.migrate import LATEST_REVISION, head_revision
from tests.conftest import rows

# The schema the first roastbot wrote (its bot/store/migrations.py, versions 1 to 3), verbatim.
LANDED_SCHEMA = (
    """CREATE TABLE quotes (id INTEGER PRIMARY KEY AUTOINCREMENT, workspace TEXT NOT NULL,
    role_id TEXT NOT NULL, text TEXT NOT NULL, source TEXT, fingerprint TEXT NOT NULL,
    added_by TEXT NOT NULL, added_at TEXT NOT NULL, removed_by TEXT, removed_at TEXT)""",
    "CREATE INDEX quotes_by_role ON quotes (workspace, role_id, removed_at)",
    """CREATE UNIQUE INDEX quotes_live_fingerprint ON quotes (workspace, role_id, fingerprint)
    WHERE removed_at IS NULL""",
    """CREATE TABLE bag_draws (channel TEXT NOT NULL, bag TEXT NOT NULL, round INTEGER NOT NULL,
    seq INTEGER NOT NULL, item TEXT NOT NULL, PRIMARY KEY (channel, bag, round, seq),
    UNIQUE (channel, bag, round, item)) WITHOUT ROWID""",
    "CREATE TABLE bot_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)"
    " WITHOUT ROWID",
    """CREATE TABLE subscriptions (channel TEXT PRIMARY KEY, platform TEXT NOT NULL,
    workspace_id TEXT NOT NULL, channel_id TEXT NOT NULL, post_time TEXT NOT NULL,
    zone TEXT NOT NULL, subscribed_by TEXT NOT NULL, subscribed_at TEXT NOT NULL,
    paused_reason TEXT, paused_at TEXT) WITHOUT ROWID""",
    """CREATE TABLE daily_posts (channel TEXT NOT NULL, local_date TEXT NOT NULL,
    role_id TEXT NOT NULL, planned_at TEXT NOT NULL, claimed_at TEXT, message_id TEXT,
    posted_at TEXT, PRIMARY KEY (channel, local_date)) WITHOUT ROWID""",
    "PRAGMA user_version = 3",
)
DATA = (
    "INSERT INTO quotes (workspace, role_id, text, source, fingerprint, added_by, added_at)"
    " VALUES ('discord:1', 'sdet', 'Kept across the upgrade', NULL, 'kept', '7',"
    " '2026-11-01T10:00:00+00:00')",
    "INSERT INTO bag_draws VALUES ('discord:1:2', 'quote:sdet', 0, 0, 's:0')",
    "INSERT INTO subscriptions VALUES ('discord:1:2', 'discord', '1', '2', '09:00', 'UTC', '7',"
    " '2026-11-01T10:00:00+00:00', NULL, NULL)",
    "INSERT INTO daily_posts VALUES ('discord:1:2', '2026-11-02', 'sdet',"
    " '2026-11-02T09:00:00+00:00', '2026-11-02T09:00:00+00:00', 'm1', '2026-11-02T09:00:01+00:00')",
)


def test_the_latest_revision_constant_is_the_scripts_head() -> None:
    """LATEST_REVISION names the newest file in alembic/versions."""
    assert head_revision() == LATEST_REVISION


async def test_a_database_made_by_the_first_roastbot_upgrades_in_place(tmp_path: Path) -> None:
    """Stamped from its user_version, then upgraded; every row readable through the store."""
    path = tmp_path / "landed.sqlite3"
    with closing(sqlite3.connect(path)) as landed:
        for statement in (*LANDED_SCHEMA, *DATA):
            landed.execute(statement)
        landed.commit()
    store = await open_store(path)
    assert await rows(store, "SELECT version_num FROM alembic_version") == [(LATEST_REVISION,)]
    [quote] = await store.all_quotes()
    assert (quote.id, quote.text, quote.added_at) == (
        1,
        "Kept across the upgrade",
        datetime(2026, 11, 1, 10, tzinfo=UTC),
    )
    place = Place("discord", "1", "2")
    post = await store.daily(place, date(2026, 11, 2))
    assert post is not None and post.message_id == "m1"
    assert [s.post_time for s in await store.subscriptions()] == ["09:00"]
    drawn = await store.draw_quote(place, "sdet", ["s:0", "s:1"])
    assert drawn is not None and drawn.key in {"s:1", "a:1"}  # the landed round goes on
    await store.close()
