"""When each subscription is next looked at, indexed, so a wake reads only due rows (schema 10).

Revision ID: 0010
Revises: 0009

Existing rows are planned lazily: the revision sets `next_post_at` to the moment each was
subscribed, a moment never later than its next post, so the scheduler's first wake finds
every live row due, works out its real next post with the local-time rules
(`bot.daily.specimen`) and writes it back. The store (and its revisions) may not import
`bot.daily`, and the one wake that plans them all is paid once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add `subscriptions.next_post_at` and its index; make every live row due at once."""
    op.add_column("subscriptions", sa.Column("next_post_at", sa.Text))
    op.create_index("subscriptions_by_next_post", "subscriptions", ["next_post_at", "channel"])
    op.execute("UPDATE subscriptions SET next_post_at = subscribed_at WHERE paused_reason IS NULL")
