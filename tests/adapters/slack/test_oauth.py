"""Installs in many workspaces: Bolt's OAuth flow against the fake, per-team tokens, uninstalls."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import pytest_asyncio
from aiohttp import ClientSession, DummyCookieJar, web
from cryptography.fernet import Fernet

from bot.adapters.slack import build_app
from bot.adapters.slack.installations import StoreInstallations
from bot.adapters.slack.oauth import BOT_SCOPES
from bot.adapters.slack.poster import open_poster
from bot.adapters.slack.runtime import daily_poster, serve
from bot.adapters.slack.uninstall import REVOKED, UNINSTALLED
from bot.cards.model import Card, Reply
from bot.runtime.context import Context
from bot.runtime.lifecycle import IN_FLIGHT
from bot.runtime.poster import DeliveryError
from bot.runtime.settings import Settings, SettingsError
from bot.store import StoreUnavailable
from tests.adapters.slack.fake_slack import (
    CHANNEL,
    CLIENT_ID,
    CLIENT_SECRET,
    LISTED,
    WAIT,
    Call,
    FakeSlack,
    SlackBench,
    bench,
    command_payload,
    fake,
    slack_settings,
)
from tests.conftest import rows
from tests.logwatch import watching
from tests.process import free_port

__all__ = ["fake"]  # fixtures

KEY = Fernet.generate_key().decode()
T1, T2 = "T1", "T2"
STATE_COOKIE = "slack-app-oauth-state"


def many_settings(fake: FakeSlack, tmp_path: Path, **env: str) -> Settings:
    """Settings for installs in many workspaces: client id and secret, no bot token."""
    values = {
        "SLACK_BOT_TOKEN": "",
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "ROASTBOT_SECRET_KEY": KEY,
        "ROASTBOT_SLACK_ADMINS": LISTED,
    }
    return slack_settings(fake, tmp_path, **(values | env))


@pytest_asyncio.fixture
async def installs(fake: FakeSlack, context: Context, tmp_path: Path) -> AsyncIterator[SlackBench]:
    """The app in multi-workspace mode over HTTP, the install pages on the same site."""
    async with bench(fake, build_app(many_settings(fake, tmp_path), context=context)) as running:
        yield running
    assert running.errors == []


async def get(
    slack: SlackBench, path: str, cookie: str | None = None
) -> tuple[int, str, dict[str, str]]:
    """GET a page as a browser would (no cookies but `cookie`); status, text, headers."""
    headers = {"Cookie": f"{STATE_COOKIE}={cookie}"} if cookie is not None else {}
    async with (
        ClientSession(cookie_jar=DummyCookieJar()) as session,
        session.get(slack.url + path, headers=headers, allow_redirects=False) as response,
    ):
        return response.status, await response.text(), dict(response.headers)


async def begin(slack: SlackBench) -> tuple[str, str]:
    """Open the install page; the state in its Slack link, and the one in its cookie."""
    status, page, headers = await get(slack, "/slack/install")
    assert status == 200, page
    link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page)
    assert link is not None, page
    query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    cookie = re.match(rf"{STATE_COOKIE}=([^;]+);", headers["Set-Cookie"])
    assert cookie is not None
    return query["state"][0], cookie.group(1)


async def install(slack: SlackBench, team: str) -> str:
    """Install the app into `team` through both pages; return the success page."""
    state, cookie = await begin(slack)
    code = f"code-{team}-{len(slack.fake.calls)}"
    slack.fake.codes[code] = team
    status, page, _ = await get(slack, f"/slack/oauth_redirect?code={code}&state={state}", cookie)
    assert status == 200, page
    return page


async def command(
    slack: SlackBench, team: str, command: str, text: str = "", **fields: str
) -> Call:
    """A signed slash command from `team`, answered on its response_url."""
    return await slack.command(command, text, team=team, **fields)


async def event(slack: SlackBench, team: str, event: dict[str, object]) -> tuple[int, str]:
    """A signed Events API callback from `team`, as Slack posts it (JSON)."""
    body = {
        "token": "legacy-verification-token",
        "team_id": team,
        "api_app_id": "A1",
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev{team}{len(slack.fake.calls)}",
        "event_time": 1764000000,
    }
    return await slack.send(json.dumps(body).encode(), content_type="application/json")


def sent_with(fake: FakeSlack, team: str, since: int = 0) -> list[str]:
    """The API methods called, from call number `since` on, with one of `team`'s tokens."""
    tokens = set(fake.tokens_of(team))
    return [
        call.method
        for call in fake.calls[since:]
        if call.authorization.removeprefix("Bearer ") in tokens
    ]


async def test_the_install_page_links_to_slack_with_the_scopes_and_a_one_time_state(
    installs: SlackBench, context: Context
) -> None:
    """`GET /slack/install`: an Add to Slack link with our client id, scopes and a fresh state."""
    status, page, headers = await get(installs, "/slack/install")
    assert status == 200 and "Add to Slack" in page
    link = re.search(r'href="([^"]+)"', page)
    assert link is not None
    query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == [",".join(BOT_SCOPES)]
    assert headers["Set-Cookie"].startswith(f"{STATE_COOKIE}={query['state'][0]};")
    assert await rows(context.store, "SELECT state FROM slack_oauth_states") == [
        (query["state"][0],)
    ]
    second, _ = await begin(installs)
    assert second != query["state"][0]


async def test_a_redirect_with_a_valid_state_installs_and_says_what_to_do_next(
    installs: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """The code is exchanged at SLACK_API_URL with the client's credentials; the page guides."""
    page = await install(installs, T1)
    assert "roastbot is installed" in page and "Team T1" in page
    assert "/roast Enterprise Architect" in page and "/specimen subscribe" in page
    [exchange] = fake.to("oauth.v2.access")
    assert exchange.args["code"].startswith("code-T1-")
    stored = await context.store.slack_install("", T1)
    assert stored is not None and stored.bot_user_id == "UBOT" and stored.installer_user_id
    assert stored.bot_scopes == ",".join(BOT_SCOPES)
    assert await rows(context.store, "SELECT count(*) FROM slack_oauth_states") == [(0,)]


async def test_the_installation_row_never_holds_a_token_in_plain_text(
    installs: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """Every column of the row is free of the bot and refresh tokens; the key opens them."""
    fake.rotating = True
    await install(installs, T1)
    [token] = fake.tokens_of(T1)
    [refresh] = fake.refresh_tokens
    [row] = await rows(context.store, "SELECT * FROM slack_installations")
    assert all(token not in str(value) and refresh not in str(value) for value in row)
    sealed = await rows(
        context.store, "SELECT bot_token, bot_refresh_token FROM slack_installations"
    )
    fernet = Fernet(KEY)
    assert [fernet.decrypt(str(value).encode()).decode() for value in sealed[0]] == [
        token,
        refresh,
    ]


async def test_a_replayed_state_is_refused_and_nothing_more_is_stored(
    installs: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """The same state a second time: a 4xx page, no code exchanged, the other team not stored."""
    state, cookie = await begin(installs)
    fake.codes |= {"first": T1, "second": T2}
    status, _, _ = await get(installs, f"/slack/oauth_redirect?code=first&state={state}", cookie)
    assert status == 200
    status, page, _ = await get(
        installs, f"/slack/oauth_redirect?code=second&state={state}", cookie
    )
    assert status == 401
    assert "already used, or it expired. Nothing was installed." in page
    assert [call.args["code"] for call in fake.to("oauth.v2.access")] == ["first"]
    assert await context.store.slack_install("", T2) is None


@pytest.mark.parametrize(
    ("case", "query", "cookie", "status", "says"),
    [
        ("forged state", "code=c&state=forged", "forged", 401, "already used, or it expired"),
        (
            "forged state of our shape",
            f"code=c&state={'A' * 43}",
            "A" * 43,
            401,
            "already used, or it expired",
        ),
        ("state with a NUL", "code=c&state=%00", "%00", 400, "not started in this browser"),
        ("state of 4,000 characters", f"code=c&state={'s' * 4000}", "s" * 4000, 401, "expired"),
        ("no cookie", "code=c&state=forged", None, 400, "not started in this browser"),
        ("cookie of another state", "code=c&state=forged", "other", 400, "this browser"),
        ("no state at all", "code=c", "x", 400, "not started in this browser"),
        ("cancelled in Slack", "error=access_denied&state=s", "s", 400, "cancelled in Slack"),
    ],
)
async def test_a_forged_or_broken_redirect_is_refused_and_nothing_is_stored(
    installs: SlackBench,
    fake: FakeSlack,
    context: Context,
    case: str,
    query: str,
    cookie: str | None,
    status: int,
    says: str,
) -> None:
    """A redirect this browser's install did not start: a clear 4xx page, no exchange, no row."""
    fake.codes["c"] = T1
    answer, page, _ = await get(installs, f"/slack/oauth_redirect?{query}", cookie)
    assert (answer, says in page, "Nothing was installed." in page) == (status, True, True), case
    assert fake.to("oauth.v2.access") == []
    assert await rows(context.store, "SELECT count(*) FROM slack_installations") == [(0,)]


async def test_an_error_sent_back_by_a_stranger_is_shown_short_and_plain(
    installs: SlackBench, fake: FakeSlack
) -> None:
    """`?error=` of 5,000 characters with markup and line breaks: a 400 page quoting a short,
    escaped piece of it, no exchange."""
    error = "%3Cscript%3E%0A" + "x" * 5000
    answer, page, _ = await get(installs, f"/slack/oauth_redirect?error={error}&state=s", "s")
    assert answer == 400 and "Nothing was installed." in page
    assert "&lt;script&gt;" in page and "<script>" not in page and "x" * 100 not in page
    assert fake.to("oauth.v2.access") == []


@pytest.mark.parametrize(
    ("case", "answer"),
    [
        ("Slack refuses the code", None),
        ("Slack answers 500", lambda call: web.Response(status=500, text="upstream broke")),
        ("Slack answers junk", lambda call: web.Response(status=200, text="<html>")),
    ],
)
async def test_a_failed_oauth_access_gives_a_clear_page_and_stores_nothing(
    installs: SlackBench, fake: FakeSlack, context: Context, case: str, answer: object
) -> None:
    """oauth.v2.access fails: a 4xx page saying so, no installation stored."""
    if answer is not None:
        fake.answers["oauth.v2.access"] = answer  # type: ignore[assignment]
    state, cookie = await begin(installs)
    status, page, _ = await get(
        installs, f"/slack/oauth_redirect?code=unknown&state={state}", cookie
    )
    assert status == 401, (case, page)
    assert "Slack did not accept the install" in page and "Nothing was installed." in page
    assert len(fake.to("oauth.v2.access")) == 1
    assert await rows(context.store, "SELECT count(*) FROM slack_installations") == [(0,)]


async def test_two_workspaces_are_each_served_with_their_own_token(
    installs: SlackBench, fake: FakeSlack
) -> None:
    """A signed command from each team calls Slack with that team's token, and only it."""
    await install(installs, T1)
    await install(installs, T2)
    [token1], [token2] = fake.tokens_of(T1), fake.tokens_of(T2)
    for team, token in ((T1, token1), (T2, token2)):
        before = len(fake.calls)
        roast = await command(installs, team, "/roast", "SDET")
        assert roast.args["response_type"] == "in_channel"
        listed = await command(installs, team, "/burnward", "list sdet")
        assert listed.args["response_type"] == "ephemeral"
        api_calls = [c for c in fake.calls[before:] if c.method not in ("response",)]
        assert {c.method for c in api_calls} == {"auth.test", "users.info"}
        assert {c.authorization for c in api_calls} == {f"Bearer {token}"}


async def test_a_quote_added_in_one_workspace_is_not_listed_in_the_other(
    installs: SlackBench,
) -> None:
    """Each installed workspace has its own burn ward."""
    await install(installs, T1)
    await install(installs, T2)
    await command(installs, T1, "/burnward", "add sdet | Flaky by design", user=LISTED)
    here = await command(installs, T1, "/burnward", "list sdet")
    there = await command(installs, T2, "/burnward", "list sdet")
    assert "Flaky by design" in here.raw
    assert "Flaky by design" not in there.raw


async def test_daily_posts_go_out_with_each_workspaces_own_token(
    installs: SlackBench, fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """The poster picks the team's token per post, over the one shared session."""
    await install(installs, T1)
    await install(installs, T2)
    app = build_app(many_settings(fake, tmp_path), context=context)
    poster = daily_poster(app, many_settings(fake, tmp_path))
    reply = Reply(cards=(Card(title="Specimen"),))
    for team in (T1, T2):
        await poster.post(team, CHANNEL, reply)
    posts = fake.to("chat.postMessage")
    assert [p.authorization for p in posts] == [
        f"Bearer {fake.tokens_of(T1)[0]}",
        f"Bearer {fake.tokens_of(T2)[0]}",
    ]


async def _subscribe_both(installs: SlackBench) -> None:
    for team in (T1, T2):
        answer = await command(installs, team, "/specimen", "subscribe 09:00 UTC", user=LISTED)
        assert answer.args["text"].startswith("This channel gets a specimen every day"), answer.raw


async def test_app_uninstalled_forgets_the_team_and_pauses_its_subscriptions(
    installs: SlackBench, fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """After app_uninstalled no call uses that team's token; its posts pause with the reason."""
    await install(installs, T1)
    await install(installs, T2)
    await _subscribe_both(installs)
    await command(installs, T1, "/burnward", "add sdet | Kept after uninstall", user=LISTED)
    status, _ = await event(installs, T1, {"type": "app_uninstalled", "event_ts": "1.0"})
    assert status == 200
    await asyncio.wait_for(IN_FLIGHT.idle(), WAIT)
    mark = len(fake.calls)

    assert await context.store.slack_install("", T1) is None
    paused = {s.place.workspace_id: s.paused_reason for s in await context.store.subscriptions()}
    assert paused == {T1: UNINSTALLED, T2: None}
    assert [q.text for q in await context.store.live_quotes(f"slack:{T1}", "sdet")] == [
        "Kept after uninstall"
    ]
    refused = await command(installs, T1, "/roast", "SDET")
    assert "reinstall" in refused.args["text"]
    poster = daily_poster(
        build_app(many_settings(fake, tmp_path), context=context), many_settings(fake, tmp_path)
    )
    with pytest.raises(DeliveryError) as caught:
        await poster.post(T1, CHANNEL, Reply(cards=(Card(title="Specimen"),)))
    assert caught.value.permanent
    await command(installs, T2, "/roast", "SDET")
    assert sent_with(fake, T1, mark) == []
    assert sent_with(fake, T2, mark) == ["auth.test"]


async def test_a_reinstall_then_subscribe_resumes_the_paused_subscription(
    installs: SlackBench, context: Context
) -> None:
    """/specimen status says why it paused; /specimen subscribe after the reinstall resumes."""
    await install(installs, T1)
    await command(installs, T1, "/specimen", "subscribe 09:00 UTC", user=LISTED)
    await event(installs, T1, {"type": "app_uninstalled", "event_ts": "1.0"})
    await asyncio.wait_for(IN_FLIGHT.idle(), WAIT)
    await install(installs, T1)
    status = await command(installs, T1, "/specimen", "status")
    assert UNINSTALLED in status.raw
    await command(installs, T1, "/specimen", "subscribe 09:00 UTC", user=LISTED)
    [subscription] = await context.store.subscriptions()
    assert subscription.paused_reason is None


@pytest.mark.parametrize(
    ("tokens", "forgotten"),
    [({"bot": ["UBOT"]}, True), ({"oauth": ["U1"]}, False)],
)
async def test_tokens_revoked_forgets_the_team_only_when_the_bot_token_went(
    installs: SlackBench, context: Context, tokens: dict[str, list[str]], forgotten: bool
) -> None:
    """A revoked bot token is an uninstall in all but name; a user's alone changes nothing."""
    await install(installs, T1)
    await command(installs, T1, "/specimen", "subscribe 09:00 UTC", user=LISTED)
    status, _ = await event(installs, T1, {"type": "tokens_revoked", "tokens": tokens})
    assert status == 200
    await asyncio.wait_for(IN_FLIGHT.idle(), WAIT)
    assert (await context.store.slack_install("", T1) is None) is forgotten
    [subscription] = await context.store.subscriptions()
    assert subscription.paused_reason == (REVOKED if forgotten else None)


async def test_an_expiring_token_is_refreshed_before_use_and_the_new_one_kept(
    installs: SlackBench, fake: FakeSlack, context: Context
) -> None:
    """Token rotation: oauth.v2.access with the refresh token, then every call uses the new one."""
    fake.rotating = True
    await install(installs, T1)
    [first] = fake.tokens_of(T1)
    [refresh] = fake.refresh_tokens
    before = len(fake.calls)
    await command(installs, T1, "/burnward", "list sdet")
    [rotation] = fake.to("oauth.v2.access")[1:]
    assert (rotation.args["grant_type"], rotation.args["refresh_token"]) == (
        "refresh_token",
        refresh,
    )
    [_, second] = fake.tokens_of(T1)
    used = [c.authorization for c in fake.calls[before:] if c.method in ("auth.test", "users.info")]
    assert used == [f"Bearer {second}", f"Bearer {second}"]
    await command(installs, T1, "/burnward", "list sdet")
    assert len(fake.to("oauth.v2.access")) == 2  # the new token lasts: no second refresh
    assert sent_with(fake, T1, before) == ["auth.test", "users.info", "auth.test"]
    assert first not in {c.authorization.removeprefix("Bearer ") for c in fake.calls[before:]}
    stored = await context.store.slack_install("", T1)
    assert stored is not None and Fernet(KEY).decrypt(stored.bot_token.encode()).decode() == second


async def test_the_daily_poster_refreshes_an_expiring_token_too(
    installs: SlackBench, fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """A post for a team whose token is expiring rotates it first, and posts with the new one."""
    fake.rotating = True
    await install(installs, T1)
    settings = many_settings(fake, tmp_path)
    poster = daily_poster(build_app(settings, context=context), settings)
    await poster.post(T1, CHANNEL, Reply(cards=(Card(title="Specimen"),)))
    [_, second] = fake.tokens_of(T1)
    assert [p.authorization for p in fake.to("chat.postMessage")] == [f"Bearer {second}"]


def test_many_workspaces_refuse_to_start_without_the_secret_key(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """No ROASTBOT_SECRET_KEY: one line naming it, before anything is served."""
    with pytest.raises(SettingsError) as caught:
        build_app(many_settings(fake, tmp_path, ROASTBOT_SECRET_KEY=""), context=context)
    assert str(caught.value).startswith("ROASTBOT_SECRET_KEY: not set; SLACK_CLIENT_ID mode")
    assert "\n" not in str(caught.value)


async def test_single_workspace_mode_refuses_a_signed_request_from_another_team(
    fake: FakeSlack, context: Context, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SLACK_BOT_TOKEN's team is T1: a signed /burnward add from T2 gets a 403, is not served
    and stores nothing; T1 is served as ever."""
    caplog.set_level(logging.INFO, logger="bot.adapters.slack.teams")
    settings = slack_settings(fake, tmp_path, ROASTBOT_SLACK_ADMINS=LISTED)
    async with bench(fake, build_app(settings, context=context)) as slack:
        form = command_payload(fake, "/burnward", "add sdet | From elsewhere", name="x", team=T2)
        form["user_id"] = LISTED
        status, body = await slack.post(urlencode(form))
        assert (status, json.loads(body)) == (
            403,
            {"error": "this roastbot serves another Slack workspace"},
        )
        assert fake.to("response") == []
        assert await context.store.all_quotes() == []
        assert await slack.command("/roast", "SDET")  # its own team still served
    assert "slack: refused a request from team T2: SLACK_BOT_TOKEN serves T1 only" in [
        r.getMessage() for r in caplog.records
    ]


async def test_serving_many_workspaces_says_so_and_serves_the_install_page(
    fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """No token to check at start: the first line names the mode and the install routes."""
    port = free_port()
    settings = many_settings(fake, tmp_path, ROASTBOT_HTTP_PORT=str(port))
    stop = asyncio.Event()
    with watching("bot.adapters.slack.runtime") as start_log:
        task = asyncio.create_task(serve(context, settings, stop))
        await asyncio.wait_for(start_log.first.wait(), WAIT)
    assert start_log.records[0].getMessage() == (
        "slack: HTTP mode as the workspaces that install it (SLACK_CLIENT_ID), listening on"
        f" 127.0.0.1:{port} at POST /slack/events, GET /slack/install,"
        " GET /slack/oauth_redirect (and GET /healthz)"
    )
    running = SlackBench(fake, f"http://127.0.0.1:{port}")
    await install(running, T1)
    assert (await command(running, T1, "/roast", "SDET")).args["response_type"] == "in_channel"
    assert context.posters["slack"].platform == "slack"
    stop.set()
    await asyncio.wait_for(task, WAIT)
    assert [call.method for call in fake.calls][:2] == ["oauth.v2.access", "auth.test"]


async def test_post_due_posts_with_each_workspaces_stored_token(
    installs: SlackBench, fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """`open_poster` (roastbot post-due) opens the installations itself and picks the token."""
    await install(installs, T2)
    settings = many_settings(fake, tmp_path)
    async with open_poster(settings) as poster:
        await poster.post(T2, CHANNEL, Reply(cards=(Card(title="Specimen"),)))
        with pytest.raises(DeliveryError, match="not installed in workspace T1"):
            await poster.post(T1, CHANNEL, Reply(cards=(Card(title="Specimen"),)))
    assert [p.authorization for p in fake.to("chat.postMessage")] == [
        f"Bearer {fake.tokens_of(T2)[0]}"
    ]


async def test_a_database_out_of_reach_is_a_503_page_not_a_traceback(
    installs: SlackBench, fake: FakeSlack, context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state cannot be issued, or the install cannot be saved: 503, try again soon."""
    state, cookie = await begin(installs)

    async def unavailable(*args: object, **kwargs: object) -> None:
        raise StoreUnavailable("the database server cannot be reached")

    monkeypatch.setattr(context.store, "issue_oauth_state", unavailable)
    status, page, _ = await get(installs, "/slack/install")
    assert (status, "cannot reach its database" in page) == (503, True)
    monkeypatch.setattr(context.store, "save_slack_install", unavailable)
    fake.codes["c"] = T1
    status, page, _ = await get(installs, f"/slack/oauth_redirect?code=c&state={state}", cookie)
    assert (status, "could not be saved" in page, "Nothing was installed." in page) == (
        503,
        True,
        True,
    )


async def test_the_home_tab_of_an_installed_workspace_is_published_with_its_token(
    installs: SlackBench, fake: FakeSlack
) -> None:
    """app_home_opened arrives as signed JSON over HTTP; views.publish uses that team's token."""
    await install(installs, T1)
    await install(installs, T2)
    opened = {"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"}
    status, _ = await event(installs, T2, opened | {"event_ts": "1763715600.000100"})
    assert status == 200
    [published] = await fake.wait_for("views.publish")
    assert published.args["user_id"] == "U1"
    assert published.authorization == f"Bearer {fake.tokens_of(T2)[0]}"


async def test_the_installation_store_speaks_slack_sdks_interface(
    installs: SlackBench, fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """find_bot opens the token; a user's own installation is never kept, so deleting one
    leaves the workspace's; delete_all forgets it."""
    await install(installs, T1)
    app = build_app(many_settings(fake, tmp_path), context=context)
    store = app.installation_store
    assert isinstance(store, StoreInstallations)
    bot = await store.async_find_bot(enterprise_id=None, team_id=T1)
    assert bot is not None and (bot.bot_token, bot.team_id) == (fake.tokens_of(T1)[0], T1)
    assert await store.async_find_installation(enterprise_id=None, team_id=T1, user_id="U1") is None
    await store.async_delete_installation(enterprise_id=None, team_id=T1, user_id="U1")
    assert await store.async_find_installation(enterprise_id=None, team_id=T1) is not None
    await store.async_delete_all(enterprise_id=None, team_id=T1)
    assert await store.async_find_bot(enterprise_id=None, team_id=T1) is None


async def test_a_token_sealed_under_another_key_is_no_installation(
    installs: SlackBench, fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """ROASTBOT_SECRET_KEY changed since the install: the workspace must install again."""
    await install(installs, T1)
    other = many_settings(fake, tmp_path, ROASTBOT_SECRET_KEY=Fernet.generate_key().decode())
    store = build_app(other, context=context).installation_store
    assert isinstance(store, StoreInstallations)
    assert await store.async_find_installation(enterprise_id=None, team_id=T1) is None


async def test_review_edits_and_direct_messages_use_the_workspaces_own_token(
    installs: SlackBench, fake: FakeSlack, context: Context, tmp_path: Path
) -> None:
    """The poster's chat.update and the DM (conversations.open, chat.postMessage) of the
    review channel go out with the team's token too."""
    await install(installs, T1)
    await install(installs, T2)
    settings = many_settings(fake, tmp_path)
    poster = daily_poster(build_app(settings, context=context), settings)
    reply = Reply(cards=(Card(title="Decided"),))
    await poster.edit(T2, CHANNEL, "1764000000.000100", reply)
    await poster.send_direct(T2, "U1", reply)
    sent = [
        c
        for c in fake.calls
        if c.method in ("chat.update", "conversations.open", "chat.postMessage")
    ]
    assert [c.method for c in sent] == ["chat.update", "conversations.open", "chat.postMessage"]
    assert {c.authorization for c in sent} == {f"Bearer {fake.tokens_of(T2)[0]}"}
