"""slack-sdk's installation and OAuth-state stores over the project's own `Store`.

Bolt's OAuth flow saves each workspace's installation through `StoreInstallations` (bot
tokens sealed with `ROASTBOT_SECRET_KEY` before they reach the store) and finds it again to
authorize every request; `StoreStates` issues the one-time `state` of each install, used up
by the redirect and expiring after `STATE_SECONDS`. Only the bot's installation is kept, one
per workspace (the app asks for no user scopes, so no user token is ever stored).
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import UTC, datetime, timedelta

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.contexts import ContextSource
from bot.runtime.sealing import Sealer, SealError
from bot.runtime.settings import Settings
from bot.store import SlackInstall

log = logging.getLogger(__name__)

STATE_SECONDS = 600
STATE_BYTES = 32
STATE_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(STATE_BYTES)
ROTATION_MINUTES = 120  # Bolt's default: refresh a token that expires within two hours


class StoreInstallations(AsyncInstallationStore):
    """`AsyncInstallationStore` keeping one installation per workspace in the `Store`."""

    def __init__(self, contexts: ContextSource, sealer: Sealer) -> None:
        self._contexts = contexts
        self._sealer = sealer

    @property
    def logger(self) -> logging.Logger:
        """Where slack-sdk's callers log about this store."""
        return log

    async def async_save(self, installation: Installation) -> None:
        """Keep the installation (a reinstall replaces the workspace's last one)."""
        if installation.bot_token is None:
            raise BoltError("the install gave no bot token; the app must ask for bot scopes")
        context = await self._contexts.get()
        await context.store.save_slack_install(
            SlackInstall(
                enterprise_id=installation.enterprise_id or "",
                team_id="" if installation.is_enterprise_install else installation.team_id or "",
                bot_token=self._sealer.seal(installation.bot_token),
                installed_at=context.clock(),
                is_enterprise_install=bool(installation.is_enterprise_install),
                app_id=installation.app_id,
                enterprise_name=installation.enterprise_name,
                enterprise_url=installation.enterprise_url,
                team_name=installation.team_name,
                bot_id=installation.bot_id,
                bot_user_id=installation.bot_user_id,
                bot_scopes=",".join(installation.bot_scopes or []),
                bot_refresh_token=self._seal(installation.bot_refresh_token),
                bot_token_expires_at=_moment(installation.bot_token_expires_at),
                installer_user_id=installation.user_id,
            )
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The workspace's installation; None for a `user_id`: no user's own is kept.

        Bolt asks for the caller's own installation (for a user token) when the caller is
        not the installer; answering at once spares every such request a second look.
        """
        if user_id is not None:
            return None
        found = await self._find(enterprise_id, team_id, is_enterprise_install)
        if found is None:
            return None
        install, token, refresh = found
        return Installation(
            app_id=install.app_id,
            enterprise_id=install.enterprise_id or None,
            enterprise_name=install.enterprise_name,
            enterprise_url=install.enterprise_url,
            team_id=install.team_id or None,
            team_name=install.team_name,
            bot_token=token,
            bot_id=install.bot_id,
            bot_user_id=install.bot_user_id,
            bot_scopes=install.bot_scopes or "",
            bot_refresh_token=refresh,
            bot_token_expires_at=_epoch(install.bot_token_expires_at),
            user_id=install.installer_user_id or "",
            is_enterprise_install=install.is_enterprise_install,
            installed_at=install.installed_at.timestamp(),
        )

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        """The workspace's bot: its installation's token, scopes and ids."""
        installation = await self.async_find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if installation is None else installation.to_bot()

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget the workspace's bot token (its whole installation: nothing else is kept)."""
        store = (await self._contexts.get()).store
        await store.delete_slack_install(enterprise_id or "", team_id or "")

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """Forget the workspace's installation; a user's alone holds nothing here to forget."""
        if user_id is None:
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def _find(
        self, enterprise_id: str | None, team_id: str | None, enterprise_wide: bool | None
    ) -> tuple[SlackInstall, str, str | None] | None:
        """The stored install with its tokens opened, or None (a token that cannot be opened
        is logged: ROASTBOT_SECRET_KEY changed since the install, which must be redone)."""
        store = (await self._contexts.get()).store
        install = await store.slack_install(
            enterprise_id or "", team_id or "", enterprise_wide=bool(enterprise_wide)
        )
        if install is None:
            return None
        try:
            token = self._sealer.open(install.bot_token)
            refresh = self._open(install.bot_refresh_token)
        except SealError as exc:
            log.error("slack: the install of %s is unusable: %s", team_id or enterprise_id, exc)
            return None
        return install, token, refresh

    def _seal(self, secret: str | None) -> str | None:
        return None if secret is None else self._sealer.seal(secret)

    def _open(self, sealed: str | None) -> str | None:
        return None if sealed is None else self._sealer.open(sealed)


class StoreStates(AsyncOAuthStateStore):
    """`AsyncOAuthStateStore` in the `Store`: each state is random, used once, and expires."""

    def __init__(self, contexts: ContextSource, seconds: int = STATE_SECONDS) -> None:
        self._contexts = contexts
        self._lifetime = timedelta(seconds=seconds)

    @property
    def logger(self) -> logging.Logger:
        """Where slack-sdk's callers log about this store."""
        return log

    async def async_issue(self, *args: object, **kwargs: object) -> str:
        """A new state for one install, valid for `STATE_SECONDS`."""
        context = await self._contexts.get()
        state = secrets.token_urlsafe(STATE_BYTES)
        now = context.clock()
        await context.store.issue_oauth_state(state, now + self._lifetime, now)
        return state

    async def async_consume(self, state: str) -> bool:
        """True once for a state issued here and not expired; False for any other.

        A state not shaped like ours (a stranger's junk) is refused without a database look.
        """
        if not STATE_SHAPE.fullmatch(state):
            return False
        context = await self._contexts.get()
        return await context.store.consume_oauth_state(state, context.clock())


class InstalledTokens:
    """Each workspace's bot token for the daily posts, refreshed first when it is expiring.

    The same rotation Bolt's `authorize` does for requests (`AsyncTokenRotator`, an
    `oauth.v2.access` with `grant_type=refresh_token`), saving the new tokens at once.
    """

    def __init__(
        self,
        installations: StoreInstallations,
        rotator: AsyncTokenRotator,
        minutes: int = ROTATION_MINUTES,
    ) -> None:
        self._installations = installations
        self._rotator = rotator
        self._minutes = minutes

    async def bot_token(self, team_id: str) -> str | None:
        """The workspace's bot token, None when it has no installation.

        A refusal of the refresh raises Slack's `SlackApiError` (e.g. `invalid_refresh_token`).
        """
        installation = await self._installations.async_find_installation(
            enterprise_id=None, team_id=team_id
        )
        if installation is None:
            return None
        if installation.bot_refresh_token is not None:
            try:
                refreshed = await self._rotator.perform_token_rotation(
                    installation=installation, minutes_before_expiration=self._minutes
                )
            except SlackTokenRotationError as exc:
                raise exc.api_error from None
            if refreshed is not None:
                await self._installations.async_save(refreshed)
                installation = refreshed
        return installation.bot_token


def installed_tokens(
    settings: Settings, installations: StoreInstallations, client: AsyncWebClient
) -> InstalledTokens:
    """The tokens of every installed workspace, refreshed through `client` (`SLACK_API_URL`)."""
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None
    rotator = AsyncTokenRotator(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        client=client,
    )
    return InstalledTokens(installations, rotator)


def _moment(epoch: int | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def _epoch(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())
