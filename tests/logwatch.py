"""Watch one logger's records in a test: the lines so far, and an event set by the first."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager


class LogWatch(logging.Handler):
    """Keeps a logger's records; `first` is set when one arrives."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []
        self.first = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.first.set()

    @property
    def lines(self) -> list[str]:
        """The messages logged so far."""
        return [record.getMessage() for record in self.records]


@contextmanager
def watching(name: str) -> Iterator[LogWatch]:
    """The records of logger `name` at INFO, for the length of the block."""
    logger = logging.getLogger(name)
    handler, level = LogWatch(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
