"""`roastbot db copy`: SQLite to PostgreSQL and back, everything kept, nothing overwritten."""

from __future__ import annotations

from pathlib import Path

from tests import pg_server
from tests.process import roastbot

SESSION = (
    "/burnward add SDET | It passed on the retry | qa lead\n"
    "/burnward add Scrum Master | standup ran 40 min again\n"
    "/burnward remove 2\n"
    "/roast SDET\n/roast SDET\n"
    "/specimen subscribe 09:00 Europe/Berlin\n"
)


def test_copy_to_postgresql_and_back_keeps_everything(
    tmp_path: Path, postgres: pg_server.PostgresServer
) -> None:
    """Quotes with history, bags, subscriptions and posts survive a round trip; counts match."""
    assert roastbot("chat", "--channel", "t", stdin=SESSION, cwd=tmp_path).returncode == 0
    assert roastbot("post-due", "--now", "2099-01-02T09:00:00+01:00", cwd=tmp_path).returncode == 0
    server = postgres.url(postgres.new_database())
    there = roastbot("db", "copy", str(tmp_path / "bot.sqlite3"), server, cwd=tmp_path)
    assert there.returncode == 0, there.stderr
    assert (
        "quotes 2, bag_draws " in there.stdout and "subscriptions 1, daily_posts 1" in there.stdout
    )
    assert pg_server.PASSWORD not in there.stdout
    back = roastbot("db", "copy", server, str(tmp_path / "back.sqlite3"), cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    original = roastbot("quotes", "export", cwd=tmp_path)
    returned = roastbot("quotes", "export", cwd=tmp_path, env={"ROASTBOT_DB": "back.sqlite3"})
    assert returned.stdout == original.stdout and "removed_by" in returned.stdout
    status = roastbot(
        "chat",
        "--channel",
        "t",
        stdin="/specimen status\n",
        cwd=tmp_path,
        env={"ROASTBOT_DB": server},
    )
    assert "09:00 Europe/Berlin" in status.stdout
    more = roastbot(
        "chat",
        stdin="/burnward add SDET | A third one\n",
        cwd=tmp_path,
        env={"ROASTBOT_DB": server},
    )
    assert "Added quote #3" in more.stdout  # the id sequence continues after the copied ids


def test_copy_refuses_a_destination_that_is_not_empty(tmp_path: Path) -> None:
    """Nothing is overwritten or merged: one line, exit 1."""
    assert roastbot("chat", stdin="/burnward add SDET | one\n", cwd=tmp_path).returncode == 0
    assert (
        roastbot(
            "chat",
            stdin="/burnward add SDET | two\n",
            cwd=tmp_path,
            env={"ROASTBOT_DB": "b.sqlite3"},
        ).returncode
        == 0
    )
    result = roastbot("db", "copy", "bot.sqlite3", "b.sqlite3", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "roastbot: the destination b.sqlite3 is not empty (quotes 1); copy into an empty one"
    )
    missing = roastbot("db", "copy", "nothing.sqlite3", "c.sqlite3", cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr == "roastbot: no database at nothing.sqlite3 (check SRC)\n"
    unsupported = roastbot("db", "copy", "bot.sqlite3", "mysql://x/db", cwd=tmp_path)
    assert unsupported.returncode == 1
    assert unsupported.stderr.startswith("roastbot: DEST: mysql:// is not supported;")
