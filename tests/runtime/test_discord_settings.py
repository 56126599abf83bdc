"""DISCORD_PUBLIC_KEY, DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS: parsed, or one line naming them."""

from __future__ import annotations

import pytest

from bot.runtime.settings import SettingsError, load_settings

KEY = "ab" * 32


@pytest.mark.parametrize(
    ("env", "count", "ids"),
    [
        ({}, None, None),
        ({"DISCORD_SHARD_COUNT": "8"}, 8, None),
        ({"DISCORD_SHARD_COUNT": "8", "DISCORD_SHARD_IDS": "0-3"}, 8, (0, 1, 2, 3)),
        ({"DISCORD_SHARD_COUNT": "8", "DISCORD_SHARD_IDS": "4,5,6,7"}, 8, (4, 5, 6, 7)),
        ({"DISCORD_SHARD_COUNT": "8", "DISCORD_SHARD_IDS": " 6, 0-1 ,1"}, 8, (0, 1, 6)),
        ({"DISCORD_SHARD_COUNT": " ", "DISCORD_SHARD_IDS": ""}, None, None),
    ],
)
def test_shard_settings_are_read(
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    count: int | None,
    ids: tuple[int, ...] | None,
) -> None:
    """Ranges and lists (or both) become the sorted shard numbers; blank means unset."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(None)
    assert (settings.discord_shard_count, settings.discord_shard_ids) == (count, ids)


@pytest.mark.parametrize(
    ("env", "line"),
    [
        ({"DISCORD_SHARD_COUNT": "many"}, "DISCORD_SHARD_COUNT: "),
        ({"DISCORD_SHARD_COUNT": "0"}, "DISCORD_SHARD_COUNT: "),
        (
            {"DISCORD_SHARD_COUNT": "8", "DISCORD_SHARD_IDS": "0..3"},
            "DISCORD_SHARD_IDS: must be shard numbers like 0-3 or 4,5,6,7 (got '0..3')",
        ),
        (
            {"DISCORD_SHARD_COUNT": "8", "DISCORD_SHARD_IDS": "3-1"},
            "DISCORD_SHARD_IDS: the range 3-1 runs backwards",
        ),
        (
            {"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "2-5"},
            "DISCORD_SHARD_IDS: shard numbers run from 0 to 3 (DISCORD_SHARD_COUNT)",
        ),
        (
            {"DISCORD_SHARD_IDS": "0-3"},
            "DISCORD_SHARD_IDS: needs DISCORD_SHARD_COUNT, the total number of shards, set too",
        ),
        (
            {"DISCORD_PUBLIC_KEY": "not-a-key"},
            "DISCORD_PUBLIC_KEY: must be the application's public key from the Developer Portal",
        ),
        ({"DISCORD_PUBLIC_KEY": KEY + "00"}, "DISCORD_PUBLIC_KEY: must be"),
    ],
)
def test_malformed_discord_settings_are_one_line_naming_them(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], line: str
) -> None:
    """A malformed shard setting or public key: one line that starts with its name."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings(None)
    assert str(caught.value).startswith(line)
    assert "\n" not in str(caught.value)


def test_the_public_key_is_read_as_lowercase_hex(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key as copied from the Developer Portal, in either case, around spaces."""
    monkeypatch.setenv("DISCORD_PUBLIC_KEY", f" {KEY.upper()} ")
    assert load_settings(None).discord_public_key == KEY
