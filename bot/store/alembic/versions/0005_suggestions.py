"""Members' burn-ward suggestions and the admins' decisions on them (schema version 5).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `suggestions`."""
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.Text, nullable=False),
        sa.Column("role_id", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("suggested_by", sa.Text, nullable=False),
        sa.Column("suggested_at", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("decided_by", sa.Text),
        sa.Column("decided_at", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("quote_id", sa.Integer),
        sqlite_autoincrement=True,
    )
    op.create_index("suggestions_by_status", "suggestions", ["workspace", "status", "id"])
    op.create_index("suggestions_by_member", "suggestions", ["workspace", "suggested_by", "status"])
