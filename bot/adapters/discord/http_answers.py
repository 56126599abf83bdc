"""Send the first answer to an interaction received over HTTP back in that HTTP response.

Over the gateway, every answer to an interaction is a request to Discord's callback
endpoint. An interaction that arrived as an HTTP request is answered in the response
instead: `HttpAnswers` is discord.py's webhook adapter (through which discord.py answers
autocomplete) that hands the first answer of each waiting interaction to the endpoint,
and `responses.send` hands it ours the same way. The JSON is serialised exactly as
discord.py serialises a callback request, so both paths send the same bytes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from discord import utils
from discord.http import MultipartParameters
from discord.webhook.async_ import AsyncWebhookAdapter, async_context


@dataclass
class Pending:
    """One interaction waiting for its first answer: the bytes, and when they went out."""

    body: asyncio.Future[bytes] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    sent: asyncio.Event = field(default_factory=asyncio.Event)


class HttpAnswers(AsyncWebhookAdapter):
    """The first answer of each expected interaction goes to its HTTP response."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._pending: dict[int, Pending] = {}

    def expect(self, interaction_id: int) -> Pending:
        """Wait for the first answer to this interaction."""
        pending = self._pending[interaction_id] = Pending()
        return pending

    def forget(self, interaction_id: int) -> None:
        """Stop waiting (the interaction got no answer, or its request is gone)."""
        self._pending.pop(interaction_id, None)

    def waiting(self, interaction_id: int) -> bool:
        """Whether this interaction's first answer still goes to its HTTP response."""
        return interaction_id in self._pending

    async def answer(self, interaction_id: int, body: dict[str, Any]) -> None:
        """Hand `body` to the HTTP response and return once it has been written."""
        pending = self._pending.pop(interaction_id)
        pending.body.set_result(utils._to_json(body).encode())
        await pending.sent.wait()

    def create_interaction_response(
        self,
        interaction_id: int,
        token: str,
        *,
        session: Any,
        proxy: str | None = None,
        proxy_auth: Any = None,
        params: MultipartParameters,
    ) -> Any:
        """discord.py's own answers (autocomplete): to the HTTP response while it waits."""
        if params.files or not self.waiting(interaction_id):
            return super().create_interaction_response(
                interaction_id,
                token,
                session=session,
                proxy=proxy,
                proxy_auth=proxy_auth,
                params=params,
            )
        return self.answer(interaction_id, params.payload or {})


def answers_over_http(interaction_id: int) -> HttpAnswers | None:
    """The `HttpAnswers` waiting for this interaction's first answer, if it came over HTTP.

    Set for the task answering an HTTP interaction (`async_context`, a context variable).
    """
    adapter = async_context.get()
    if isinstance(adapter, HttpAnswers) and adapter.waiting(interaction_id):
        return adapter
    return None
