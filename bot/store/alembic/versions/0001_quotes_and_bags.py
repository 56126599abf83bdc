"""Admin quotes and the shuffle bags (the first roastbot's schema version 1).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `quotes` and `bag_draws`."""
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.Text, nullable=False),
        sa.Column("role_id", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
        sa.Column("added_at", sa.Text, nullable=False),
        sa.Column("removed_by", sa.Text),
        sa.Column("removed_at", sa.Text),
        sqlite_autoincrement=True,
    )
    op.create_index("quotes_by_role", "quotes", ["workspace", "role_id", "removed_at"])
    op.create_index(
        "quotes_live_fingerprint",
        "quotes",
        ["workspace", "role_id", "fingerprint"],
        unique=True,
        sqlite_where=sa.text("removed_at IS NULL"),
        postgresql_where=sa.text("removed_at IS NULL"),
    )
    op.create_table(
        "bag_draws",
        sa.Column("channel", sa.Text, primary_key=True),
        sa.Column("bag", sa.Text, primary_key=True),
        sa.Column("round", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("item", sa.Text, nullable=False),
        sa.UniqueConstraint("channel", "bag", "round", "item"),
        sqlite_with_rowid=False,
    )
