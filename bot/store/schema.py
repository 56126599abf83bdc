"""The tables, described once for SQLAlchemy; Alembic revisions in `alembic/versions` build them.

Moments are stored as ISO-8601 UTC text to the second and dates as ISO text, on SQLite and
PostgreSQL alike: they sort and compare correctly as text, and a database made by the first
(SQLite-only) roastbot upgrades in place without rewriting a row.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Column, Index, Integer, MetaData, Table, Text, UniqueConstraint, text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class Stamp(TypeDecorator[datetime]):
    """An aware moment, stored as `2026-11-21T09:00:00+00:00`."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        """The moment as stored text."""
        return None if value is None else stamp(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        """Stored text back as an aware moment."""
        return None if value is None else datetime.fromisoformat(value)


class Day(TypeDecorator[date]):
    """A calendar date, stored as `2026-11-21`."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: date | None, dialect: Dialect) -> str | None:
        """The date as stored text."""
        return None if value is None else value.isoformat()

    def process_result_value(self, value: str | None, dialect: Dialect) -> date | None:
        """Stored text back as a date."""
        return None if value is None else date.fromisoformat(value)


def utc(moment: datetime) -> datetime:
    """A moment in UTC, to the second, as it comes back from the store."""
    return moment.astimezone(UTC).replace(microsecond=0)


def stamp(moment: datetime) -> str:
    """A moment as stored: UTC ISO-8601 to the second."""
    return utc(moment).isoformat(timespec="seconds")


metadata = MetaData()

LIVE = text("removed_at IS NULL")
# one live quote per text and role in a workspace; removed ones may repeat
quotes_live_fingerprint = Index(
    "quotes_live_fingerprint", "workspace", "role_id", "fingerprint", unique=True, sqlite_where=LIVE
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workspace", Text, nullable=False),
    Column("role_id", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("source", Text),
    Column("fingerprint", Text, nullable=False),
    Column("added_by", Text, nullable=False),
    Column("added_at", Stamp, nullable=False),
    Column("removed_by", Text),
    Column("removed_at", Stamp),
    Index("quotes_by_role", "workspace", "role_id", "removed_at"),
    quotes_live_fingerprint,
    sqlite_autoincrement=True,
)

bag_draws = Table(
    "bag_draws",
    metadata,
    Column("channel", Text, primary_key=True),
    Column("bag", Text, primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("item", Text, nullable=False),
    UniqueConstraint("channel", "bag", "round", "item"),
    sqlite_with_rowid=False,
)

bot_state = Table(
    "bot_state",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", Stamp, nullable=False),
    sqlite_with_rowid=False,
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("channel", Text, primary_key=True),
    Column("platform", Text, nullable=False),
    Column("workspace_id", Text, nullable=False),
    Column("channel_id", Text, nullable=False),
    Column("post_time", Text, nullable=False),
    Column("zone", Text, nullable=False),
    Column("subscribed_by", Text, nullable=False),
    Column("subscribed_at", Stamp, nullable=False),
    Column("paused_reason", Text),
    Column("paused_at", Stamp),
    Column("days", Text, nullable=False, server_default="daily"),
    Column("pin", Integer, nullable=False, server_default="0"),
    Column("thread", Integer, nullable=False, server_default="0"),
    Column("ping", Text),
    # when the scheduler must next look at the subscription (UTC); NULL while paused
    Column("next_post_at", Stamp),
    Index("subscriptions_by_next_post", "next_post_at", "channel"),
    sqlite_with_rowid=False,
)

daily_posts = Table(
    "daily_posts",
    metadata,
    Column("channel", Text, primary_key=True),
    Column("local_date", Day, primary_key=True),
    Column("role_id", Text, nullable=False),
    Column("planned_at", Stamp, nullable=False),
    Column("claimed_at", Stamp),
    Column("message_id", Text),
    Column("posted_at", Stamp),
    Column("quote_text", Text),  # the quote the post showed, so a vote redraws the same card
    Column("quote_source", Text),
    sqlite_with_rowid=False,
)

suggestions = Table(
    "suggestions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workspace", Text, nullable=False),
    Column("role_id", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("source", Text),
    Column("fingerprint", Text, nullable=False),
    Column("suggested_by", Text, nullable=False),
    Column("suggested_at", Stamp, nullable=False),
    Column("status", Text, nullable=False),  # pending, approved or rejected
    Column("decided_by", Text),
    Column("decided_at", Stamp),
    Column("reason", Text),
    Column("quote_id", Integer),  # the quote an approval made
    Index("suggestions_by_status", "workspace", "status", "id"),
    Index("suggestions_by_member", "workspace", "suggested_by", "status"),
    sqlite_autoincrement=True,
)

# each step of a daily post done (or failed for good), so a crash never repeats one
daily_steps = Table(
    "daily_steps",
    metadata,
    Column("channel", Text, primary_key=True),
    Column("local_date", Day, primary_key=True),
    Column("step", Text, primary_key=True),
    Column("claimed_at", Stamp, nullable=False),
    Column("done_at", Stamp),
    Column("result", Text),
    Column("failure", Text),
    sqlite_with_rowid=False,
)

# how often each role was roasted (kind "roast") and each missing role asked for (kind
# "missing"), per workspace and UTC day: one small upsert per roast
roast_counts = Table(
    "roast_counts",
    metadata,
    Column("workspace", Text, primary_key=True),
    Column("day", Day, primary_key=True),
    Column("kind", Text, primary_key=True),
    Column("name", Text, primary_key=True),
    Column("count", Integer, nullable=False),
    sqlite_with_rowid=False,
)

# each workspace's review channel, where new suggestions are posted for admins to decide
review_channels = Table(
    "review_channels",
    metadata,
    Column("workspace", Text, primary_key=True),
    Column("channel_id", Text, nullable=False),
    Column("set_by", Text, nullable=False),
    Column("set_at", Stamp, nullable=False),
    sqlite_with_rowid=False,
)

# the message each suggestion was posted as in a review channel, to edit it on a decision
review_posts = Table(
    "review_posts",
    metadata,
    Column("suggestion_id", Integer, primary_key=True, autoincrement=False),
    Column("workspace", Text, nullable=False),
    Column("channel_id", Text, nullable=False),
    Column("message_id", Text, nullable=False),
    Column("posted_at", Stamp, nullable=False),
)

# one member's vote on one daily post (channel, local date): `accurate`, `harsh`, or NULL once
# taken back; one row per member and post, so concurrent presses can never count twice
daily_votes = Table(
    "daily_votes",
    metadata,
    Column("channel", Text, primary_key=True),
    Column("local_date", Day, primary_key=True),
    Column("member", Text, primary_key=True),
    Column("workspace", Text, nullable=False),
    Column("vote", Text),
    Column("voted_at", Stamp, nullable=False),
    Index("daily_votes_by_workspace", "workspace", "local_date"),
    sqlite_with_rowid=False,
)

# one Slack workspace's (or Enterprise org's) installation of the app; tokens sealed with
# ROASTBOT_SECRET_KEY before they reach the store, never plain text. '' for an absent id.
slack_installations = Table(
    "slack_installations",
    metadata,
    Column("enterprise_id", Text, primary_key=True),
    Column("team_id", Text, primary_key=True),
    Column("is_enterprise_install", Integer, nullable=False, server_default="0"),
    Column("app_id", Text),
    Column("enterprise_name", Text),
    Column("enterprise_url", Text),
    Column("team_name", Text),
    Column("bot_id", Text),
    Column("bot_user_id", Text),
    Column("bot_scopes", Text),
    Column("bot_token", Text, nullable=False),
    Column("bot_refresh_token", Text),
    Column("bot_token_expires_at", Stamp),
    Column("installer_user_id", Text),
    Column("installed_at", Stamp, nullable=False),
    sqlite_with_rowid=False,
)

# the one-time `state` of each OAuth install begun, until used or expired
slack_oauth_states = Table(
    "slack_oauth_states",
    metadata,
    Column("state", Text, primary_key=True),
    Column("expires_at", Stamp, nullable=False),
    sqlite_with_rowid=False,
)

# every table, in the order `roastbot db copy` fills them
TABLES = (
    quotes,
    bag_draws,
    bot_state,
    subscriptions,
    daily_posts,
    roast_counts,
    suggestions,
    daily_steps,
    review_channels,
    review_posts,
    daily_votes,
    slack_installations,
    slack_oauth_states,
)


def full_metadata() -> MetaData:
    """The tables as Alembic compares them with a database: with the PostgreSQL-only options.

    They are added here, for migrations, rather than where the tables are declared, because
    naming one makes SQLAlchemy import its whole PostgreSQL dialect, about 35 ms of every
    start on SQLite too; the statements roastbot runs never need them.
    """
    quotes_live_fingerprint.dialect_options["postgresql"]["where"] = LIVE
    return metadata
