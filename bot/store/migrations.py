"""Versioned schema migrations, one SQL statement a string.

Append new ones; never edit one that has shipped.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
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
            )
            """,
            """
            CREATE INDEX quotes_by_role ON quotes (workspace, role_id, removed_at)
            """,
            """
            CREATE UNIQUE INDEX quotes_live_fingerprint
                ON quotes (workspace, role_id, fingerprint) WHERE removed_at IS NULL
            """,
            """
            CREATE TABLE bag_draws (
                channel TEXT NOT NULL,
                bag TEXT NOT NULL,
                round INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                item TEXT NOT NULL,
                PRIMARY KEY (channel, bag, round, seq),
                UNIQUE (channel, bag, round, item)
            ) WITHOUT ROWID
            """,
        ),
    ),
    (
        2,
        (
            """
            CREATE TABLE bot_state (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) WITHOUT ROWID
            """,
        ),
    ),
    (
        3,
        (
            """
            CREATE TABLE subscriptions (
                channel TEXT PRIMARY KEY,
                platform TEXT NOT NULL,
                workspace_id TEXT NOT NULL,
                channel_id TEXT NOT NULL,
                post_time TEXT NOT NULL,
                zone TEXT NOT NULL,
                subscribed_by TEXT NOT NULL,
                subscribed_at TEXT NOT NULL,
                paused_reason TEXT,
                paused_at TEXT
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE daily_posts (
                channel TEXT NOT NULL,
                local_date TEXT NOT NULL,
                role_id TEXT NOT NULL,
                planned_at TEXT NOT NULL,
                claimed_at TEXT,
                message_id TEXT,
                posted_at TEXT,
                PRIMARY KEY (channel, local_date)
            ) WITHOUT ROWID
            """,
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1][0]
