"""Alembic's entry point: runs the revisions on the connection roastbot hands it."""

from __future__ import annotations

from alembic import context

from bot.store.schema import full_metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=full_metadata(), render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
