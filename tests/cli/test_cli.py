"""The `roastbot` command line, run as a real process against real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.catalog.loader import BUNDLED_DIR
from tests.process import bot_env, roastbot

GUARDIAN = BUNDLED_DIR / "senior-ai-human-in-the-loop-integration-specialist.yaml"


def test_piped_chat_shows_each_quote_of_the_dossier_exactly_once(tmp_path: Path) -> None:
    """Three roasts of a three-quote dossier in one channel show all three quotes."""
    result = roastbot(
        "chat", "--channel", "t", stdin="/roast Algorithmic Guardian\n" * 3, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    flat = " ".join(result.stdout.replace("│", " ").split())
    quotes = [q["quote"] for q in yaml.safe_load(GUARDIAN.read_text())["burn_ward"]]
    openings = [" ".join(q.split()[:6]) for q in quotes]
    assert [flat.count(opening) for opening in openings] == [1, 1, 1]


def test_chat_buttons_are_pressed_by_number_and_members_cannot_add(tmp_path: Path) -> None:
    """Typing a button's number roasts the related specimen; --no-admin is refused."""
    lines = "/roast Algorithmic Guardian\n2\n/burnward add SDET | nope\nhello\n/quit\n/roast SDET\n"
    result = roastbot("chat", "--no-admin", stdin=lines, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Enterprise Architect" in result.stdout.split("Preside over")[0]
    assert "Only admins" in result.stdout
    assert "Commands start with /" in result.stdout
    assert "Rube Goldberg" not in result.stdout  # /quit stopped before /roast SDET


def test_roast_prints_a_card_and_unknown_roles_exit_1_with_suggestions(tmp_path: Path) -> None:
    """`roastbot roast` prints the card; a typo exits 1 with suggestions on stderr."""
    ok = roastbot("roast", "Enterprise Architect", "--section", "metrics", cwd=tmp_path)
    assert ok.returncode == 0 and "The bullshit metrics" in ok.stdout
    bad = roastbot("roast", "Enterprse Architct", cwd=tmp_path)
    assert bad.returncode == 1
    assert "Did you mean: Enterprise Architect" in bad.stderr


def test_an_unknown_role_pasted_as_a_page_is_echoed_cut_on_one_line(tmp_path: Path) -> None:
    """A 20,000-character role name gets one line, the name cut to 80 characters."""
    result = roastbot("roast", "x" * 20_000, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"roastbot: no specimen called '{'x' * 80}'.\n"


def test_a_reader_that_left_the_pipe_ends_the_command_quietly(tmp_path: Path) -> None:
    """`roastbot roast X --format slack | head -0`: exit 0 and no error, like other tools."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "roast", "SDET", "--format", "slack"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=bot_env(tmp_path, {"ROASTBOT_LOG_LEVEL": "WARNING"}),
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (0, "")


def test_validate_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    """Broken dossiers: each problem as path:line: message, exit 1; the bundled set is valid."""
    assert roastbot("validate", cwd=tmp_path).returncode == 0
    (tmp_path / "a.yaml").write_text("title: [\n")
    (tmp_path / "b.yaml").write_text("title: B\n")
    result = roastbot("validate", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{tmp_path / 'a.yaml'}:2: malformed YAML" in result.stderr
    assert f"{tmp_path / 'b.yaml'}:1: aliases: Field required" in result.stderr


def test_validate_alone_checks_the_folder_the_bot_loads(tmp_path: Path) -> None:
    """With ROASTBOT_DOSSIERS set, bare `roastbot validate` checks that folder, not the bundled."""
    (tmp_path / "a.yaml").write_text("title: [\n")
    result = roastbot("validate", cwd=tmp_path, env={"ROASTBOT_DOSSIERS": str(tmp_path)})
    assert result.returncode == 1
    assert f"{tmp_path / 'a.yaml'}:2: malformed YAML" in result.stderr
    a_file = roastbot("validate", str(tmp_path / "a.yaml"), cwd=tmp_path)
    assert a_file.returncode == 1
    assert f"{tmp_path / 'a.yaml'}:0: not a folder" in a_file.stderr


def test_run_refuses_an_invalid_catalog_with_the_same_list(tmp_path: Path) -> None:
    """`roastbot run` does not start on an invalid catalog."""
    (tmp_path / "a.yaml").write_text("title: [\n")
    result = roastbot("run", "console", cwd=tmp_path, env={"ROASTBOT_DOSSIERS": str(tmp_path)})
    assert result.returncode == 1
    assert "catalog is invalid" in result.stderr and "a.yaml:2: malformed YAML" in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ROASTBOT_HTTP_PORT": "abc"}, "ROASTBOT_HTTP_PORT: Input should be a valid integer"),
        ({"ROASTBOT_HTTP_PORT": "70000"}, "ROASTBOT_HTTP_PORT: Input should be less than"),
        ({"ROASTBOT_TZ": "Mars/Olympus"}, "ROASTBOT_TZ: unknown IANA time zone 'Mars/Olympus'"),
        ({"DISCORD_API_URL": "ftp://x"}, "DISCORD_API_URL: must start with http"),
        ({"ROASTBOT_DB": "/proc/nope/x.sqlite3"}, "cannot open the database /proc/nope/x.sqlite3"),
    ],
)
def test_bad_settings_are_one_line_naming_them(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    """A malformed setting or an unwritable database is one line on stderr, exit 1."""
    result = roastbot("chat", stdin="", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("roastbot: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_settings_are_read_from_a_dotenv_file(tmp_path: Path) -> None:
    """A `.env` file in the working directory is honoured."""
    (tmp_path / ".env").write_text("ROASTBOT_TZ=Not/AZone\n")
    result = roastbot("chat", stdin="", cwd=tmp_path)
    assert "ROASTBOT_TZ: unknown IANA time zone" in result.stderr


def test_a_platform_without_its_token_is_named(tmp_path: Path) -> None:
    """`roastbot run discord` with no DISCORD_TOKEN says so in one line."""
    result = roastbot("run", "discord", cwd=tmp_path)
    assert result.returncode == 1 and "DISCORD_TOKEN: not set" in result.stderr


def test_chat_export_writes_the_cli_export_beside_never_over_a_file(tmp_path: Path) -> None:
    """`/burnward export` writes the file to the working directory; a second one gets -1."""
    lines = (
        "/burnward add SDET | Flaky by design\n/burnward export\n"
        "/burnward add SDET | Retries are a strategy\n/burnward export\n/burnward export json\n"
    )
    result = roastbot("chat", stdin=lines, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    first, second = sorted(
        tmp_path.glob("burnward-console-local-*.yaml"), key=lambda p: len(p.name)
    )
    assert second.name == first.name.removesuffix(".yaml") + "-1.yaml"
    (as_json,) = tmp_path.glob("burnward-console-local-*.json")
    assert as_json.stem == first.stem
    assert b"Retries" not in first.read_bytes()
    cli = roastbot("quotes", "export", "--workspace", "console:local", cwd=tmp_path)
    assert second.read_text(encoding="utf-8") == cli.stdout
    assert json.loads(as_json.read_bytes())["quotes"][1]["text"] == "Retries are a strategy"
    assert f"Wrote {first} (" in result.stdout and f"Wrote {second} (" in result.stdout
    assert "1 quote added in this workspace, 0 of them removed." in result.stdout
    assert "2 quotes added in this workspace, 0 of them removed." in result.stdout


def test_chat_export_as_a_member_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    """--no-admin: the export is refused and no file appears."""
    result = roastbot("chat", "--no-admin", stdin="/burnward export\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Only admins of this workspace can export the burn ward." in result.stdout
    assert list(tmp_path.glob("burnward-*")) == []


def test_run_with_nothing_to_serve_and_no_terminal_fails_naming_the_settings(
    tmp_path: Path,
) -> None:
    """systemd or Docker with no token (a typo in .env, say): exit 1, one line, plus a near miss."""
    (tmp_path / ".env").write_text("DISCORD_TOKN=abc\n")
    result = roastbot("run", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "roastbot: nothing to serve: none of DISCORD_TOKEN, SLACK_BOT_TOKEN (or SLACK_CLIENT_ID"
        " and SLACK_CLIENT_SECRET for installs) is set, and standard input is not a terminal"
        " (use `roastbot run console` for the console)"
    )
    assert "DISCORD_TOKN: not a roastbot setting, ignored; did you mean DISCORD_TOKEN?" in (
        result.stderr
    )
    explicit = roastbot("run", "console", cwd=tmp_path, stdin="/roast SDET\n")
    assert explicit.returncode == 0 and "SDET" in explicit.stdout


def test_chat_posts_suggestions_in_the_review_channel_and_edits_them_in_a_later_run(
    tmp_path: Path,
) -> None:
    """Three `roastbot chat` runs: set the channel, suggest, approve; the last edits and DMs."""
    steps = (
        (("--user", "boss", "--channel", "reviews"), "/burnward reviews here\n"),
        (("--user", "alice", "--no-admin"), "/burnward suggest SDET | Green builds are a rumour\n"),
        (("--user", "boss"), "/burnward approve 1\n"),
    )
    runs = [roastbot("chat", *flags, stdin=line, cwd=tmp_path) for flags, line in steps]
    assert [run.returncode for run in runs] == [0, 0, 0], runs[-1].stderr
    assert runs[1].stdout.startswith("#reviews\n") and "[1] Approve 1" in runs[1].stdout
    edited, _, direct = runs[2].stdout.partition("direct message to alice:")
    assert edited.startswith("#reviews · console-1 now reads:\n")
    assert "Suggestion 1 · SDET · approved" in edited and "Approve 1" not in edited
    assert "Your suggestion 1 for SDET was approved" in direct
