"""Votes on the daily post, and the quote each post showed (schema 7).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the shown quote to `daily_posts`; create `daily_votes`."""
    op.add_column("daily_posts", sa.Column("quote_text", sa.Text))
    op.add_column("daily_posts", sa.Column("quote_source", sa.Text))
    op.create_table(
        "daily_votes",
        sa.Column("channel", sa.Text, primary_key=True),
        sa.Column("local_date", sa.Text, primary_key=True),
        sa.Column("member", sa.Text, primary_key=True),
        sa.Column("workspace", sa.Text, nullable=False),
        sa.Column("vote", sa.Text),
        sa.Column("voted_at", sa.Text, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("daily_votes_by_workspace", "daily_votes", ["workspace", "local_date"])
