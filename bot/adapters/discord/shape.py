"""The shape of an interaction Discord delivers over HTTP, checked before discord.py reads it.

discord.py trusts the gateway and Discord's documented payloads: a signed body with a field
of the wrong type (`data` a string, an option without its value, a guild without the member
who acted) makes it raise deep inside its parsers. `well_shaped` says whether a payload has
the fields discord.py and roastbot read, each of the type Discord documents
(https://discord.com/developers/docs/interactions/receiving-and-responding), so anything
else can be refused with a 400 before it is read. Fields nobody reads are left unchecked.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Snowflake = Annotated[str, Field(pattern=r"^[0-9]{1,20}$")]
Bitfield = Annotated[str, Field(pattern=r"^[0-9]{1,40}$")]  # permissions, as a decimal string
COMMAND, COMPONENT, AUTOCOMPLETE, FORM = 2, 3, 4, 5
SUBCOMMAND_TYPES = frozenset({1, 2})  # a subcommand or a group: options, no value
VALUE_TYPES: dict[int, tuple[type, ...]] = {
    3: (str,),  # string
    4: (int,),  # integer
    5: (bool,),  # boolean
    6: (str,),  # user (a snowflake, as a string)
    7: (str,),  # channel
    8: (str,),  # role
    9: (str,),  # mentionable
    10: (int, float),  # number
    11: (str,),  # attachment
}


class _Fields(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow", frozen=True)


class _User(_Fields):
    id: Snowflake


class _Member(_Fields):
    user: _User


class _Option(_Fields):
    name: str
    type: Annotated[int, Field(ge=1, le=11)]
    value: str | bool | int | float | None = None
    options: list[_Option] = []
    focused: bool = False

    @model_validator(mode="after")
    def _value_fits_type(self) -> _Option:
        if self.type in SUBCOMMAND_TYPES:
            if self.value is not None:
                raise ValueError("a subcommand carries options, not a value")
        elif type(self.value) not in VALUE_TYPES[self.type] and not (
            self.focused and type(self.value) is str  # what was typed so far, for autocomplete
        ):
            raise ValueError(f"an option of type {self.type} needs a value of its type")
        return self


class _CommandData(_Fields):
    id: Snowflake
    name: str
    type: Literal[1, 2, 3]
    options: list[_Option] = []


class _ComponentData(_Fields):
    custom_id: str
    component_type: int
    values: list[str] = []


class _FormData(_Fields):
    """Any object: a form's fields are read back whatever their shape (`modal`)."""


class _Interaction(_Fields):
    id: Snowflake
    application_id: Snowflake
    type: int
    token: str
    version: int
    attachment_size_limit: int
    guild_id: Snowflake | None = None
    channel_id: Snowflake | None = None
    channel: dict[str, Any] = {}
    member: _Member | None = None
    user: _User | None = None
    message: dict[str, Any] | None = None
    entitlements: list[dict[str, Any]] = []
    authorizing_integration_owners: dict[Snowflake, Snowflake] = {}
    app_permissions: Bitfield = "0"

    @model_validator(mode="after")
    def _someone_acted(self) -> _Interaction:
        if self.guild_id is not None and self.member is None:
            raise ValueError("an interaction in a guild names the member who acted")
        if self.guild_id is None and self.user is None:
            raise ValueError("an interaction outside a guild names the user who acted")
        return self


DATA: dict[int, type[_Fields]] = {
    COMMAND: _CommandData,
    AUTOCOMPLETE: _CommandData,
    COMPONENT: _ComponentData,
    FORM: _FormData,
}


def well_shaped(payload: dict[str, Any]) -> str | None:
    """None when `payload` (an interaction of a served type) has the shape Discord documents;
    otherwise a short reason, for the log line."""
    try:
        _Interaction.model_validate(payload)
    except ValidationError as exc:
        return _reason(exc)
    try:
        data = DATA[payload["type"]].model_validate(payload.get("data"))
    except ValidationError as exc:
        return _reason(exc, "data")
    focused = isinstance(data, _CommandData) and sum(o.focused for o in _all(data.options))
    if payload["type"] == AUTOCOMPLETE and focused != 1:
        return "data.options: autocomplete has one focused option"
    return None


def _all(options: list[_Option]) -> list[_Option]:
    return [every for option in options for every in (option, *_all(option.options))]


def _reason(exc: ValidationError, *within: str) -> str:
    first = exc.errors()[0]
    where = ".".join([*within, *(str(part) for part in first["loc"])]) or "the interaction"
    return f"{where}: {first['msg']}"[:200]
