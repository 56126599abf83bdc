"""Review channels and the review message of each suggestion posted there (schema version 8).

Revision ID: 0008
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `review_channels` and `review_posts`."""
    op.create_table(
        "review_channels",
        sa.Column("workspace", sa.Text, primary_key=True),
        sa.Column("channel_id", sa.Text, nullable=False),
        sa.Column("set_by", sa.Text, nullable=False),
        sa.Column("set_at", sa.Text, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "review_posts",
        sa.Column("suggestion_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("workspace", sa.Text, nullable=False),
        sa.Column("channel_id", sa.Text, nullable=False),
        sa.Column("message_id", sa.Text, nullable=False),
        sa.Column("posted_at", sa.Text, nullable=False),
    )
