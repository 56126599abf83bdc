"""Schema migrations with Alembic, run on a connection roastbot already holds.

A database made by the first roastbot (SQLite only, versioned with `PRAGMA user_version`
1 to 3) has no `alembic_version` table: it is stamped with the revision matching its
version first, so it upgrades in place like any other.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

from bot.store.base import StoreError

log = logging.getLogger(__name__)
# Alembic's own INFO lines ("Context impl SQLiteImpl.") say nothing an operator needs
logging.getLogger("alembic").setLevel(logging.WARNING)
SCRIPTS = Path(__file__).with_name("alembic")
LATEST_REVISION = "0010"
"""The newest revision in `alembic/versions`; a test keeps the two in step."""


def _config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (a legacy one counted by its user_version), or None."""
    revision = None
    if inspect(connection).has_table("alembic_version"):
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision is None and connection.dialect.name == "sqlite":
        version = int(connection.exec_driver_sql("PRAGMA user_version").scalar() or 0)
        return f"{version:04d}" if version else None
    return revision


def upgrade(connection: Connection) -> int:
    """Bring the schema to the newest revision; return it as a number.

    Raises `StoreError` for a database newer than this roastbot (a downgrade of the code).
    """
    revision = current_revision(connection)
    if revision is not None and int(revision) > int(LATEST_REVISION):
        raise StoreError(
            f"the database is at schema version {int(revision)}, newer than this roastbot"
            f" understands ({int(LATEST_REVISION)}); upgrade roastbot or restore a backup"
        )
    legacy = revision is not None and not inspect(connection).has_table("alembic_version")
    if revision != LATEST_REVISION or legacy:
        from alembic import command  # Alembic loads only when the schema must change

        config = _config(connection)
        if legacy and revision is not None:
            command.stamp(config, revision)
        if revision != LATEST_REVISION:
            log.info("database schema: from %s to %s", revision or "empty", LATEST_REVISION)
            command.upgrade(config, "head")
    return int(LATEST_REVISION)


def head_revision() -> str:
    """The newest revision of the scripts on disk (for the test that checks the constant)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(SCRIPTS)).get_current_head()
    assert head is not None
    return head
