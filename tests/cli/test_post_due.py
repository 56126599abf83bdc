"""`roastbot post-due`: cron hears of every post that did not go out, and --dry-run sends nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.store import Place, open_store
from tests.process import roastbot

SUBSCRIBED = datetime(2099, 1, 1, tzinfo=UTC)


def _subscribe(db: Path, *places: Place) -> None:
    async def write() -> None:
        store = await open_store(db)
        for place in places:
            await store.subscribe(place, post_time="09:00", zone="UTC", by="u", now=SUBSCRIBED)
        await store.close()

    asyncio.run(write())


def test_a_platform_that_is_not_connected_fails_the_pass_with_a_summary(tmp_path: Path) -> None:
    """A Discord subscription with no DISCORD_TOKEN: exit 1, and the console one still posts."""
    _subscribe(tmp_path / "bot.sqlite3", Place("discord", "1", "2"), Place("console", "w", "c"))
    result = roastbot("post-due", "--now", "2099-01-02T09:00:00+00:00", cwd=tmp_path)
    assert result.returncode == 1
    assert "discord:1:2 2099-01-02: platform not connected" in result.stdout
    assert "console:w:c 2099-01-02: posted" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "post-due: posted 1, failed 1, skipped 0 (already done)"
    )


def test_dry_run_plans_without_sending_or_recording(tmp_path: Path) -> None:
    """--dry-run says what would go out; the real pass after it still posts."""
    _subscribe(tmp_path / "bot.sqlite3", Place("console", "w", "c"))
    dry = roastbot("post-due", "--dry-run", "--now", "2099-01-02T09:30:00+00:00", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "console:w:c 2099-01-02: would post (the channel's next specimen)" in dry.stdout
    assert "SPECIMEN OF THE DAY" not in dry.stdout
    assert dry.stdout.splitlines()[-1] == (
        "post-due: would post 1, failed 0, skipped 0 (already done)"
    )
    real = roastbot("post-due", "--now", "2099-01-02T09:30:00+00:00", cwd=tmp_path)
    assert real.returncode == 0 and "console:w:c 2099-01-02: posted" in real.stdout
    again = roastbot("post-due", "--dry-run", "--now", "2099-01-02T10:00:00+00:00", cwd=tmp_path)
    assert "post-due: would post 0, failed 0, skipped 1 (already done)" in again.stdout
