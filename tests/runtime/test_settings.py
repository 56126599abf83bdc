"""Settings: blank values mean unset, malformed ones name themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runtime.settings import SettingsError, load_settings, unknown_settings


def test_blank_values_fall_back_to_their_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """`NAME=` leaves the setting at its default instead of failing to parse."""
    for name in (
        "DISCORD_DEV_GUILD",
        "ROASTBOT_HTTP_PORT",
        "ROASTBOT_TZ",
        "ROASTBOT_METRICS_PORT",
        "DISCORD_TOKEN",
    ):
        monkeypatch.setenv(name, " ")
    settings = load_settings(None)
    assert (settings.discord_dev_guild, settings.http_port, settings.tz) == (None, 3000, "UTC")
    assert settings.metrics_port is None and settings.discord_token is None


def test_a_malformed_setting_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The line starts with the variable's name and nothing follows it."""
    monkeypatch.setenv("DISCORD_DEV_GUILD", "not-a-number")
    with pytest.raises(SettingsError, match=r"^DISCORD_DEV_GUILD: ") as caught:
        load_settings(None)
    assert "\n" not in str(caught.value)


def test_unknown_names_of_ours_are_warned_with_a_near_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A typo in the environment or .env gets a 'did you mean'; other programs' names pass."""
    env_file = tmp_path / ".env"
    env_file.write_text("DISCORD_TOKN=abc\nROASTBOT_COLOUR=red\nPATH=/bin\n")
    warnings = unknown_settings(env_file, {"SLACK_BOT_TOKNE": "x", "HOME": "/root"})
    assert warnings == [
        "DISCORD_TOKN: not a roastbot setting, ignored; did you mean DISCORD_TOKEN?",
        "ROASTBOT_COLOUR: not a roastbot setting, ignored",
        "SLACK_BOT_TOKNE: not a roastbot setting, ignored; did you mean SLACK_BOT_TOKEN?",
    ]
    assert unknown_settings(None, {"DISCORD_TOKEN": "x", "ROASTBOT_DB": "y"}) == []


@pytest.mark.parametrize(
    "name", ["DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"]
)
def test_a_secret_too_short_to_be_real_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """`SLACK_SIGNING_SECRET=s` would have log redaction blank every "s": one line naming it."""
    monkeypatch.setenv(name, " s ")
    with pytest.raises(SettingsError) as caught:
        load_settings(None)
    assert str(caught.value) == f"{name}: shorter than 8 characters, so not a real token or secret"


@pytest.mark.parametrize(
    ("web", "public", "expected"),
    [
        ("on", "https://roast.example/", (True, "https://roast.example")),
        ("OFF", " ", (False, None)),
        ("", "http://127.0.0.1:3000/bot", (False, "http://127.0.0.1:3000/bot")),
    ],
)
def test_web_settings_read_on_off_and_a_base_url(
    monkeypatch: pytest.MonkeyPatch, web: str, public: str, expected: tuple[bool, str | None]
) -> None:
    """ROASTBOT_WEB is on or off; ROASTBOT_PUBLIC_URL loses its trailing slash, blank is unset."""
    monkeypatch.setenv("ROASTBOT_WEB", web)
    monkeypatch.setenv("ROASTBOT_PUBLIC_URL", public)
    settings = load_settings(None)
    assert (settings.web, settings.public_url) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ROASTBOT_WEB", "maybe"),
        ("ROASTBOT_PUBLIC_URL", "roast.example"),
        ("ROASTBOT_PUBLIC_URL", "javascript:alert(1)"),
        ("ROASTBOT_PUBLIC_URL", "https://roast.example/?q=1"),
    ],
)
def test_bad_web_settings_are_one_line_naming_them(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    """Neither a word other than on/off nor a relative or odd URL gets past start-up."""
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=rf"^{name}: ") as caught:
        load_settings(None)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("value", ["not-a-fernet-key", "x" * 44, "c2hvcnQ="])
def test_a_secret_key_that_is_not_a_fernet_key_is_one_line_without_it(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """ROASTBOT_SECRET_KEY must be a Fernet key; the line names it and says how to make one."""
    monkeypatch.setenv("ROASTBOT_SECRET_KEY", value)
    with pytest.raises(SettingsError) as caught:
        load_settings(None)
    message = str(caught.value)
    assert message.startswith("ROASTBOT_SECRET_KEY: must be a Fernet key; make one with python -c")
    assert value not in message and "\n" not in message


def test_many_workspaces_mode_and_its_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Client id and secret without a bot token mean many workspaces; the secrets are redacted."""
    key = "ZmRzYWZkc2FmZHNhZmRzYWZkc2FmZHNhZmRzYWZkc2E="
    monkeypatch.setenv("SLACK_CLIENT_ID", "1111.2222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "client-secret-1234")
    monkeypatch.setenv("ROASTBOT_SECRET_KEY", f" {key} ")
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    settings = load_settings(None)
    assert settings.slack_multi_workspace is True
    assert {"client-secret-1234", key} <= set(settings.secrets())
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-one-workspace")
    assert load_settings(None).slack_multi_workspace is False


@pytest.mark.parametrize("value", ["localtime", "Factory"])
def test_a_default_zone_that_names_no_place_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """ROASTBOT_TZ=localtime (whatever the host says) or Factory is refused at start-up."""
    monkeypatch.setenv("ROASTBOT_TZ", value)
    with pytest.raises(SettingsError, match=r"^ROASTBOT_TZ: .*unknown IANA time zone"):
        load_settings(None)
