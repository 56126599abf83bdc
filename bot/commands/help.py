"""`/roasthelp`: what the bot does and how to ask it."""

from __future__ import annotations

from bot.cards.model import Card, Field, Reply, Tone
from bot.catalog.sections import SECTIONS, SUMMARY
from bot.runtime.context import Context
from bot.runtime.invocation import Invocation

USAGE = (
    ("/roast <role> [section]", "A role's dossier. Sections: {sections}."),
    ("/roast list [field|page]", "Every specimen on file, one field of work a page."),
    ("/roast random", "A specimen picked at random."),
    ("/roast <role> image", "A role's file record as a picture, to share."),
    ("/burnward list <role> [page]", "Every burn-ward quote of a role, ten a page, with ids."),
    ("/burnward add <role> | <quote> | [source]", "Admins: add a quote for this workspace."),
    ("/burnward remove <id>", "Admins: retire a quote this workspace added (kept on record)."),
    (
        "/burnward export [yaml|json]",
        "Admins: every quote this workspace added, removed ones too, as a file for you only.",
    ),
    (
        "/burnward suggest <role> | <quote> | [source]",
        "Suggest a quote; admins review it. /burnward mine shows yours.",
    ),
    (
        "/burnward review [page]",
        "Admins: suggestions waiting, with Approve and Reject; or /burnward approve|reject <id>.",
    ),
    (
        "/burnward reviews [here|off|show]",
        "Admins: post each new suggestion in this channel; the message shows the decision.",
    ),
    ("/specimen today", "The specimen of the day this channel got, or will get."),
    ("/specimen status", "When the next specimen comes, the last one, and any pause."),
    (
        "/specimen subscribe [time] [zone]",
        "Admins: a specimen here every day, e.g. 09:00 Europe/Berlin (9am and 21h work too).",
    ),
    ("/specimen unsubscribe", "Admins: stop the daily specimen here."),
    (
        "/specimen history [page]",
        "This channel's daily posts with their votes, the month's most accurate first.",
    ),
    ("/roaststats [YYYY-MM]", "This workspace's month of roasts and missing roles, charted."),
)


async def run(context: Context, invocation: Invocation) -> Reply:
    """The help card, privately."""
    sections = ", ".join(s.key for s in SECTIONS if s is not SUMMARY)
    fields = tuple(Field(usage, text.format(sections=sections)) for usage, text in USAGE)
    example = context.catalog.roles[0].title if len(context.catalog) else "Enterprise Architect"
    return Reply(
        (
            Card(
                title="roastbot: field guide to the modern org chart",
                description=(f"{len(context.catalog)} specimens on file. Try /roast {example}."),
                fields=fields,
                tone=Tone.INFO,
            ),
        ),
        private=True,
    )
