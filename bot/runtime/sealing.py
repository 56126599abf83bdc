"""Tokens sealed at rest: Fernet (AES-128-CBC with HMAC-SHA256) under `ROASTBOT_SECRET_KEY`.

`cryptography`'s Fernet authenticates what it encrypts, so a row altered or sealed under
another key is refused (`SealError`), never read as a wrong token.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from bot.runtime.settings import KEY_COMMAND, Settings, SettingsError


class SealError(Exception):
    """A sealed value that this key cannot open: altered, or sealed under another key."""


class Sealer:
    """Seals and opens short secrets (bot tokens) with one Fernet key."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key)

    def seal(self, secret: str) -> str:
        """The secret encrypted and authenticated, as ASCII text to store."""
        return self._fernet.encrypt(secret.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str:
        """The secret back; `SealError` when this key did not seal it or it was altered."""
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise SealError("cannot open a sealed token with ROASTBOT_SECRET_KEY") from None


def sealer_for(settings: Settings, needed_by: str) -> Sealer:
    """The sealer of `ROASTBOT_SECRET_KEY`; `SettingsError` naming it when unset."""
    if settings.secret_key is None:
        raise SettingsError(
            f"ROASTBOT_SECRET_KEY: not set; {needed_by} stores tokens encrypted with it"
            f" (make one with {KEY_COMMAND})"
        )
    return Sealer(settings.secret_key.get_secret_value())
