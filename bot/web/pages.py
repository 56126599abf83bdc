"""The public pages as HTML: the taxonomy and one file record per role. Pure functions.

Templates are Jinja2 with auto-escaping on for every template, so no dossier text can
become markup; links are built only from role ids (lowercase slugs), never from dossier
text. Only the dossiers' own quotes are shown: quotes admins add belong to a workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from bot.cards.roast import format_salary, related_roles
from bot.catalog.lookup import Catalog
from bot.catalog.model import FIELD_TITLES, Role
from bot.catalog.sections import SECTIONS, SUMMARY
from bot.images.layout import clean

MAX_QUERY = 100


@dataclass(frozen=True)
class Links:
    """Where the pages are, seen from the page being written.

    On the server every link is an absolute path (`/roles/<id>`); in a static build they
    are relative, with `.html` (`roles/<id>.html`). `base` is the absolute URL of the site
    (`ROASTBOT_PUBLIC_URL`, or the address a request came to) for OpenGraph tags.
    """

    root: str
    page_suffix: str
    base: str | None

    def index(self) -> str:
        """The taxonomy."""
        return self.root + ("index.html" if self.page_suffix else "")

    def role(self, role_id: str) -> str:
        """A role's file record."""
        return f"{self.root}roles/{role_id}{self.page_suffix}"

    def image(self, role_id: str) -> str:
        """A role's picture."""
        return f"{self.root}roles/{role_id}.png"

    def absolute(self, path: str) -> str:
        """`path` (site-absolute, e.g. `/roles/x`) under the base URL, or as given without one."""
        return f"{self.base}{path}" if self.base else path


SERVER = Links("/", "", None)


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("bot.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["SECTIONS"] = [s for s in SECTIONS if s is not SUMMARY]
    return environment


def matching(catalog: Catalog, query: str) -> list[Role]:
    """The roles whose title, aliases, tagline or field name contain every word of `query`."""
    words = clean(query).casefold().split()
    found = []
    for role in catalog:
        d = role.dossier
        haystack = " ".join([d.title, *d.aliases, d.tagline, FIELD_TITLES[d.field]]).casefold()
        if all(word in haystack for word in words):
            found.append(role)
    return found


def index_page(catalog: Catalog, links: Links, query: str = "", searchable: bool = True) -> str:
    """The full taxonomy grouped by field; with a query, only the roles that match it."""
    query = clean(query)[:MAX_QUERY]
    roles = matching(catalog, query) if query else list(catalog)
    groups = [
        (field, title, sorted((r for r in roles if r.dossier.field == field), key=_by_title))
        for field, title in FIELD_TITLES.items()
    ]
    suggestions = catalog.suggest(query) if query and not roles else []
    return (
        _environment()
        .get_template("index.html")
        .render(
            links=links,
            groups=[group for group in groups if group[2]],
            query=query,
            count=len(roles),
            total=len(catalog),
            suggestions=suggestions,
            searchable=searchable,
            og_url=links.absolute("/"),
            og_image=None,
        )
    )


def record_page(role: Role, catalog: Catalog, links: Links) -> str:
    """A role's file record: all eleven sections in the seed records' order."""
    d = role.dossier
    return (
        _environment()
        .get_template("record.html")
        .render(
            links=links,
            role=role,
            d=d,
            field_title=FIELD_TITLES[d.field],
            salary=format_salary(d),
            related=related_roles(role, catalog),
            og_url=links.absolute(f"/roles/{role.id}"),
            og_image=links.absolute(f"/roles/{role.id}.png"),
        )
    )


def missing_page(links: Links, asked: str, catalog: Catalog) -> str:
    """The 404 page: no such role, with the nearest names."""
    asked = clean(asked)[:MAX_QUERY]
    return (
        _environment()
        .get_template("missing.html")
        .render(
            links=links,
            asked=asked,
            suggestions=catalog.suggest(asked.replace("-", " ")) if asked else [],
            og_url=None,
            og_image=None,
        )
    )


def _by_title(role: Role) -> str:
    return role.title.casefold()
