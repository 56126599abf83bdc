"""`roastbot run slack` for installs in many workspaces, as a real process."""

from __future__ import annotations

from pathlib import Path

from tests.process import roastbot


def test_installs_without_a_secret_key_refuse_to_start_in_one_line(tmp_path: Path) -> None:
    """SLACK_CLIENT_ID mode with no ROASTBOT_SECRET_KEY: exit 1, one line naming the key."""
    (tmp_path / ".env").write_text(
        "SLACK_CLIENT_ID=1111.2222\nSLACK_CLIENT_SECRET=client-secret-1234\n"
        "SLACK_SIGNING_SECRET=8f742231b10e8888abcd99yyyzzz85a5\nSLACK_API_URL=http://127.0.0.1:9/\n"
    )
    result = roastbot("run", "slack", cwd=tmp_path)
    assert result.returncode == 1
    last = result.stderr.splitlines()[-1]
    assert last.startswith("roastbot: ROASTBOT_SECRET_KEY: not set; SLACK_CLIENT_ID mode stores")
    assert "Traceback" not in result.stderr and "client-secret-1234" not in result.stderr
