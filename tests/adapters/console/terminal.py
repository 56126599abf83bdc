"""A process at a pseudo-terminal: keys typed in, the screen's output read as it comes."""

from __future__ import annotations

import codecs
import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time
from pathlib import Path
from types import TracebackType

WAIT = 30.0  # seconds any one expected output or exit may take on a slow machine
ROWS, COLUMNS = 40, 120
UP, ENTER, CTRL_C = "\x1b[A", "\r", "\x03"
# CSI sequences (colours, cursor moves), OSC titles, and lone escapes such as ESC =
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[=>78]")


class Terminal:
    """`argv` run with a 120x40 pseudo-terminal as its standard input, output and error."""

    def __init__(self, argv: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, start_new_session=True
        )
        os.close(slave)
        self._master = master
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.raw = ""
        """Everything the process wrote, escape sequences included."""

    @property
    def text(self) -> str:
        """What the process wrote, without escape sequences."""
        return ESCAPES.sub("", self.raw)

    def type(self, keys: str) -> None:
        """Press `keys` as a person at the keyboard would."""
        os.write(self._master, keys.encode())

    def wait_for(self, text: str, *, count: int = 1, after: str = "") -> None:
        """Read until `text` has appeared `count` times (after the last `after`, if given).

        Fails after `WAIT` seconds, or when the process closes the terminal first.
        """

        def seen() -> bool:
            shown = self.text
            if after:
                if after not in shown:
                    return False
                shown = shown[shown.rindex(after) + len(after) :]
            return shown.count(text) >= count

        deadline = time.monotonic() + WAIT
        while not seen():
            if not self._read(deadline):
                raise AssertionError(f"no {text!r} x{count} on the terminal:\n{self.text}")

    def _read(self, deadline: float) -> bool:
        """Read what the process wrote next; False when nothing came by `deadline` or it closed."""
        ready, _, _ = select.select([self._master], [], [], max(deadline - time.monotonic(), 0))
        if not ready:
            return False
        try:
            chunk = os.read(self._master, 65536)
        except OSError:  # EIO: every process closed the terminal
            return False
        self.raw += self._decoder.decode(chunk)
        return bool(chunk)

    def in_line_mode(self) -> bool:
        """Whether the terminal echoes and edits lines itself, as a shell leaves it."""
        modes = termios.tcgetattr(self._master)[3]
        return bool(modes & termios.ECHO) and bool(modes & termios.ICANON)

    def wait(self) -> int:
        """The exit code, once the process has ended and all it wrote has been read."""
        deadline = time.monotonic() + WAIT
        while self._read(deadline):
            pass
        return self.process.wait(timeout=WAIT)

    def __enter__(self) -> Terminal:
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
        os.close(self._master)
