"""Logging for operators: readable lines or JSON lines, and no secret in any of them.

Every record passes one handler on the root logger, to standard error. Its filter replaces
every configured token and signing secret in the message, the exception text and the stack
before any formatter sees them, so no library's debug output can leak one either.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import TextIO

from bot.runtime.settings import Settings

REDACTED = "[redacted]"
SLACK_TOKEN = re.compile(r"\bxox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]+")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
HANDLER_NAME = "roastbot"
# what would start a new line, rewrite the terminal, reorder the text or fail to encode:
# written as an escape (`\n`, `\x1b`, `\u202e`), so a message stays on its own line
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_JSON_UNSAFE = re.compile("[\x85\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

log = logging.getLogger(__name__)


class RedactSecrets(logging.Filter):
    """Replaces every secret in a record's message, exception text and stack with `REDACTED`.

    Besides the settings' secrets, anything shaped like a Slack token (`xoxb-…`, `xoxe-…`,
    `xoxe.xoxb-…`) goes too: the tokens of installed workspaces live in the database, not
    in the settings, yet slack-sdk logs `oauth.v2.access` answers at DEBUG.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """`text` with every secret replaced."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return SLACK_TOKEN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place (other handlers see the redacted text too); keep it."""
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: keep both, redacted
            message = f"{record.msg} % {record.args!r}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes each record to `sys.stderr` as it is at that moment, even if it was replaced."""

    def emit(self, record: logging.LogRecord) -> None:
        """Write the formatted record to the current standard error."""
        self.stream = sys.stderr
        super().emit(record)


def one_line(text: str) -> str:
    """`text` with every character that could forge or garble a log line written as an escape."""
    return _UNSAFE.sub(lambda found: found[0].encode("unicode_escape").decode("ascii"), text)


class TextFormatter(logging.Formatter):
    """`TEXT_FORMAT` lines whose message is always one line (`one_line`).

    Messages quote what strangers send (an install's `error`, a typed role); a line break
    in one must not start a line that reads as the bot's own. Tracebacks keep their lines.
    """

    def formatMessage(self, record: logging.LogRecord) -> str:
        """The line for `record`, its message escaped."""
        record.message = one_line(record.message)
        return super().formatMessage(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and exception or stack if any."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        line = json.dumps(entry, ensure_ascii=False)
        # JSON leaves these raw; line splitters and terminals do not, and a surrogate fails
        return _JSON_UNSAFE.sub(lambda found: f"\\u{ord(found[0]):04x}", line)


def configure(settings: Settings, stream: TextIO | None = None) -> RedactSecrets:
    """Log to standard error (or `stream`) as `settings` say; return the secret filter.

    Calling it again replaces the handler it installed before. Warnings and uncaught
    exceptions, in any thread, become log records too, so they are redacted like the rest.
    """
    redactor = RedactSecrets(settings.secrets())
    handler = logging.StreamHandler(stream) if stream is not None else StderrHandler()
    handler.set_name(HANDLER_NAME)
    handler.addFilter(redactor)
    handler.setFormatter(
        JsonFormatter() if settings.log_format == "json" else TextFormatter(TEXT_FORMAT)
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.handlers.insert(0, handler)  # first, so that any other handler gets redacted records
    root.setLevel(settings.log_level)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread
    return redactor


def _log_uncaught(
    kind: type[BaseException], error: BaseException, traceback: TracebackType | None
) -> None:
    log.critical("uncaught %s", kind.__name__, exc_info=(kind, error, traceback))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    where = args.thread.name if args.thread is not None else "a thread"
    log.critical(
        "uncaught %s in %s",
        args.exc_type.__name__,
        where,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )
