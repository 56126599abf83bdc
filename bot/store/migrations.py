"""Versioned schema migrations. Append new ones; never edit one that has shipped."""

from __future__ import annotations

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workspace TEXT NOT NULL,
            role_id TEXT NOT NULL,
            text TEXT NOT NULL,
            source TEXT,
            fingerprint TEXT NOT NULL,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL,
            removed_by TEXT,
            removed_at TEXT
        );
        CREATE INDEX quotes_by_role ON quotes (workspace, role_id, removed_at);
        CREATE UNIQUE INDEX quotes_live_fingerprint
            ON quotes (workspace, role_id, fingerprint) WHERE removed_at IS NULL;

        CREATE TABLE bag_draws (
            channel TEXT NOT NULL,
            bag TEXT NOT NULL,
            round INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            item TEXT NOT NULL,
            PRIMARY KEY (channel, bag, round, seq),
            UNIQUE (channel, bag, round, item)
        ) WITHOUT ROWID;
        """,
    ),
    (
        2,
        """
        CREATE TABLE bot_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1][0]
