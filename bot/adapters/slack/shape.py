"""The shape of what Slack posts to `POST /slack/events`, checked before Bolt reads it.

Bolt and the listeners trust Slack's documented payloads: a signed body with a field of
the wrong type (`actions` a string, an action without `action_id`, an `event` that is not
an object, a user id that is a number, a command without its `response_url`) makes them
raise while matching or answering. `misshapen` says what is wrong with such a body, so
the `Gate` can refuse it with a 400 before Bolt sees it. Fields nobody reads are left
unchecked, and every field may be missing where Slack may leave it out.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import parse_qsl

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

NEVER_NULL = ("event", "view", "actions")
SUBMITTED = ("view_submission", "view_closed")
Url = Annotated[str, Field(pattern=r"^https?://[^\s/?#]+(/\S*)?$")]


class _Fields(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow", frozen=True)


class _Named(_Fields):
    id: str


Someone = str | _Named | None
"""A user, channel, team or enterprise: its id, or an object holding it."""


class _Chosen(_Fields):
    value: str | None = None


class _Action(_Fields):
    action_id: str
    type: str | None = None
    value: str | None = None
    selected_option: _Chosen | None = None


class _View(_Fields):
    type: str | None = None
    callback_id: str | None = None
    private_metadata: str | None = None
    state: dict[str, dict[str, dict[str, Any]]] | None = None


class _Event(_Fields):
    type: str
    user: Someone = None
    channel: Someone = None
    item: dict[str, Any] | None = None


class _Payload(_Fields):
    type: str | None = None
    user: Someone = None
    channel: Someone = None
    team: Someone = None
    enterprise: Someone = None
    actions: list[_Action] | None = None
    container: dict[str, Any] | None = None
    view: _View | None = None
    event: _Event | None = None
    message: dict[str, Any] | None = None
    response_url: Url | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_null_parts(cls, data: Any) -> Any:
        """Bolt looks inside `event`, `view` and `actions` whenever the key is there."""
        if isinstance(data, dict):
            for key in NEVER_NULL:
                if key in data and data[key] is None:
                    raise ValueError(f"{key} is null")
        return data

    @model_validator(mode="after")
    def _what_its_type_carries(self) -> _Payload:
        if self.type == "block_actions" and not self.actions:
            raise ValueError("a block_actions payload carries the pressed action")
        if self.type in SUBMITTED and (self.view is None or self.view.type is None):
            raise ValueError(f"a {self.type} payload carries the view and its type")
        return self


class _Command(_Fields):
    command: str
    response_url: Url


def misshapen(body: str, is_json: bool) -> str | None:
    """Why `body` (signed, UTF-8) is not what Slack sends, or None when it is.

    JSON bodies are Events API callbacks; forms are slash commands, or carry an
    interactivity payload as the JSON object in their `payload` field.
    """
    if is_json or body.startswith("{"):  # Bolt reads a body opening with "{" as JSON
        return _object(body)
    fields = dict(parse_qsl(body, keep_blank_values=True))  # as Bolt reads a form
    if "payload" in fields:
        return _object(fields["payload"], "payload")
    if "command" in fields:
        return _checked(_Command, fields)
    return None


def _object(text: str, name: str = "the JSON body") -> str | None:
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to read
        return f"{name} is not JSON"
    if not isinstance(payload, dict):
        return f"{name} is not an object"
    return _checked(_Payload, payload)


def _checked(model: type[_Fields], payload: dict[str, Any]) -> str | None:
    try:
        model.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the body"
        return f"{where}: {first['msg']}"[:200]
    return None
