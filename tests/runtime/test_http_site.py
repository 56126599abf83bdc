"""The shared HTTP site: what aiohttp itself answers to requests it cannot parse."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.runtime.http_site import HttpSite
from tests.process import free_port

MALFORMED = [
    ("request line over 8 KB", b"GET /healthz?q=" + b"x" * 9000 + b" HTTP/1.1\r\nHost: a\r\n\r\n"),
    (
        "header over 8 KB",
        b"GET /healthz HTTP/1.1\r\nHost: a\r\nX-Junk: " + b"x" * 9000 + b"\r\n\r\n",
    ),
    ("path not UTF-8", b"GET /\xff\xfe HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("HTTP/1.1 without Host", b"GET /healthz HTTP/1.1\r\n\r\n"),
    ("asterisk target on GET", b"GET * HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("length not a number", b"POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n"),
]


@pytest.mark.parametrize(("case", "request_bytes"), MALFORMED, ids=[m[0] for m in MALFORMED])
async def test_a_request_aiohttp_cannot_parse_is_a_400_and_one_info_line(
    caplog: pytest.LogCaptureFixture, case: str, request_bytes: bytes
) -> None:
    """A malformed request gets aiohttp's 400 and one INFO line, not an ERROR traceback."""
    site = HttpSite("127.0.0.1", free_port(), [])
    with caplog.at_level(logging.DEBUG):
        async with site.running():
            reader, writer = await asyncio.open_connection(site.host, site.port)
            writer.write(request_bytes)
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(), 5)  # aiohttp closes after a 400
            writer.close()
    assert answer.startswith((b"HTTP/1.0 400 ", b"HTTP/1.1 400 ")), (case, answer[:80])
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
    refused = [r.getMessage() for r in caplog.records if r.name == "bot.runtime.http_site"]
    assert len(refused) == 1 and refused[0].startswith("http: refused a malformed request from")
