"""The dossier model: one role's file record, with the sections of the seed records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_ID_LENGTH = 60

FieldId = Literal[
    "engineering",
    "infrastructure",
    "data-and-ai",
    "security",
    "product-and-design",
    "delivery",
    "go-to-market",
    "people",
    "leadership",
    "finance-and-legal",
    "web3-and-metaverse",
]
FIELD_TITLES: dict[str, str] = dict(
    zip(
        get_args(FieldId),
        (
            "Engineering",
            "Infrastructure and operations",
            "Data and AI",
            "Security and risk",
            "Product and design",
            "Agile and delivery",
            "Sales, marketing and customers",
            "People and workplace",
            "The C-suite",
            "Finance and legal",
            "Web3 and the metaverse",
        ),
        strict=True,
    )
)
"""Every field a role belongs to, in the order the catalog lists them, with its heading."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Clock = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
RoleId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=MAX_ID_LENGTH)]


class _Strict(BaseModel):
    """Shared configuration: no unknown keys, no silent type coercion, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Salary(_Strict):
    """[03] Salary delusion."""

    market_average: Annotated[int, Field(ge=0, le=10_000_000)]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"
    note: Text
    quote: Text


class FlightRisk(_Strict):
    """[04] Flight risk; the LOW/MODERATE/HIGH label is derived from the percent."""

    percent: Annotated[int, Field(ge=0, le=100)]
    diagnosis: Text

    @property
    def label(self) -> str:
        """The risk label shown beside the percent."""
        if self.percent >= 70:
            return "HIGH RISK"
        if self.percent >= 40:
            return "MODERATE RISK"
        return "LOW RISK"


class NamedItem(_Strict):
    """A bullshit metric or a piece of signature weaponry."""

    name: Name
    description: Text


class JdPair(_Strict):
    """[08] One LinkedIn illusion and its translation."""

    illusion: Text
    translation: Text


class LogEntry(_Strict):
    """[09] One slot of the day-in-the-life log."""

    start: Clock
    end: Clock
    activity: Name
    description: Text

    @model_validator(mode="after")
    def _ends_after_start(self) -> LogEntry:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} must come after start {self.start}")
        return self


class BurnQuote(_Strict):
    """[10] One burn-ward quote, with where it was overheard."""

    quote: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
    source: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)] | None
    ) = None


class Related(_Strict):
    """[11] A related specimen and its system match."""

    id: RoleId
    match: Annotated[int, Field(ge=0, le=100)]


class Dossier(_Strict):
    """One role's dossier; `id` is the file's stem and is not written inside the file."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    field: FieldId
    aliases: Annotated[list[Name], Field(min_length=1, max_length=12)]
    tagline: Text
    org_chart: Text
    habitat: Annotated[list[Text], Field(min_length=1, max_length=8)]
    salary: Salary
    flight_risk: FlightRisk
    metrics: Annotated[list[NamedItem], Field(min_length=1, max_length=8)]
    weaponry: Annotated[list[NamedItem], Field(min_length=1, max_length=8)]
    survival: Text
    jd_autopsy: Annotated[list[JdPair], Field(min_length=1, max_length=8)]
    day_in_the_life: Annotated[list[LogEntry], Field(min_length=1, max_length=10)]
    burn_ward: Annotated[list[BurnQuote], Field(min_length=1, max_length=10)]
    related: Annotated[list[Related], Field(min_length=1, max_length=5)]

    @model_validator(mode="after")
    def _log_in_order(self) -> Dossier:
        for before, after in zip(self.day_in_the_life, self.day_in_the_life[1:], strict=False):
            if after.start < before.end:
                raise ValueError(
                    f"day_in_the_life: {after.start} starts before the previous slot ends at {before.end}"
                )
        return self


@dataclass(frozen=True)
class Role:
    """A loaded dossier with its id (the file's stem); what the rest of the bot passes around."""

    id: str
    dossier: Dossier

    @property
    def title(self) -> str:
        """The role's title as the dossier spells it."""
        return self.dossier.title
