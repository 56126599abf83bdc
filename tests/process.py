"""`roastbot` as a real process: one-shot, or kept running while its output is awaited."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO

WAIT = 30.0  # seconds any one expected line or exit may take on a slow machine


def bot_env(cwd: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment without platform tokens or roastbot settings, a database in `cwd`."""
    base = {
        k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_", "ROASTBOT_"))
    }
    return base | {"ROASTBOT_DB": str(cwd / "bot.sqlite3"), "COLUMNS": "120"} | (env or {})


def roastbot(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the CLI to completion in `cwd`."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=bot_env(cwd, env),
        timeout=WAIT * 2,
        check=False,
    )


def cli_export(db: Path, workspace: str, fmt: str = "yaml") -> bytes:
    """The bytes `roastbot quotes export --workspace W --format F` writes for database `db`."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "quotes",
            "export",
            "--workspace",
            workspace,
            "--format",
            fmt,
        ],
        capture_output=True,
        cwd=db.parent,
        env=bot_env(db.parent, {"ROASTBOT_DB": str(db)}),
        timeout=WAIT * 2,
        check=True,
    )
    return result.stdout


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Running:
    """A `roastbot` process with standard input kept open; its output is read as it comes."""

    def __init__(self, *args: str, cwd: Path, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            env=bot_env(cwd, env),
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._lines: queue.Queue[tuple[str, str]] = queue.Queue()
        assert self.process.stdout is not None and self.process.stderr is not None
        self._readers = [
            threading.Thread(target=self._read, args=(name, stream, lines), daemon=True)
            for name, stream, lines in (
                ("stdout", self.process.stdout, self.stdout),
                ("stderr", self.process.stderr, self.stderr),
            )
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, name: str, stream: IO[str], lines: list[str]) -> None:
        for line in stream:
            lines.append(line)
            self._lines.put((name, line))

    def wait_for(self, text: str, stream: str = "stderr") -> str:
        """The first new line of `stream` containing `text`; fails after `WAIT` seconds."""
        deadline = time.monotonic() + WAIT
        while (left := deadline - time.monotonic()) > 0:
            try:
                name, line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if name == stream and text in line:
                return line
        raise AssertionError(f"no {text!r} on {stream}; stderr:\n{''.join(self.stderr)}")

    def send(self, line: str) -> None:
        """Type one line into the bot."""
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def signal(self, number: signal.Signals) -> None:
        """Send the process a signal."""
        self.process.send_signal(number)

    def wait(self) -> int:
        """The exit code, once the process has ended and its output has been read."""
        code = self.process.wait(timeout=WAIT)
        for reader in self._readers:
            reader.join(timeout=WAIT)
        return code

    def __enter__(self) -> Running:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=WAIT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
