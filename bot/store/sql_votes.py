"""Votes on the daily post: one per member and post, given, changed or taken back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, select
from sqlalchemy.sql.dml import Insert

from bot.store.base import ACCURATE, HARSH, DailyPost, Place, PostVotes, Tally, Votes
from bot.store.dialect import lock_bag, toggle
from bot.store.schema import daily_posts, daily_votes
from bot.store.sql_base import SqlBase
from bot.store.sql_daily import POST_COLUMNS, post_of

VOTES_LOCK = "votes"
_ACCURATE = func.count().filter(daily_votes.c.vote == ACCURATE)
_HARSH = func.count().filter(daily_votes.c.vote == HARSH)
_ON_POST = and_(
    daily_votes.c.channel == daily_posts.c.channel,
    daily_votes.c.local_date == daily_posts.c.local_date,
)


_THE_POST = (
    daily_votes.c.channel == bindparam("channel"),
    daily_votes.c.local_date == bindparam("local_date"),
)
# the statements of a press, built once (per database kind for the upsert) with bound
# parameters: building them on every press cost more than running them
_POSTED = select(*POST_COLUMNS).where(
    daily_posts.c.channel == bindparam("channel"),
    daily_posts.c.local_date == bindparam("local_date"),
    daily_posts.c.message_id.is_not(None),
)
_COUNTS = select(_ACCURATE, _HARSH).where(*_THE_POST)
_VOTE_KEYS = ("channel", "local_date", "member")
_TOGGLE: dict[str, Insert] = {}


def _toggle(conn: Connection) -> Insert:
    statement = _TOGGLE.get(conn.dialect.name)
    if statement is None:
        names = (*_VOTE_KEYS, "workspace", "vote", "voted_at")
        values: dict[str, object] = {name: bindparam(name) for name in names}
        statement = _TOGGLE[conn.dialect.name] = toggle(
            conn, daily_votes, values, _VOTE_KEYS, "vote"
        )
    return statement


class VoteTables(SqlBase):
    """The votes half of the SQL store."""

    async def vote(
        self, place: Place, local_date: date, member: str, choice: str, now: datetime
    ) -> tuple[DailyPost, Votes] | None:
        """A member's press of `choice` on the channel's post: given, changed, or taken back.

        Presses on one post take its lock in turn (PostgreSQL: an advisory lock; SQLite: the
        write transaction), so the counts returned are those right after this press.
        """

        def press(conn: Connection) -> tuple[DailyPost, Votes] | None:
            post = {"channel": place.key, "local_date": local_date}
            row = conn.execute(_POSTED, post).first()
            if row is None:
                return None
            lock_bag(conn, place.key, f"{VOTES_LOCK}:{local_date}")
            vote = {"member": member, "workspace": place.workspace_key, "vote": choice}
            conn.execute(_toggle(conn), post | vote | {"voted_at": now})
            accurate, harsh = conn.execute(_COUNTS, post).one()
            return post_of(row), Votes(int(accurate), int(harsh))

        return await self._write(press)

    async def daily_history(
        self, place: Place, offset: int, limit: int
    ) -> tuple[int, list[PostVotes]]:
        """How many posts went out in the channel, and `limit` of them, newest first."""
        went_out = (daily_posts.c.channel == place.key, daily_posts.c.message_id.is_not(None))
        page = (
            select(*POST_COLUMNS, _ACCURATE, _HARSH)
            .select_from(daily_posts.outerjoin(daily_votes, _ON_POST))
            .where(*went_out)
            .group_by(*POST_COLUMNS)
            .order_by(daily_posts.c.local_date.desc())
            .offset(offset)
            .limit(limit)
        )

        def read(conn: Connection) -> tuple[int, list[PostVotes]]:
            total = conn.execute(select(func.count()).where(*went_out)).scalar_one()
            return int(total), [_post_votes(row) for row in conn.execute(page)]

        return await self._run(read, write=False)

    async def most_accurate(
        self, workspace: str, first: date, last: date, limit: int, channel: Place | None = None
    ) -> list[Tally]:
        """The roles (ids) with the most "accurate" votes on posts dated `first` to `last`."""
        where = [
            daily_votes.c.workspace == workspace,
            daily_votes.c.local_date >= first,
            daily_votes.c.local_date <= last,
        ]
        if channel is not None:
            where.append(daily_votes.c.channel == channel.key)
        accurate = _ACCURATE.label("accurate")
        rows = await self._read(
            select(daily_posts.c.role_id, accurate)
            .select_from(daily_votes.join(daily_posts, _ON_POST))
            .where(*where)
            .group_by(daily_posts.c.role_id)
            .having(_ACCURATE > 0)
            .order_by(accurate.desc(), _HARSH, daily_posts.c.role_id)
            .limit(limit)
        )
        return [Tally(str(role_id), int(count)) for role_id, count in rows]


def _post_votes(row: Sequence[Any]) -> PostVotes:
    width = len(POST_COLUMNS)
    return PostVotes(post_of(row[:width]), Votes(int(row[width]), int(row[width + 1])))
