"""A throwaway PostgreSQL server for the test session, from the machine's PostgreSQL binaries.

Debian's `postgresql` package puts them in /usr/lib/postgresql/<version>/bin (`.ci/run`
installs it where missing). Run as root, the server runs as the unprivileged `postgres` user
(or `nobody`), as PostgreSQL insists. It listens on 127.0.0.1 only, with trust auth, fsync
off, and is stopped at the end of the session. Local socket connections are trusted; TCP ones need the password, so a wrong password is
refused as on a real server. A missing server fails the tests that need it.
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

PASSWORD = "roastbot-test"


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

    def url(self, database: str, user: str = "postgres", password: str = PASSWORD) -> str:
        """A URL to one database on the server."""
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one SQL statement as the superuser (psql over TCP)."""
        subprocess.run(
            [
                str(self.bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                statement,
            ],
            check=True,
            capture_output=True,
            timeout=60,
            env=os.environ | {"PGPASSWORD": PASSWORD},
        )

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
        self.sql(f"CREATE DATABASE {name}")
        return name

    def restart(self) -> None:
        """Start the server (again, after `halt`), on the same port."""
        log = str(self.data.parent / "log")
        self._run("pg_ctl", "start", "-D", str(self.data), "-o", self._options, "-w", "-l", log)

    def halt(self) -> None:
        """Stop the server, dropping every connection, keeping its files (for outage tests)."""
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w")

    @property
    def _options(self) -> str:
        return (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data.parent} -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )


def start() -> PostgresServer:
    """Initialize and start a server in a fresh temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="roastbot-pg-"))
    run_as = None
    if os.geteuid() == 0:
        run_as = "postgres" if _user_exists("postgres") else "nobody"
        os.chown(folder, pwd.getpwnam(run_as).pw_uid, -1)
    folder.chmod(0o700)
    server = PostgresServer(binaries(), folder / "data", _free_port(), run_as)
    password_file = folder / "password"
    password_file.write_text(PASSWORD)
    if run_as is not None:
        os.chown(password_file, pwd.getpwnam(run_as).pw_uid, -1)
    server._run(
        "initdb",
        "-D",
        str(server.data),
        "-U",
        "postgres",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        f"--pwfile={password_file}",
        "-E",
        "UTF8",
    )
    server.restart()
    return server


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
