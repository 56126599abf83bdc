"""Daily post options (days, pin, thread, ping) and the steps of each daily post (schema 6).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the options to `subscriptions`; create `daily_steps`."""
    subscriptions = "subscriptions"
    op.add_column(subscriptions, sa.Column("days", sa.Text, nullable=False, server_default="daily"))
    op.add_column(subscriptions, sa.Column("pin", sa.Integer, nullable=False, server_default="0"))
    op.add_column(
        subscriptions, sa.Column("thread", sa.Integer, nullable=False, server_default="0")
    )
    op.add_column(subscriptions, sa.Column("ping", sa.Text))
    op.create_table(
        "daily_steps",
        sa.Column("channel", sa.Text, primary_key=True),
        sa.Column("local_date", sa.Text, primary_key=True),
        sa.Column("step", sa.Text, primary_key=True),
        sa.Column("claimed_at", sa.Text, nullable=False),
        sa.Column("done_at", sa.Text),
        sa.Column("result", sa.Text),
        sa.Column("failure", sa.Text),
        sqlite_with_rowid=False,
    )
