"""Slack installations (tokens sealed) and OAuth states, for installs in many workspaces (schema 9).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `slack_installations` and `slack_oauth_states`."""
    op.create_table(
        "slack_installations",
        sa.Column("enterprise_id", sa.Text, primary_key=True),
        sa.Column("team_id", sa.Text, primary_key=True),
        sa.Column("is_enterprise_install", sa.Integer, nullable=False, server_default="0"),
        sa.Column("app_id", sa.Text),
        sa.Column("enterprise_name", sa.Text),
        sa.Column("enterprise_url", sa.Text),
        sa.Column("team_name", sa.Text),
        sa.Column("bot_id", sa.Text),
        sa.Column("bot_user_id", sa.Text),
        sa.Column("bot_scopes", sa.Text),
        sa.Column("bot_token", sa.Text, nullable=False),
        sa.Column("bot_refresh_token", sa.Text),
        sa.Column("bot_token_expires_at", sa.Text),
        sa.Column("installer_user_id", sa.Text),
        sa.Column("installed_at", sa.Text, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "slack_oauth_states",
        sa.Column("state", sa.Text, primary_key=True),
        sa.Column("expires_at", sa.Text, nullable=False),
        sqlite_with_rowid=False,
    )
