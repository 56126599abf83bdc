"""The deploy files, parsed and checked (no Docker engine here), and the health check run."""

from __future__ import annotations

import argparse
import asyncio
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml
from aiohttp import web

from bot.cli import build_parser
from bot.runtime.lifecycle import DRAIN_SECONDS
from bot.runtime.settings import ENV_NAMES
from tests.process import bot_env, free_port, roastbot

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOCS = ("deploy.md", "upgrade.md", "backup.md")
# `roastbot WORD [WORD]` at the start of a shell word, or as .../bin/roastbot; overlapping
COMMAND = r"(?m)(?=(?:^|(?<=\s)|(?<=bin/))roastbot (\w[\w-]*)(?: (\w+))?)"


def _instructions(path: Path) -> list[tuple[str, str]]:
    """A Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (keyword.upper(), rest.strip())
        for keyword, _, rest in (line.partition(" ") for line in lines)
        if keyword and not keyword.startswith("#")
    ]


def _final_stage(path: Path) -> list[tuple[str, str]]:
    steps = _instructions(path)
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def _seconds(text: str) -> float:
    return float(text.rstrip("s")) if text.endswith("s") else float(text)


def test_the_dockerfile_runs_slim_as_a_user_with_a_volume_and_a_health_check() -> None:
    """Slim base, tzdata, non-root USER, the database on /data, HEALTHCHECK, roastbot run."""
    stage = _final_stage(DEPLOY / "Dockerfile")
    args = {keyword: rest for keyword, rest in stage}  # the last of each keyword
    assert re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", stage[0][1])
    assert any(k == "RUN" and "install" in r and "tzdata" in r for k, r in stage)
    user = args["USER"].split(":")[0]
    assert user not in {"root", "0"}
    assert any(k == "RUN" and "useradd" in r and user in r for k, r in stage)
    assert args["VOLUME"] == '["/data"]'
    env = dict(
        part.split("=", 1) for part in shlex.split(" ".join(r for k, r in stage if k == "ENV"))
    )
    assert env["ROASTBOT_DB"].startswith("/data/")
    assert "ROASTBOT_DOSSIERS" not in env  # the wheel carries the bundled catalog
    build = _instructions(DEPLOY / "Dockerfile")
    install = next(i for i, (k, r) in enumerate(build) if k == "RUN" and "pip install ." in r)
    assert ("COPY", "dossiers ./dossiers") in build[:install]
    assert args["HEALTHCHECK"].startswith("--") and " CMD " in f" {args['HEALTHCHECK']} "
    assert (args["ENTRYPOINT"], args["CMD"]) == ('["roastbot"]', '["run"]')
    stages = _instructions(DEPLOY / "Dockerfile")
    for keyword, rest in stages:
        if keyword == "COPY" and not rest.startswith("--from"):
            *sources, _ = rest.split()
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: not in the repository"


def test_compose_has_the_env_file_a_data_volume_a_restart_policy_and_time_to_stop() -> None:
    """compose.yaml: env_file, /data on a named volume, restart policy, a long enough grace."""
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    service = compose["services"]["roastbot"]
    assert (DEPLOY / service["build"]["context"] / service["build"]["dockerfile"]).is_file()
    assert service["env_file"]
    volume, _, mount = service["volumes"][0].partition(":")
    assert mount == "/data" and volume in compose["volumes"]
    assert service["restart"] in {"unless-stopped", "always", "on-failure"}
    assert _seconds(service["stop_grace_period"]) > DRAIN_SECONDS
    assert service["read_only"] is True and service["cap_drop"] == ["ALL"]


def _service() -> dict[str, list[str]]:
    """The [Service] section of the unit: every value of every key, in order."""
    section = ""
    values: dict[str, list[str]] = {}
    for line in (DEPLOY / "roastbot.service").read_text().splitlines():
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values.setdefault(key, []).append(value)
    return values


def test_the_systemd_unit_keeps_state_restarts_on_failure_and_is_hardened() -> None:
    """StateDirectory holds ROASTBOT_DB, a non-root user, Restart=on-failure, hardening."""
    service = _service()
    assert service["User"] != ["root"]
    [state] = service["StateDirectory"]
    assert any(f"ROASTBOT_DB=/var/lib/{state}/" in line for line in service["Environment"])
    assert service["Restart"] == ["on-failure"]
    assert service["ExecStart"][0].endswith("roastbot run")
    assert _seconds(service["TimeoutStopSec"][0]) > DRAIN_SECONDS
    for option in ("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices"):
        assert service[option] == ["yes"]
    assert service["ProtectSystem"] == ["strict"] and service["CapabilityBoundingSet"] == [""]


def test_the_systemd_unit_raises_the_open_file_limit() -> None:
    """LimitNOFILE lifts the 1,024 soft default well above the fan-out's sockets and pools."""
    [limit] = _service()["LimitNOFILE"]
    assert int(limit) >= 8192


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_analyze_accepts_every_directive(tmp_path: Path) -> None:
    """`systemd-analyze verify` knows every directive (ExecStart pointed at /bin/true)."""
    unit = tmp_path / "roastbot.service"
    text = (DEPLOY / "roastbot.service").read_text()
    unit.write_text(re.sub(r"(?m)^ExecStart=.*$", "ExecStart=/bin/true", text))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr


def _healthcheck(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    path = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    return subprocess.run(
        ["/bin/sh", str(DEPLOY / "healthcheck.sh")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=bot_env(tmp_path, env) | {"PATH": path},
        timeout=60,
        check=False,
    )


async def _ok(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


@pytest.fixture
async def healthz() -> AsyncIterator[int]:
    """Slack HTTP mode's /healthz on a free 127.0.0.1 port."""
    app = web.Application()
    app.router.add_get("/healthz", _ok)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield port
    await runner.cleanup()


async def test_the_health_check_checks_the_database_and_slack_http(
    tmp_path: Path, healthz: int
) -> None:
    """Healthy with a sound database; unhealthy without one, or when /healthz is down."""

    async def check(env: dict[str, str]) -> int:
        return (await asyncio.to_thread(_healthcheck, tmp_path, env)).returncode

    assert await check({}) == 1  # no database yet
    assert roastbot("chat", cwd=tmp_path).returncode == 0
    assert await check({}) == 0
    slack = {"SLACK_BOT_TOKEN": "xoxb-test-token", "ROASTBOT_HTTP_PORT": str(healthz)}
    assert await check(slack) == 0
    down = slack | {"ROASTBOT_HTTP_PORT": str(free_port())}
    assert await check(down) != 0
    socket_mode = down | {"SLACK_APP_TOKEN": "xapp-test-token"}  # no HTTP endpoint to probe
    assert await check(socket_mode) == 0


def _code(markdown: str) -> str:
    """The code of a Markdown text, fenced blocks and `inline` spans, without comments."""
    blocks = re.findall(r"(?ms)^```[^\n]*\n(.*?)^```", markdown)
    prose = re.sub(r"(?ms)^```.*?^```", "", markdown)
    code = "\n".join(blocks + re.findall(r"`([^`\n]+)`", prose))
    return re.sub(r"(?m)(?:^|\s)#.*$", "", code)  # without comments


def test_the_guides_name_only_real_settings_commands_and_files() -> None:
    """Every variable, `roastbot` subcommand and relative link in the guides exists."""
    known = set(ENV_NAMES.values())
    commands = _choices(build_parser())
    for name in DOCS:
        text = (ROOT / "docs" / name).read_text()
        for variable in re.findall(r"\b(?:ROASTBOT|DISCORD|SLACK)_[A-Z_]+\b", text):
            assert variable in known, f"docs/{name}: {variable} is not a setting"
        for command, action in re.findall(COMMAND, _code(text)):
            if command in {"roastbot", "env"}:  # the compose service, the system user
                continue
            assert command in commands, f"docs/{name}: roastbot {command}"
            if command in {"db", "quotes"} and action:
                assert action in _choices(commands[command]), f"docs/{name}: {command} {action}"
        for link in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            assert (ROOT / "docs" / link).resolve().exists(), f"docs/{name}: no {link}"


def _choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommands of a parser, by name."""
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def test_compose_postgres_profile_runs_two_replicas_on_a_healthy_postgres() -> None:
    """--profile postgres: PostgreSQL with a volume and a health check, two roastbots on it."""
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    postgres, shared = compose["services"]["postgres"], compose["services"]["roastbot-shared"]
    assert postgres["profiles"] == shared["profiles"] == ["postgres"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert postgres["volumes"][0].split(":")[0] in compose["volumes"]
    assert shared["deploy"]["replicas"] == 2
    assert shared["environment"]["ROASTBOT_DB"].startswith("postgresql://roastbot:")
    assert shared["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "profiles" not in compose["services"]["roastbot"]  # `up` alone stays on SQLite


@pytest.mark.parametrize(
    "serves",
    [
        {"DISCORD_TOKEN": "discord-test-token", "DISCORD_PUBLIC_KEY": "ab" * 32},
        {"ROASTBOT_WEB": "On"},
        {
            "SLACK_CLIENT_ID": "1.2",
            "SLACK_CLIENT_SECRET": "client-secret",
            "SLACK_SIGNING_SECRET": "signing-secret",
        },
    ],
    ids=["discord-http", "web-pages", "slack-installs"],
)
async def test_the_health_check_probes_every_http_site_the_bot_serves(
    tmp_path: Path, healthz: int, serves: dict[str, str]
) -> None:
    """Discord over HTTP, the web pages and Slack installs share /healthz: probed when served."""
    assert roastbot("chat", cwd=tmp_path).returncode == 0

    async def check(port: int) -> int:
        env = serves | {"ROASTBOT_HTTP_PORT": str(port)}
        return (await asyncio.to_thread(_healthcheck, tmp_path, env)).returncode

    assert await check(healthz) == 0
    assert await check(free_port()) != 0
