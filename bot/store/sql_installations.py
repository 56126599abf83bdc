"""Slack installations (sealed tokens, one row per workspace) and one-time OAuth states."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from bot.store.base import SlackInstall
from bot.store.dialect import upsert
from bot.store.schema import slack_installations, slack_oauth_states, subscriptions
from bot.store.sql_base import SqlBase

SLACK = "slack"
_KEYS = ("enterprise_id", "team_id")
_COLUMNS = tuple(slack_installations.c[name] for name in SlackInstall.__dataclass_fields__)


class InstallationTables(SqlBase):
    """The Slack-installation half of the SQL store."""

    async def save_slack_install(self, install: SlackInstall) -> None:
        """Keep the workspace's installation, replacing the one it had."""
        values = asdict(install) | {"is_enterprise_install": int(install.is_enterprise_install)}
        others = [name for name in values if name not in _KEYS]
        await self._write(
            lambda conn: conn.execute(
                upsert(conn, slack_installations, values, keys=_KEYS, update=others)
            )
        )

    async def slack_install(
        self, enterprise_id: str, team_id: str, *, enterprise_wide: bool = False
    ) -> SlackInstall | None:
        """The installation serving a workspace (by `team_id`), or an org's (`enterprise_wide`).

        A team id names one workspace wherever it sits, so a workspace is found by it alone.
        """
        where = (
            (slack_installations.c.enterprise_id == enterprise_id)
            & (slack_installations.c.team_id == "")
            if enterprise_wide
            else slack_installations.c.team_id == team_id
        )
        rows = await self._read(select(*_COLUMNS).where(where).limit(1))
        return _install(rows[0]) if rows else None

    async def delete_slack_install(self, enterprise_id: str, team_id: str) -> bool:
        """Forget a workspace's installation and its tokens; False if it had none."""
        statement = delete(slack_installations).where(
            slack_installations.c.enterprise_id == enterprise_id,
            slack_installations.c.team_id == team_id,
        )
        return await self._write(lambda conn: conn.execute(statement).rowcount > 0)

    async def uninstall_slack(self, team_id: str, reason: str, now: datetime) -> int:
        """In one transaction, forget the workspace's tokens and pause its live subscriptions
        with `reason`, keeping its quotes; return how many subscriptions were paused."""

        def write(conn: Connection) -> int:
            conn.execute(
                delete(slack_installations).where(slack_installations.c.team_id == team_id)
            )
            paused = conn.execute(
                update(subscriptions)
                .where(
                    subscriptions.c.platform == SLACK,
                    subscriptions.c.workspace_id == team_id,
                    subscriptions.c.paused_reason.is_(None),
                )
                .values(paused_reason=reason, paused_at=now, next_post_at=None)
            )
            return int(paused.rowcount)

        return await self._write(write)

    async def issue_oauth_state(self, state: str, expires_at: datetime, now: datetime) -> None:
        """Remember a one-time OAuth `state` until `expires_at`, dropping states expired by now."""

        def write(conn: Connection) -> None:
            conn.execute(delete(slack_oauth_states).where(slack_oauth_states.c.expires_at <= now))
            conn.execute(insert(slack_oauth_states).values(state=state, expires_at=expires_at))

        await self._write(write)

    async def consume_oauth_state(self, state: str, now: datetime) -> bool:
        """Use up a state: True once if it was issued and has not expired, False ever after."""

        def write(conn: Connection) -> bool:
            used = conn.execute(
                delete(slack_oauth_states)
                .where(slack_oauth_states.c.state == state)
                .returning(slack_oauth_states.c.expires_at)
            ).all()
            return bool(used) and used[0][0] > now

        return await self._write(write)


def _install(row: Sequence[Any]) -> SlackInstall:
    values = dict(zip(SlackInstall.__dataclass_fields__, row, strict=True))
    return SlackInstall(**values | {"is_enterprise_install": bool(values["is_enterprise_install"])})
