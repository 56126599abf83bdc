"""`/burnward add|list|remove|export`: admins curate the burn-ward quotes of their workspace.

Members' suggestions and their review (`suggest|review|approve|reject|mine`) live in
`suggestions`.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.cards.model import Action, Attachment, Button, Card, Field, Reply, Tone
from bot.commands import review_channel, suggestions
from bot.commands.drafts import load_draft, save_draft
from bot.commands.lookup import MAX_ECHO, example, resolve_role
from bot.commands.textargs import is_number
from bot.quotes.likeness import seed_duplicate
from bot.quotes.text import check_quote, fingerprint
from bot.quotes.transfer import FORMATS, MEDIA_TYPES, export_document, render
from bot.runtime.context import Context, place_of
from bot.runtime.invocation import Invocation
from bot.store import Credit, DuplicateQuoteError

PAGE_SIZE = 10
MAX_ID_DIGITS = 15
NOT_ADMIN = "Only admins of this {where} can change the burn ward. Nothing was changed."
NOT_ADMIN_EXPORT = "Only admins of this {where} can export the burn ward."
UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9_-]+")


async def run(context: Context, invocation: Invocation) -> Reply:
    """Route to add, list, remove or export, or to the suggestion and review-channel commands."""
    match invocation.subcommand:
        case "add":
            return await _add(context, invocation)
        case "list":
            return await _list(context, invocation)
        case "remove":
            return await _remove(context, invocation)
        case "export":
            return await _export(context, invocation)
        case "suggest" | "review" | "approve" | "reject" | "mine":
            return await suggestions.run(context, invocation)
        case "reviews":
            return await review_channel.run(context, invocation)
    return Reply.error(
        "Use /burnward add, list, remove, export, suggest, review, approve, reject, mine"
        " or reviews."
    )


def _where(invocation: Invocation) -> str:
    return {"discord": "server", "slack": "workspace"}.get(invocation.platform, "workspace")


def _refuse(invocation: Invocation) -> Reply:
    return Reply.error(NOT_ADMIN.format(where=_where(invocation)))


async def _add(context: Context, invocation: Invocation) -> Reply:
    if not invocation.is_admin:
        return _refuse(invocation)
    quote, source = invocation.option("quote"), invocation.option("source")
    draft = invocation.option("draft")
    if draft is not None:
        kept = await load_draft(context, draft)
        if kept is None:
            return Reply.error("That suggestion has expired. Run /burnward add again.")
        quote, source = kept
    role_text = invocation.option("role")
    if role_text and context.catalog.find(role_text) is None:
        if quote is None:
            return _how_to_add(context, role_text)
        then = Action("burnward", "add", (("draft", await save_draft(context, quote, source)),))
    else:
        then = Action("burnward", "add")
    found = resolve_role(context.catalog, role_text, then)
    if isinstance(found, Reply):
        return found
    checked = check_quote(quote, source)
    if isinstance(checked, str):
        return Reply.error(checked)
    seed = seed_duplicate(found.dossier.burn_ward, checked.text)
    if seed is not None:
        return Reply.error(f"{found.title} already has that quote (S{seed}). Nothing was added.")
    try:
        stored = await context.store.add_quote(
            workspace=place_of(invocation).workspace_key,
            role_id=found.id,
            text=checked.text,
            source=checked.source,
            fingerprint=fingerprint(checked.text),
            added_by=invocation.user_id,
            now=context.clock(),
        )
    except DuplicateQuoteError as exc:
        return Reply.error(
            f"This workspace already has that quote as #{exc.existing.id}. Nothing was added."
        )
    return Reply.notice(f"Added quote #{stored.id} to the burn ward of {found.title}.")


def _how_to_add(context: Context, text: str) -> Reply:
    """`/burnward add Enterprise Architect The roadmap is fine`: say where the `|` goes."""
    words = text.split()
    for count in range(len(words) - 1, 0, -1):
        role = context.catalog.find(" ".join(words[:count]))
        if role is not None:
            rest = " ".join(words[count:])[:MAX_ECHO]
            return Reply.error(
                "Put a | between the role and the quote: "
                f"/burnward add {role.title} | {rest} | [source]."
            )
    return Reply.error(
        f"Write it as {example(Action('burnward', 'add'))}, e.g. "
        "/burnward add Enterprise Architect | The roadmap is fine."
    )


async def _list(context: Context, invocation: Invocation) -> Reply:
    found = resolve_role(context.catalog, invocation.option("role"), Action("burnward", "list"))
    if isinstance(found, Reply):
        return found
    page_text = invocation.option("page") or "1"
    if not is_number(page_text) or len(page_text) > MAX_ID_DIGITS or int(page_text) < 1:
        return Reply.error(f"Page must be a whole number from 1, not '{page_text[:20]}'.")
    workspace = place_of(invocation).workspace_key
    added = await context.store.live_quotes(workspace, found.id)
    credits = await context.store.quote_credits(workspace, found.id)
    entries: list[tuple[str, str, str | None, Credit | None]] = [
        (f"S{i}", q.quote, q.source, None) for i, q in enumerate(found.dossier.burn_ward, 1)
    ]
    entries += [(f"#{q.id}", q.text, q.source, credits.get(q.id)) for q in added]
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(int(page_text), pages)
    shown = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    fields = tuple(
        Field(_entry_name(ident, source, credit), f"“{text}”")
        for ident, text, source, credit in shown
    )

    def goto(number: int) -> Action:
        return Action("burnward", "list", (("role", found.id), ("page", str(number))))

    buttons = []
    if page > 1:
        buttons.append(Button("Previous page", goto(page - 1)))
    if page < pages:
        buttons.append(Button("Next page", goto(page + 1)))
    card = Card(
        title=f"Burn ward: {found.title}",
        description=f"{len(entries)} quotes. S = from the dossier, # = added here.",
        fields=fields,
        footer=f"Page {page} of {pages} · admins remove an added quote with /burnward remove <id>",
        buttons=tuple(buttons),
        tone=Tone.INFO,
    )
    return Reply((card,), private=True)


def _entry_name(ident: str, source: str | None, credit: Credit | None) -> str:
    """`#3 · standup · suggested by U1`: the id, the source, who suggested it, if known."""
    parts = [ident, source or "", f"suggested by {credit.suggested_by}" if credit else ""]
    return " · ".join(part for part in parts if part)


async def _remove(context: Context, invocation: Invocation) -> Reply:
    if not invocation.is_admin:
        return _refuse(invocation)
    raw = (invocation.option("id") or "").strip().lstrip("#")
    if raw.upper().startswith("S") and is_number(raw[1:]):
        return Reply.error(
            "Quotes marked S come from the dossier itself; change them in its YAML file."
        )
    if not is_number(raw) or len(raw) > MAX_ID_DIGITS:
        return Reply.error("Give the number of an added quote, e.g. /burnward remove 12.")
    removed = await context.store.remove_quote(
        workspace=place_of(invocation).workspace_key,
        quote_id=int(raw),
        removed_by=invocation.user_id,
        now=context.clock(),
    )
    if removed is None:
        return Reply.error(f"This workspace has no live quote #{int(raw)}. Nothing was changed.")
    return Reply.notice(f"Removed quote #{removed.id}. It stays on record but is no longer shown.")


async def _export(context: Context, invocation: Invocation) -> Reply:
    """Every quote this workspace added, removed ones too, and every suggestion, as
    `roastbot quotes export` writes them.

    The file is exactly what `roastbot quotes export --workspace <this workspace>` prints, so
    `roastbot quotes import` reads it back; with no quotes it is still a valid, empty export.
    """
    if not invocation.is_admin:
        return Reply.error(NOT_ADMIN_EXPORT.format(where=_where(invocation)))
    fmt = (invocation.option("format") or FORMATS[0]).strip().lower()
    if fmt not in FORMATS:
        return Reply.error(f"The format is yaml or json, not '{fmt[:20]}'. Nothing was exported.")
    workspace = place_of(invocation).workspace_key
    quotes = await context.store.all_quotes(workspace)
    suggested = await context.store.all_suggestions(workspace)
    file = Attachment(
        filename=export_filename(invocation, context.clock(), fmt),
        content=render(export_document(quotes, suggested), fmt).encode("utf-8"),
        mime=MEDIA_TYPES[fmt],
    )
    removed = sum(quote.removed_at is not None for quote in quotes)
    where = _where(invocation)
    if quotes:
        noun = "quote" if len(quotes) == 1 else "quotes"
        summary = f"{len(quotes)} {noun} added in this {where}, {removed} of them removed."
    else:
        summary = f"No quotes added in this {where} yet: the file is a valid export with none."
    card = Card(
        description=summary,
        footer=f"{file.filename}: roastbot quotes import reads it back.",
        tone=Tone.SUCCESS,
    )
    return Reply((card,), private=True, attachments=(file,))


def export_filename(invocation: Invocation, now: datetime, fmt: str) -> str:
    """`burnward-<platform>-<workspace>-<YYYY-MM-DD>.<format>`, safe as a file name anywhere."""
    parts = (invocation.platform, invocation.workspace_id)
    safe = "-".join(UNSAFE_IN_NAME.sub("_", part)[:64] or "_" for part in parts)
    return f"burnward-{safe}-{now.date().isoformat()}.{fmt}"
