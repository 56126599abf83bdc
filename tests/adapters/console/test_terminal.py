"""The console at a real (pseudo-)terminal: line editing, history, and a prompt that survives posts."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from tests.adapters.console.terminal import CTRL_C, ENTER, UP, Terminal
from tests.process import bot_env

PROMPT = "roastbot>"
HELP = "specimens on file"
POSTING_CONSOLE = Path(__file__).with_name("posting_console.py")


def _env(cwd: Path) -> dict[str, str]:
    # no cursor position requests: the test answers keys, not terminal queries
    return bot_env(cwd, {"TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"})


def test_arrow_up_recalls_the_last_command_and_runs_it_again(tmp_path: Path) -> None:
    """Up then Enter runs /roasthelp a second time; the arrow is never echoed as ^[[A."""
    with Terminal([sys.executable, "-m", "bot", "chat"], cwd=tmp_path, env=_env(tmp_path)) as tty:
        tty.wait_for(PROMPT)
        tty.type("/roasthelp" + ENTER)
        tty.wait_for(PROMPT, after=HELP)
        tty.type(UP + ENTER)
        tty.wait_for(HELP, count=2)
        tty.wait_for(PROMPT, count=1, after=HELP)
        tty.type("/quit" + ENTER)
        assert tty.wait() == 0
    assert "^[[A" not in tty.raw
    assert "Commands start with /" not in tty.text


def test_a_daily_post_while_the_prompt_waits_is_followed_by_the_prompt(tmp_path: Path) -> None:
    """The scheduler posts into the console while it waits for a line; the prompt comes back."""
    argv = [sys.executable, str(POSTING_CONSOLE)]
    with Terminal(argv, cwd=tmp_path, env=_env(tmp_path)) as tty:
        tty.wait_for(PROMPT)
        tty.type("/specimen subscribe 09:00 UTC" + ENTER)
        tty.wait_for(PROMPT, after="09:00")
        tty.process.send_signal(signal.SIGUSR1)
        tty.wait_for("SPECIMEN OF THE DAY")
        tty.wait_for(PROMPT, after="SPECIMEN OF THE DAY")
        tty.type("/quit" + ENTER)
        assert tty.wait() == 0
    assert "#daily" in tty.text


def test_ctrl_c_at_the_prompt_leaves_cleanly_and_gives_the_terminal_back(tmp_path: Path) -> None:
    """Ctrl-C at the prompt ends the console with exit 0, no traceback, the terminal as it was."""
    with Terminal([sys.executable, "-m", "bot", "chat"], cwd=tmp_path, env=_env(tmp_path)) as tty:
        tty.wait_for(PROMPT)
        assert not tty.in_line_mode()
        tty.type(CTRL_C)
        assert tty.wait() == 0
        assert tty.in_line_mode()
    assert "Traceback" not in tty.text
