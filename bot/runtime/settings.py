"""Settings from the environment and a `.env` file, checked once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticUseDefault
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from rapidfuzz import process

MIN_SECRET = 8
KEY_COMMAND = (
    "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)
PUBLIC_KEY_HEX = 64


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


class Settings(BaseSettings):
    """Every knob the bot reads, named exactly as in the environment."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    discord_token: SecretStr | None = Field(None, validation_alias="DISCORD_TOKEN")
    discord_api_url: str = Field("https://discord.com/api/v10", validation_alias="DISCORD_API_URL")
    discord_dev_guild: int | None = Field(None, validation_alias="DISCORD_DEV_GUILD")
    slack_bot_token: SecretStr | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_admins: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(), validation_alias="ROASTBOT_SLACK_ADMINS"
    )
    slack_api_url: str = Field("https://slack.com/api/", validation_alias="SLACK_API_URL")
    db: str = Field("roastbot.sqlite3", validation_alias="ROASTBOT_DB")
    dossiers: Path | None = Field(None, validation_alias="ROASTBOT_DOSSIERS")
    tz: str = Field("UTC", validation_alias="ROASTBOT_TZ")
    http_host: str = Field("127.0.0.1", min_length=1, validation_alias="ROASTBOT_HTTP_HOST")
    http_port: int = Field(3000, ge=1, le=65535, validation_alias="ROASTBOT_HTTP_PORT")
    log_format: Literal["text", "json"] = Field("text", validation_alias="ROASTBOT_LOG_FORMAT")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        "INFO", validation_alias="ROASTBOT_LOG_LEVEL"
    )
    metrics_port: int | None = Field(None, ge=1, le=65535, validation_alias="ROASTBOT_METRICS_PORT")
    metrics_host: str = Field("127.0.0.1", min_length=1, validation_alias="ROASTBOT_METRICS_HOST")
    web: bool = Field(False, validation_alias="ROASTBOT_WEB")
    public_url: str | None = Field(None, validation_alias="ROASTBOT_PUBLIC_URL")
    discord_public_key: str | None = Field(None, validation_alias="DISCORD_PUBLIC_KEY")
    discord_shard_count: int | None = Field(None, ge=1, validation_alias="DISCORD_SHARD_COUNT")
    discord_shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = Field(
        None, validation_alias="DISCORD_SHARD_IDS"
    )
    slack_client_id: str | None = Field(None, validation_alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(None, validation_alias="SLACK_CLIENT_SECRET")
    secret_key: SecretStr | None = Field(None, validation_alias="ROASTBOT_SECRET_KEY")

    @field_validator("slack_admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(
                part.strip() for part in value.replace(";", ",").split(",") if part.strip()
            )
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return (value.strip().lower() or "text") if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return (value.strip().upper() or "INFO") if isinstance(value, str) else value

    @field_validator(
        "metrics_port",
        "discord_dev_guild",
        "http_port",
        "http_host",
        "tz",
        "db",
        "discord_public_key",
        "discord_shard_count",
        "discord_shard_ids",
        "slack_client_id",
        mode="before",
    )
    @classmethod
    def _blank_is_default(cls, value: object) -> object:
        """`NAME=` in a `.env` file means "not set", as it does for the tokens."""
        if isinstance(value, str) and not value.strip():
            raise PydanticUseDefault()
        return value

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
            if value.strip().casefold() in ("localtime", "factory"):  # a host setting, no place
                raise ValueError(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r}, e.g. Europe/Berlin") from None
        return value

    @field_validator("web", mode="before")
    @classmethod
    def _on_off(cls, value: object) -> object:
        """`on`/`off` (and yes/no, true/false, 1/0, blank for off), in any case."""
        if not isinstance(value, str):
            return value
        word = value.strip().lower()
        if word in {"on", "yes", "true", "1"}:
            return True
        if word in {"off", "no", "false", "0", ""}:
            return False
        raise ValueError(f"must be on or off, got {value!r}")

    @field_validator("public_url", mode="before")
    @classmethod
    def _base_url(cls, value: object) -> object:
        """An absolute http(s) base URL without a trailing slash; blank means not set."""
        if not isinstance(value, str):
            return value
        url = value.strip().rstrip("/")
        if not url:
            return None
        parts = urlsplit(url)
        if (
            parts.scheme not in {"http", "https"}
            or not parts.hostname
            or parts.query
            or parts.fragment
        ):
            raise ValueError(f"must be an absolute http:// or https:// URL, got {value!r}")
        return url

    @field_validator("discord_public_key")
    @classmethod
    def _public_key(cls, value: str | None) -> str | None:
        if value is None:
            return None
        key = value.strip().lower()
        if len(key) != PUBLIC_KEY_HEX or any(c not in "0123456789abcdef" for c in key):
            raise ValueError(
                "must be the application's public key from the Developer Portal"
                f" ({PUBLIC_KEY_HEX} hexadecimal characters)"
            )
        return key

    @field_validator("discord_shard_ids", mode="before")
    @classmethod
    def _shard_list(cls, value: object) -> object:
        """`0-3` or `4,5,6,7` (or both, `0-1,6`) as the shard numbers, in order."""
        if not isinstance(value, str) or not value.strip():
            return value  # blank: unset, as `_blank_is_default` says
        ids: list[int] = []
        for part in value.split(","):
            first, dash, last = part.strip().partition("-")
            if not first.strip().isdigit() or (dash and not last.strip().isdigit()):
                raise ValueError("must be shard numbers like 0-3 or 4,5,6,7")
            low, high = int(first), int(last) if dash else int(first)
            if high < low:
                raise ValueError(f"the range {part.strip()} runs backwards")
            ids.extend(range(low, high + 1))
        return tuple(sorted(set(ids)))

    @field_validator("discord_shard_ids")
    @classmethod
    def _shards_in_count(
        cls, value: tuple[int, ...] | None, info: ValidationInfo
    ) -> tuple[int, ...] | None:
        if value is None:
            return None
        count = info.data.get("discord_shard_count")
        if count is None:
            raise ValueError("needs DISCORD_SHARD_COUNT, the total number of shards, set too")
        if not value or value[-1] >= count:
            raise ValueError(f"shard numbers run from 0 to {count - 1} (DISCORD_SHARD_COUNT)")
        return value

    @field_validator("discord_api_url", "slack_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https://, got {value!r}")
        return value

    @field_validator(
        "discord_token",
        "slack_bot_token",
        "slack_app_token",
        "slack_signing_secret",
        "slack_client_secret",
        "secret_key",
    )
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        """Blank means unset; a value shorter than `MIN_SECRET` is refused: no real token is,
        and log redaction would blank it out of every line it occurs in (`s`: every "s")."""
        if value is None or not value.get_secret_value().strip():
            return None
        if len(value.get_secret_value().strip()) < MIN_SECRET:
            raise ValueError(f"shorter than {MIN_SECRET} characters, so not a real token or secret")
        return value

    @field_validator("secret_key")
    @classmethod
    def _fernet_key(cls, value: SecretStr | None) -> SecretStr | None:
        """A Fernet key: 32 random bytes in URL-safe base64 (44 characters)."""
        if value is None:
            return None
        from cryptography.fernet import Fernet  # only when a key is set

        try:
            Fernet(value.get_secret_value().strip())
        except ValueError:
            raise ValueError(f"must be a Fernet key; make one with {KEY_COMMAND}") from None
        return SecretStr(value.get_secret_value().strip())

    @property
    def slack_multi_workspace(self) -> bool:
        """Whether Slack serves many workspaces through OAuth installs: SLACK_CLIENT_ID and
        SLACK_CLIENT_SECRET set, SLACK_BOT_TOKEN not."""
        return (
            self.slack_client_id is not None
            and self.slack_client_secret is not None
            and self.slack_bot_token is None
        )

    def secrets(self) -> list[str]:
        """Every token and signing secret that is set, as given and trimmed, for log redaction."""
        values = (
            self.discord_token,
            self.slack_bot_token,
            self.slack_app_token,
            self.slack_signing_secret,
            self.slack_client_secret,
            self.secret_key,
        )
        given = [value.get_secret_value() for value in values if value is not None]
        return list(dict.fromkeys([*given, *(value.strip() for value in given)]))


ENV_NAMES = {name: str(field.validation_alias) for name, field in Settings.model_fields.items()}
OUR_PREFIXES = ("DISCORD_", "SLACK_", "ROASTBOT_")
# the settings that let `roastbot run` serve a platform, in the order they are looked for
PLATFORM_SETTINGS = (
    "DISCORD_TOKEN",
    "SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for installs)",
)


def unknown_settings(
    env_file: Path | str | None = ".env", environ: Mapping[str, str] | None = None
) -> list[str]:
    """One warning line per `DISCORD_*`/`SLACK_*`/`ROASTBOT_*` name roastbot does not read.

    Looks in the environment and the `.env` file; a near miss gets a "did you mean".
    """
    names = set(os.environ if environ is None else environ)
    if env_file is not None and Path(env_file).is_file():
        names |= set(dotenv_values(env_file))
    known = set(ENV_NAMES.values())
    warnings = []
    for name in sorted(n for n in names if n.upper().startswith(OUR_PREFIXES)):
        if name in known:
            continue
        near = process.extractOne(name.upper(), known, score_cutoff=80)
        hint = f"; did you mean {near[0]}?" if near else ""
        warnings.append(f"{name}: not a roastbot setting, ignored{hint}")
    return warnings


def load_settings(env_file: Path | str | None = ".env") -> Settings:
    """Read settings, or raise `SettingsError` with one line naming the bad setting."""
    try:
        return Settings(_env_file=env_file)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "settings"
        name = ENV_NAMES.get(field, field.upper())
        given = error.get("input")
        secret = "TOKEN" in name or "SECRET" in name  # named, never shown
        shown = "" if secret or isinstance(given, dict) else f" (got {given!r})"
        message = error["msg"].removeprefix("Value error, ")
        raise SettingsError(f"{name}: {message}{shown}") from None
