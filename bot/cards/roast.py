"""Build the neutral cards of a dossier: the summary card and one card per full section."""

from __future__ import annotations

from collections.abc import Sequence

from bot.cards.model import Action, Button, ButtonStyle, Card, Field, Menu, MenuOption, Quote
from bot.catalog.lookup import Catalog
from bot.catalog.model import Dossier, Role
from bot.catalog.sections import SECTIONS, SUMMARY, Section
from bot.store import StoredQuote

BAR_WIDTH = 10
# a card holds at most this many quote fields, so no platform has to drop any silently
MAX_QUOTE_FIELDS = 10
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def roast_action(role_id: str, section: str | None = None) -> Action:
    """The action that shows a role's summary, or one of its sections."""
    options = (("role", role_id),) + ((("section", section),) if section else ())
    return Action("roast", None, options)


def summary_card(role: Role, catalog: Catalog, quote: Quote | None, header: str = "") -> Card:
    """The card `/roast` shows first: the essentials, one JD pair and one rotated quote."""
    dossier = role.dossier
    pair = dossier.jd_autopsy[0]
    return Card(
        header=header,
        title=dossier.title,
        description=dossier.tagline,
        fields=(
            Field("Known aliases", " · ".join(dossier.aliases)),
            Field("Salary delusion", f"{format_salary(dossier)} market average", inline=True),
            Field("Flight risk", flight_risk_bar(dossier), inline=True),
            Field(
                "JD autopsy",
                f"LinkedIn illusion: “{pair.illusion}”\nTranslation: {pair.translation}",
            ),
        ),
        quote=quote,
        footer=_footer(role),
        buttons=related_buttons(role, catalog),
        menu=section_menu(role, SUMMARY),
    )


def section_card(
    role: Role, section: Section, catalog: Catalog, added: Sequence[StoredQuote] = ()
) -> Card:
    """The card for one full section of a dossier; `added` are the workspace's extra quotes."""
    dossier = role.dossier
    fields, description, quote = _section_body(role, section, catalog, added)
    return Card(
        title=f"{dossier.title}: [{section.number}] {section.heading}",
        description=description,
        fields=fields,
        quote=quote,
        footer=_footer(role),
        buttons=related_buttons(role, catalog) if section.key == "related" else (),
        menu=section_menu(role, section),
    )


def _section_body(
    role: Role, section: Section, catalog: Catalog, added: Sequence[StoredQuote]
) -> tuple[tuple[Field, ...], str, Quote | None]:
    d = role.dossier
    match section.key:
        case "aliases":
            return (Field("Known aliases / disguises", "\n".join(d.aliases)),), d.org_chart, None
        case "habitat":
            return (), "\n".join(f"• {place}" for place in d.habitat), None
        case "salary":
            fields = (Field("Market average", format_salary(d)), Field("Why", d.salary.note))
            return fields, "", Quote(d.salary.quote)
        case "flight-risk":
            return (Field("Diagnosis", d.flight_risk.diagnosis),), flight_risk_bar(d), None
        case "metrics":
            return tuple(Field(m.name, m.description) for m in d.metrics), "", None
        case "weaponry":
            return tuple(Field(w.name, w.description) for w in d.weaponry), "", None
        case "survival":
            return (), f"If engaged: {d.survival}", None
        case "jd-autopsy":
            return (
                tuple(
                    Field(f"LinkedIn illusion: “{p.illusion}”", f"Translation: {p.translation}")
                    for p in d.jd_autopsy
                ),
                "",
                None,
            )
        case "day":
            return (
                tuple(
                    Field(f"{e.start}–{e.end} · {e.activity}", e.description)
                    for e in d.day_in_the_life
                ),
                "",
                None,
            )
        case "burn-ward":
            return _burn_ward_fields(d, added), "Unfiltered complaints, as overheard.", None
        case "related":
            return (
                tuple(
                    Field(f"{other.title} · system match {match}%", other.dossier.tagline)
                    for other, match in related_roles(role, catalog)
                ),
                "",
                None,
            )
    raise ValueError(f"no such section: {section.key}")


def _burn_ward_fields(d: Dossier, added: Sequence[StoredQuote]) -> tuple[Field, ...]:
    """The dossier's quotes, then the workspace's newest additions, up to `MAX_QUOTE_FIELDS`."""
    fields = [
        Field(f"S{i}" + (f" · {q.source}" if q.source else ""), f"“{q.quote}”")
        for i, q in enumerate(d.burn_ward, 1)
    ]
    room = max(0, MAX_QUOTE_FIELDS - len(fields) - 1)
    newest = list(added)[-room:] if room else []
    fields += [
        Field(f"#{q.id}" + (f" · {q.source}" if q.source else "") + " · added here", f"“{q.text}”")
        for q in newest
    ]
    if len(newest) < len(added):
        hidden = len(added) - len(newest)
        fields.append(
            Field(f"{hidden} older additions not shown", f"See them all: /burnward list {d.title}")
        )
    return tuple(fields)


def related_roles(role: Role, catalog: Catalog) -> list[tuple[Role, int]]:
    """The related specimens that exist in the catalog, with their match percent."""
    found = ((catalog.get(r.id), r.match) for r in role.dossier.related)
    return [(other, match) for other, match in found if other is not None]


def related_buttons(role: Role, catalog: Catalog) -> tuple[Button, ...]:
    """One button per related specimen, labelled with its match, that roasts it."""
    return tuple(
        Button(f"{other.title} · {match}%", roast_action(other.id), ButtonStyle.PRIMARY)
        for other, match in related_roles(role, catalog)
    )


def section_menu(role: Role, current: Section) -> Menu:
    """The menu that moves between the summary and the full sections."""
    return Menu(
        placeholder="Open a section of the file",
        options=tuple(
            MenuOption(
                label=f"[{s.number}] {s.heading}" if s.number else s.heading,
                action=roast_action(role.id, None if s is SUMMARY else s.key),
                selected=s is current,
            )
            for s in SECTIONS
        ),
    )


def format_salary(d: Dossier) -> str:
    """The market average with its currency, e.g. `$170,000` or `95,000 CHF`."""
    amount = f"{d.salary.market_average:,}"
    symbol = CURRENCY_SYMBOLS.get(d.salary.currency)
    return f"{symbol}{amount}" if symbol else f"{amount} {d.salary.currency}"


def flight_risk_bar(d: Dossier) -> str:
    """A ten-cell bar with the percent and its label, e.g. `█████████░ 85% HIGH RISK`."""
    filled = round(d.flight_risk.percent / 100 * BAR_WIDTH)
    bar = "█" * filled + "░" * (BAR_WIDTH - filled)
    return f"{bar} {d.flight_risk.percent}% · {d.flight_risk.label}"


def page_url(base: str | None, role_id: str) -> str:
    """The web page of a role under `ROASTBOT_PUBLIC_URL`, or "" when no base URL is set."""
    return f"{base.rstrip('/')}/roles/{role_id}" if base else ""


def image_card(role: Role, filename: str, url: str = "") -> Card:
    """The card that carries a role's file-record picture, `filename` among the attachments."""
    return Card(
        title=role.dossier.title,
        description=role.dossier.tagline,
        image=filename,
        url=url,
        footer=f"File record: {role.id}.png",
    )


def _footer(role: Role) -> str:
    """How to open a section by typing, which works everywhere.

    It names no menu: the console draws none, and where one is drawn it speaks for itself.
    """
    keys = ", ".join(s.key for s in SECTIONS if s is not SUMMARY)
    return f"Full file: /roast {role.title} <section> ({keys})"
