"""A throwaway PostgreSQL server for the test session, from the machine's PostgreSQL binaries.

Debian's `postgresql` package puts them in /usr/lib/postgresql/<version>/bin (`.ci/run`
installs it where missing). Run as root, the server runs as the unprivileged `postgres` user
(or `nobody`), as PostgreSQL insists. It listens on 127.0.0.1 only, with trust auth, fsync
off, and is stopped at the end of the session. A missing server fails the tests that need it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path


class NoPostgres(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def binaries() -> Path:
    """The newest installed PostgreSQL's bin folder."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    if not found:
        raise NoPostgres(
            "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: install Debian's"
            " postgresql package (`apt-get install postgresql`; .ci/run does)"
        )
    return found[-1].parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """A running server: its data folder, port, and the user that owns it."""

    bin: Path
    data: Path
    port: int
    run_as: str | None

    @property
    def admin_url(self) -> str:
        """A URL to the server's `postgres` database as its superuser."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        """A URL to one database on the server."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.run_as is not None:
            command = ["runuser", "-u", self.run_as, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        """Stop the server at once and remove its files."""
        try:
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.data.parent, ignore_errors=True)

    def new_database(self) -> str:
        """Create an empty database with a fresh name; return its name."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        subprocess.run(
            [
                str(self.bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                name,
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return name


def start() -> PostgresServer:
    """Initialize and start a server in a fresh temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="roastbot-pg-"))
    run_as = None
    if os.geteuid() == 0:
        run_as = "postgres" if _user_exists("postgres") else "nobody"
        uid = pwd.getpwnam(run_as).pw_uid
        os.chown(folder, uid, -1)
    folder.chmod(0o700)
    server = PostgresServer(binaries(), folder / "data", _free_port(), run_as)
    server._run("initdb", "-D", str(server.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    options = (
        f"-p {server.port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"
        " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    server._run(
        "pg_ctl", "start", "-D", str(server.data), "-o", options, "-w", "-l", str(folder / "log")
    )
    return server


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
