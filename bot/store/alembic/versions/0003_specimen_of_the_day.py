"""Specimen-of-the-day subscriptions and daily posts (schema version 3).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `subscriptions` and `daily_posts`."""
    op.create_table(
        "subscriptions",
        sa.Column("channel", sa.Text, primary_key=True),
        sa.Column("platform", sa.Text, nullable=False),
        sa.Column("workspace_id", sa.Text, nullable=False),
        sa.Column("channel_id", sa.Text, nullable=False),
        sa.Column("post_time", sa.Text, nullable=False),
        sa.Column("zone", sa.Text, nullable=False),
        sa.Column("subscribed_by", sa.Text, nullable=False),
        sa.Column("subscribed_at", sa.Text, nullable=False),
        sa.Column("paused_reason", sa.Text),
        sa.Column("paused_at", sa.Text),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "daily_posts",
        sa.Column("channel", sa.Text, primary_key=True),
        sa.Column("local_date", sa.Text, primary_key=True),
        sa.Column("role_id", sa.Text, nullable=False),
        sa.Column("planned_at", sa.Text, nullable=False),
        sa.Column("claimed_at", sa.Text),
        sa.Column("message_id", sa.Text),
        sa.Column("posted_at", sa.Text),
        sqlite_with_rowid=False,
    )
