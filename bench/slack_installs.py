"""`/roast` on Slack with one bot token vs installed in many workspaces (OAuth installs).

Installed in many workspaces, each request first finds its team's installation in the
store, opens its sealed token (Fernet) and checks it with `auth.test` (Bolt's installation
authorize), where one workspace's token is checked once. Requests alternate between two
installed teams. The fake Slack runs in a child process (the tests' own), so only the bot
side's CPU is counted; rounds interleave the two modes and print CPU time per request and
the ratio, many workspaces over one.

    .venv/bin/python -m bench.slack_installs [--rounds N] [--requests N]

(run from the repository root: the fake is the tests' own, in `tests/adapters/`)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet
from slack_bolt.async_app import AsyncApp
from slack_sdk.oauth.installation_store import Installation

from bench.adapters import SECRET, Send, _cpu_per_request, serving_fakes, slack_request
from bot.adapters.slack.bolt_app import create_app
from bot.adapters.slack.client import open_web_client
from bot.adapters.slack.contexts import ContextSource
from bot.adapters.slack.installations import StoreInstallations
from bot.adapters.slack.oauth import BOT_SCOPES
from bot.catalog.lookup import Catalog
from bot.runtime.context import Context
from bot.runtime.sealing import Sealer
from bot.runtime.settings import Settings
from bot.store import open_store

TEAMS = ("T1", "T2")
WARM_UP = 100


def _sender(app: AsyncApp, base: str, teams: tuple[str, ...]) -> Send:
    async def send(number: int) -> None:
        response = await app.async_dispatch(
            slack_request(base, number, "U1", teams[number % len(teams)])
        )
        assert response.status == 200, response.body

    return send


async def _install(settings: Settings, context: Context) -> None:
    """Store an installation for each team, as the OAuth redirect would."""
    assert settings.secret_key is not None
    sealer = Sealer(settings.secret_key.get_secret_value())
    installations = StoreInstallations(ContextSource(settings, context), sealer)
    for team in TEAMS:
        await installations.async_save(
            Installation(
                app_id="A1",
                team_id=team,
                bot_token=f"xoxb-{team}-bench",
                bot_id="BBOT",
                bot_user_id="UBOT",
                bot_scopes=",".join(BOT_SCOPES),
                user_id="U0",
            )
        )


async def bench(base: str, workdir: Path, rounds: int, requests: int) -> None:
    """Interleaved rounds of both modes over one store; a line per round, then the median."""
    common = {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"{base}/api/",
        "ROASTBOT_DB": str(workdir / "slack.sqlite3"),
    }
    one = Settings(_env_file=None, SLACK_BOT_TOKEN="xoxb-one-workspace", **common)
    many = Settings(
        _env_file=None,
        SLACK_CLIENT_ID="1111.2222",
        SLACK_CLIENT_SECRET="bench-client-secret",
        ROASTBOT_SECRET_KEY=Fernet.generate_key().decode(),
        **common,
    )
    context = Context(Catalog.load(), await open_store(one.db))
    await _install(many, context)
    async with open_web_client(one) as one_client, open_web_client(many) as many_client:
        one_app = create_app(one, ContextSource(one, context), one_client)
        many_app = create_app(many, ContextSource(many, context), many_client)
        single, multi = _sender(one_app, base, TEAMS[:1]), _sender(many_app, base, TEAMS)
        numbers = iter(range(0, 10**9, requests))
        for send in (single, multi):
            await _cpu_per_request(send, next(numbers), WARM_UP)
        print(f"Slack /roast (CPU ms per request, {requests} requests a round):")
        ratios = []
        for round_number in range(rounds):
            pair = [(single, "one"), (multi, "many")]
            if round_number % 2:
                pair.reverse()
            cost = {name: await _cpu_per_request(s, next(numbers), requests) for s, name in pair}
            ratios.append(cost["many"] / cost["one"])
            print(
                f"  round {round_number + 1:2}: one workspace {cost['one']:6.3f}"
                f"  many workspaces {cost['many']:6.3f}  ratio {ratios[-1]:.2f}"
            )
        print(f"  median ratio, many workspaces over one: {statistics.median(ratios):.2f}")
    await context.store.close()


async def main() -> None:
    """Start the fake in a child process, run the rounds, stop it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    async with serving_fakes() as (_, slack_url):
        with tempfile.TemporaryDirectory() as workdir:
            await bench(slack_url, Path(workdir), args.rounds, args.requests)


if __name__ == "__main__":
    asyncio.run(main())
