"""`POST /discord/interactions`: signed HTTP interactions answered as the gateway answers them."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from nacl.signing import SigningKey

from bot.adapters.discord.endpoint import MAX_BODY
from bot.adapters.discord.render import MENU_PREFIX
from bot.adapters.discord.signature import FirstSeen
from bot.catalog.lookup import Catalog
from bot.runtime.context import Context
from bot.store import open_store
from tests.adapters.discord.fake_discord import (
    APP_ID,
    GUILD,
    MANAGE_SERVER,
    FakeDiscord,
    Harness,
    autocomplete,
    command,
    discord_harness,
    fake,
    press,
)
from tests.adapters.discord.http_interactions import NOW, Endpoint, http_endpoint, signed
from tests.adapters.discord.test_interactions import GatedStore
from tests.conftest import FIXED_NOW, seed_quotes
from tests.twin import twin

__all__ = ["fake", "twin"]  # fixtures

NO_MENTIONS: dict[str, list[str]] = {"parse": []}
EA = "enterprise-architect"


@dataclass
class Pair:
    """The gateway path and the HTTP endpoint, each over its own store seeded alike."""

    gateway: Harness
    http: Endpoint

    async def both(self, payload: dict[str, Any]) -> tuple[bytes, bytes]:
        """The bytes of the gateway path's callback and of the endpoint's response."""
        self.gateway.deliver(payload)
        path = f"/interactions/{payload['id']}/{payload['token']}/callback"
        (callback,) = await self.gateway.fake.wait_for("POST", path)
        return callback.raw, await self.http.interact(payload)


@pytest_asyncio.fixture
async def pair(fake: FakeDiscord, context: Context, twin: Context) -> AsyncIterator[Pair]:
    """The gateway path over the test context, the HTTP endpoint over its twin."""
    async with discord_harness(context, fake) as gateway, http_endpoint(twin, fake) as http:
        yield Pair(gateway, http)


@pytest_asyncio.fixture
async def endpoint(fake: FakeDiscord, context: Context) -> AsyncIterator[Endpoint]:
    """The HTTP endpoint over the test context."""
    async with http_endpoint(context, fake) as served:
        yield served


async def test_ping_is_answered_pong(endpoint: Endpoint) -> None:
    """PING (type 1), as Discord sends when the endpoint URL is saved, gets `{"type":1}`."""
    before = len(endpoint.fake.requests)
    assert await endpoint.interact({"type": 1, "id": "1", "application_id": APP_ID}) == (
        b'{"type":1}'
    )
    assert len(endpoint.fake.requests) == before


COMMANDS = [
    command("roast")(role="Enterprise Architect"),
    command("roast")(role="enterprize archtect"),
    command("roast")(role="sdet", section="burn-ward"),
    command("roast", guild_id=None)(role="sdet"),
    command("roasthelp")(),
    command("burnward", "add", permissions=MANAGE_SERVER)(role="sdet", quote="Flaky is a feature"),
    command("burnward", "add")(role="sdet", quote="Members cannot add this"),
    command("burnward", "list")(role="sdet", page=1),
    command("burnward", "remove", permissions=MANAGE_SERVER)(id="S3"),
    command("specimen", "today")(),
    command("specimen", "subscribe", permissions=MANAGE_SERVER)(time="09:30", zone="Europe/Berlin"),
    command("specimen", "status")(),
    command("specimen", "unsubscribe", permissions=MANAGE_SERVER)(),
    command("burnward", "export")(),
]


async def test_every_command_answers_byte_for_byte_as_the_gateway(pair: Pair) -> None:
    """Every command, in one sequence, gets the same bytes in the HTTP response as the callback."""
    for payload in COMMANDS:
        gateway, http = await pair.both(payload)
        assert http == gateway, payload["data"]
        answer = json.loads(http)
        assert answer["type"] == 4
        assert answer["data"]["allowed_mentions"] == NO_MENTIONS


@pytest.mark.parametrize(
    "payload",
    [
        autocomplete("roast")("role", role="enterprize archtect"),
        autocomplete("burnward", "add")("role", role="sdt", quote=""),
        autocomplete("specimen", "subscribe")("zone", zone="berl"),
    ],
)
async def test_autocomplete_answers_as_the_gateway(pair: Pair, payload: dict[str, Any]) -> None:
    """Autocomplete (type 4) is answered type 8 with the choices, byte for byte as the gateway."""
    gateway, http = await pair.both(payload)
    assert http == gateway
    assert json.loads(http)["type"] == 8 and json.loads(http)["data"]["choices"]


async def test_every_component_answers_as_the_gateway(pair: Pair, context: Context) -> None:
    """Related button, section menu, list page and a stale id: the same bytes both ways."""
    for n in range(12):
        for store in (context.store, pair.http.client.context.store):
            await seed_quotes(store, f"discord:{GUILD}", [f"Quote number {n}"])
    roast = json.loads((await pair.both(command("roast")(role="Enterprise Architect")))[1])
    listed = json.loads((await pair.both(command("burnward", "list")(role="sdet")))[1])
    page = listed["data"]["components"][0]["components"][0]["custom_id"]
    presses = [
        (press(f"rb1|roast||role={roast_related(roast)}", on=roast["data"]), 4),
        (
            press(
                f"{MENU_PREFIX}0", on=roast["data"], values=[f"rb1|roast||role={EA}|section=salary"]
            ),
            7,
        ),
        (press(page, on=listed["data"]), 7),
        (press("rb1|", on={"embeds": []}), 4),
    ]
    for payload, kind in presses:
        gateway, http = await pair.both(payload)
        assert http == gateway
        assert json.loads(http)["type"] == kind


def roast_related(roast: dict[str, Any]) -> str:
    """The role id of the first related-specimen button on a roast card."""
    custom_id: str = roast["data"]["components"][0]["components"][0]["custom_id"]
    return custom_id.removeprefix("rb1|roast||role=")


async def test_a_press_that_is_not_ours_is_acknowledged_silently(endpoint: Endpoint) -> None:
    """A component whose custom id roastbot did not make gets a silent ack (type 6), nothing sent."""
    before = len(endpoint.fake.requests)
    assert await endpoint.answer(press("someone-else:42", on={"embeds": []})) == {"type": 6}
    assert len(endpoint.fake.requests) == before


async def test_a_member_without_manage_server_is_refused_privately(
    endpoint: Endpoint, context: Context
) -> None:
    """`/burnward add` by a member (permissions from the payload): ephemeral refusal, nothing stored."""
    add = command("burnward", "add", permissions="0")
    answer = await endpoint.answer(add(role="sdet", quote="It works on my pipeline, ship it."))
    assert answer["type"] == 4 and answer["data"]["flags"] == 64
    assert answer["data"]["embeds"][0]["description"].startswith("Only admins of this server")
    assert await context.store.live_quotes(f"discord:{GUILD}", "sdet") == []


async def test_a_manager_adds_a_quote_over_http(endpoint: Endpoint, context: Context) -> None:
    """Manage Server in the payload's member permissions lets `/burnward add` write."""
    add = command("burnward", "add", permissions=MANAGE_SERVER)
    answer = await endpoint.answer(add(role="sdet", quote="Flaky means the test found a bug"))
    assert answer["data"]["embeds"][0]["description"] == "Added quote #1 to the burn ward of SDET."
    stored = await context.store.live_quotes(f"discord:{GUILD}", "sdet")
    assert [q.text for q in stored] == ["Flaky means the test found a bug"]


async def test_a_slow_command_defers_then_edits_through_the_webhook(context: Context) -> None:
    """A core slower than the threshold: the response is type 5, the card a PATCH of @original."""
    gate = asyncio.Event()
    slow = Context(context.catalog, GatedStore(context.store, gate), context.clock)
    async with http_endpoint(slow) as endpoint:
        endpoint.client.defer_after = 0
        payload = command("roast")(role="sdet")
        assert await endpoint.interact(payload) == b'{"type":5}'
        gate.set()
        original = f"/webhooks/{APP_ID}/{payload['token']}/messages/@original"
        (edit,) = await endpoint.fake.wait_for("PATCH", original)
    assert edit.body["embeds"][0]["title"] == "SDET"
    assert edit.body["allowed_mentions"] == NO_MENTIONS and "flags" not in edit.body
    assert not endpoint.fake.matching("POST", "/interactions/*")


async def test_a_slow_section_choice_defers_the_update(endpoint: Endpoint) -> None:
    """A slow menu choice answers type 6 in the response, then edits the pressed message."""
    roast = await endpoint.answer(command("roast")(role="sdet"))
    endpoint.client.defer_after = 0
    chosen = "rb1|roast||role=sdet|section=day"
    payload = press(f"{MENU_PREFIX}0", on=roast["data"], values=[chosen])
    assert await endpoint.interact(payload) == b'{"type":6}'
    original = f"/webhooks/{APP_ID}/{payload['token']}/messages/@original"
    (edit,) = await endpoint.fake.wait_for("PATCH", original)
    assert edit.body["embeds"][0]["title"].startswith("SDET: [09]")


async def test_an_export_is_deferred_privately_and_uploaded_with_the_edit(
    endpoint: Endpoint, context: Context
) -> None:
    """An HTTP response carries no files: type 5 ephemeral, then the file on the @original edit."""
    await seed_quotes(context.store, f"discord:{GUILD}", ["Flaky by design"])
    payload = command("burnward", "export", permissions=MANAGE_SERVER)(format="json")
    assert await endpoint.answer(payload) == {"type": 5, "data": {"flags": 64}}
    original = f"/webhooks/{APP_ID}/{payload['token']}/messages/@original"
    (edit,) = await endpoint.fake.wait_for("PATCH", original)
    assert [(p.name, p.filename) for p in edit.parts] == [
        ("payload_json", None),
        ("files[0]", f"burnward-discord-{GUILD}-2026-11-21.json"),
    ]
    assert b"Flaky by design" in edit.file(0).content
    assert "flags" not in edit.body


ADD = command("burnward", "add", permissions=MANAGE_SERVER)(role="sdet", quote="Forged quote")
ADD_BODY = json.dumps(ADD).encode()
OTHER_KEY = SigningKey(bytes(range(1, 33)))


FORGED: list[tuple[str, Any, dict[str, str], int]] = [
    ("no signature", ADD_BODY, {"Content-Type": "application/json"}, 401),
    ("signed with another key", ADD_BODY, signed(ADD_BODY, key=OTHER_KEY), 401),
    ("signature over a different body", ADD_BODY, signed(ADD_BODY + b" "), 401),
    ("signature not hex", ADD_BODY, {**signed(ADD_BODY), "X-Signature-Ed25519": "zz" * 64}, 401),
    (
        "timestamp not a number",
        ADD_BODY,
        {**signed(ADD_BODY), "X-Signature-Timestamp": "soon"},
        401,
    ),
    ("valid signature, timestamp six minutes old", ADD_BODY, signed(ADD_BODY, at=NOW - 360), 401),
    ("valid signature, timestamp six minutes ahead", ADD_BODY, signed(ADD_BODY, at=NOW + 360), 401),
    ("signed body that is not JSON", b"type=2", signed(b"type=2"), 400),
    ("signed JSON that is not an interaction", b"[2]", signed(b"[2]"), 400),
    ("signed interaction of a type not served", b'{"type":9}', signed(b'{"type":9}'), 400),
    ("signed JSON nested past the parser's depth", b"[" * 200_000, signed(b"[" * 200_000), 400),
]


@pytest.mark.parametrize(("case", "body", "headers", "status"), FORGED, ids=[f[0] for f in FORGED])
async def test_forged_requests_are_refused_without_work_or_error_logs(
    endpoint: Endpoint,
    context: Context,
    caplog: pytest.LogCaptureFixture,
    case: str,
    body: Any,
    headers: dict[str, str],
    status: int,
) -> None:
    """A request Discord did not sign just now gets 401/400/413: no call out, no write, no ERROR."""
    before = len(endpoint.fake.requests)
    with caplog.at_level(logging.DEBUG):
        got, _ = await endpoint.post(body, headers)
    assert got == status, case
    assert len(endpoint.fake.requests) == before
    assert await context.store.live_quotes(f"discord:{GUILD}", "sdet") == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def _head(headers: dict[str, str], framing: str) -> bytes:
    lines = ["POST /discord/interactions HTTP/1.1", "Host: 127.0.0.1", framing]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


OVER_CAP = [
    # 10 MB announced: refused on the headers, before a byte of the body is sent
    ("10 MB announced", _head(signed(b""), f"Content-Length: {10 * MAX_BODY}")),
    # no length: refused once what arrived passes the cap (1 MB in 16 chunks, then one byte,
    # the last thing sent, so the server closes with nothing of ours left unread)
    (
        "chunked past the cap",
        _head(signed(b""), "Transfer-Encoding: chunked")
        + b"".join(b"10000\r\n" + b"{" * 0x10000 + b"\r\n" for _ in range(16))
        + b"1\r\n{",
    ),
]


@pytest.mark.parametrize(("case", "request_bytes"), OVER_CAP, ids=[c[0] for c in OVER_CAP])
async def test_a_body_over_the_cap_gets_413_before_it_is_read(
    endpoint: Endpoint, caplog: pytest.LogCaptureFixture, case: str, request_bytes: bytes
) -> None:
    """More than 1 MB of body: 413 and the connection closed, nothing read further or done."""
    before = len(endpoint.fake.requests)
    host, port = endpoint.url.removeprefix("http://").split(":")
    with caplog.at_level(logging.DEBUG):
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(request_bytes)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 5)  # the server closes the connection
        writer.close()
    assert answer.startswith(b"HTTP/1.1 413 "), case
    assert len(endpoint.fake.requests) == before
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_the_same_request_signed_properly_does_the_work(
    endpoint: Endpoint, context: Context
) -> None:
    """The forged cases' body, signed now with the application's key, adds the quote."""
    status, _ = await endpoint.post(ADD_BODY, signed(ADD_BODY))
    assert status == 200
    assert [q.text for q in await context.store.live_quotes(f"discord:{GUILD}", "sdet")] == [
        "Forged quote"
    ]


async def test_two_instances_on_one_database_keep_the_shuffle_bag(
    fake: FakeDiscord, catalog: Catalog, tmp_path: Path
) -> None:
    """Alternate roasts of one channel through two endpoints on one SQLite file: each quote once a round."""
    path = tmp_path / "shared.sqlite3"
    first_store = await open_store(path)
    second_store = await open_store(path)
    try:
        first = Context(catalog, first_store, lambda: FIXED_NOW)
        second = Context(catalog, second_store, lambda: FIXED_NOW)
        rounds = len(catalog.get("sdet").dossier.burn_ward)
        shown: list[str] = []
        async with http_endpoint(first, fake) as one, http_endpoint(second, fake) as other:
            for n in range(2 * rounds):
                instance = one if n % 2 == 0 else other
                answer = await instance.answer(command("roast")(role="sdet"))
                shown.append(answer["data"]["embeds"][0]["fields"][-1]["value"])
    finally:
        await first_store.close()
        await second_store.close()
    assert len(set(shown[:rounds])) == rounds
    assert len(set(shown[rounds:])) == rounds
    assert set(shown[:rounds]) == set(shown[rounds:])


def _without(payload: dict[str, Any], *path: str) -> dict[str, Any]:
    """A deep copy of `payload` with the field at `path` taken out."""
    copy = json.loads(json.dumps(payload))
    *within, last = path
    inner = copy
    for key in within:
        inner = inner[key]
    del inner[last]
    return copy


def _with(payload: dict[str, Any], value: Any, *path: str | int) -> dict[str, Any]:
    """A deep copy of `payload` with the field at `path` set to `value`."""
    copy = json.loads(json.dumps(payload))
    *within, last = path
    inner = copy
    for key in within:
        inner = inner[key]
    inner[last] = value
    return copy


ROAST = command("roast")(role="sdet")
COMPLETE = autocomplete("roast")("role", role="sd")
MISSHAPEN: list[tuple[str, dict[str, Any]]] = [
    ("integration owners not an object", _with(ADD, "x", "authorizing_integration_owners")),
    ("no data", _without(ADD, "data")),
    ("data not an object", _with(ADD, "roast", "data")),
    ("options null", _with(ROAST, None, "data", "options")),
    ("options an object", _with(ROAST, {"role": "sdet"}, "data", "options")),
    ("option without its value", _without(ROAST, "data", "options", 0, "value")),
    ("string option holding a number", _with(ROAST, 5, "data", "options", 0, "value")),
    ("command type unknown", _with(ROAST, 9, "data", "type")),
    ("command name an object", _with(ROAST, {"a": 1}, "data", "name")),
    ("guild without the member who acted", _without(ADD, "member")),
    ("no guild and no user", _without(ROAST, "guild_id")),
    ("autocomplete value of another type", _with(COMPLETE, None, "data", "options", 0, "value")),
    ("autocomplete with nothing focused", _without(COMPLETE, "data", "options", 0, "focused")),
    ("press whose data is a list", _with(ADD, [1], "data") | {"type": 3}),
]


@pytest.mark.parametrize(("case", "payload"), MISSHAPEN, ids=[m[0] for m in MISSHAPEN])
async def test_a_signed_interaction_of_the_wrong_shape_gets_400_and_no_traceback(
    endpoint: Endpoint,
    context: Context,
    caplog: pytest.LogCaptureFixture,
    case: str,
    payload: dict[str, Any],
) -> None:
    """Signed, but not shaped as Discord documents: 400, no call out, no write, no ERROR."""
    body = json.dumps(payload).encode()
    before = len(endpoint.fake.requests)
    with caplog.at_level(logging.DEBUG):
        status, answer = await endpoint.post(body, signed(body))
    assert (status, answer.startswith(b"not an interaction as Discord sends it")) == (400, True)
    assert len(endpoint.fake.requests) == before
    assert await context.store.live_quotes(f"discord:{GUILD}", "sdet") == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


STALE = [
    ("a command the bot does not have", command("nope")(role="sdet")),
    ("an option the command does not have", command("roast")(job="sdet")),
    ("a subcommand the group does not have", command("burnward", "nope")(role="sdet")),
]


@pytest.mark.parametrize(("case", "payload"), STALE, ids=[s[0] for s in STALE])
async def test_a_command_discord_knows_otherwise_is_a_private_line_not_a_traceback(
    endpoint: Endpoint, caplog: pytest.LogCaptureFixture, case: str, payload: dict[str, Any]
) -> None:
    """Commands not yet synced (or forged): a private "try again" answer, one warning line."""
    with caplog.at_level(logging.DEBUG):
        answer = await endpoint.answer(payload)
    assert answer["data"]["flags"] == 64, case
    description = answer["data"]["embeds"][0]["description"]
    assert (
        description
        == "This command has changed since Discord last synced it. Try again in a minute."
    )
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert [r.exc_info for r in caplog.records if r.exc_info] == []


async def test_a_replayed_interaction_is_refused_and_does_no_work_twice(
    endpoint: Endpoint, context: Context, caplog: pytest.LogCaptureFixture
) -> None:
    """The same signed request twice at once, then again: one 200, the replays 401, one quote."""
    body = json.dumps(
        command("burnward", "add", permissions=MANAGE_SERVER)(role="sdet", quote="Once")
    ).encode()
    with caplog.at_level(logging.DEBUG):
        together = await asyncio.gather(*(endpoint.post(body, signed(body)) for _ in range(2)))
        again, _ = await endpoint.post(body, signed(body))
    assert (sorted(status for status, _ in together), again) == ([200, 401], 401)
    quotes = await context.store.live_quotes(f"discord:{GUILD}", "sdet")
    assert [q.text for q in quotes] == ["Once"]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_replay_memory_keeps_ids_only_while_a_copy_could_still_verify() -> None:
    """An id is refused for twice the allowed skew after it arrived, then forgotten."""
    seen = FirstSeen(max_skew=300)
    assert [seen.first("1", 0), seen.first("2", 10), seen.first("1", 600)] == [True, True, False]
    assert [seen.first("3", 605), seen.first("1", 606), seen.first("2", 606)] == [True, True, False]


@pytest.mark.parametrize(
    ("case", "payload"),
    [
        ("an option the command does not have", autocomplete("roast")("job", job="sd")),
        (
            "an option that is not completed",
            autocomplete("roast")("section", role="sdet", section="b"),
        ),
    ],
)
async def test_autocomplete_of_an_option_the_bot_does_not_complete_gets_no_choices(
    endpoint: Endpoint, caplog: pytest.LogCaptureFixture, case: str, payload: dict[str, Any]
) -> None:
    """Signed autocomplete focused on an unknown option: 200 with no choices, no ERROR."""
    with caplog.at_level(logging.DEBUG):
        answer = await endpoint.answer(payload)
    assert answer == {"type": 8, "data": {"choices": []}}, case
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_zone_autocomplete_offers_only_zones_a_subscription_takes(pair: Pair) -> None:
    """`localtime` (the host's own setting) and `Factory` are not offered: subscribing refuses
    them."""
    for typed in ("localtime", "factory"):
        _, http = await pair.both(autocomplete("specimen", "subscribe")("zone", zone=typed))
        assert json.loads(http)["data"]["choices"] == []
