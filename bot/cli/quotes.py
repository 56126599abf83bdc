"""`roastbot quotes export|import`: a community's burn-ward quotes out of the bot and back in."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.catalog.lookup import Catalog
from bot.cli.files import write_whole
from bot.quotes.transfer import (
    FORMATS,
    CheckedFile,
    ImportRefused,
    ImportResult,
    check_file,
    export_document,
    import_entries,
    render,
)
from bot.runtime.settings import Settings, load_settings
from bot.store import StoredQuote, Suggestion, open_existing_store, open_store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommand to the parser."""
    parser = sub.add_parser("quotes", help="export or import the quotes admins added")
    actions = parser.add_subparsers(dest="quotes_command", required=True)
    export = actions.add_parser(
        "export", help="write every added quote to a file, or to standard output when redirected"
    )
    export.add_argument(
        "--workspace", default=None, help="only this workspace: discord:ID, slack:ID, or the ID"
    )
    export.add_argument("--format", choices=FORMATS, default="yaml")
    export.add_argument(
        "--output", "-o", type=Path, default=None, help="write here instead of standard output"
    )
    export.set_defaults(handler=handle_export)
    load = actions.add_parser(
        "import", help="add the quotes of an export file, skipping duplicates"
    )
    load.add_argument("file", type=Path, help="a YAML or JSON (*.json) export file")
    load.set_defaults(handler=handle_import)


def handle_export(args: argparse.Namespace) -> int:
    """Write the export to `--output` or a redirected standard output; count it on stderr.

    A terminal is refused: `docker compose exec` without `-T` gives the command a terminal,
    which turns line ends into CRLF and mixes log lines into what `> file` captures.
    """
    if args.output is None and sys.stdout.isatty():
        print(
            "roastbot: the export is not written to a terminal; use --output FILE or redirect"
            " it (`> quotes.yaml`; with docker compose exec, add -T)",
            file=sys.stderr,
        )
        return 1
    settings = load_settings()
    quotes, suggestions = asyncio.run(_everything(settings, args.workspace))
    text = render(export_document(quotes, suggestions), args.format)
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_whole(args.output, text)
    removed = sum(quote.removed_at is not None for quote in quotes)
    print(
        f"exported {len(quotes)} quotes ({removed} of them removed)"
        f" and {len(suggestions)} suggestions",
        file=sys.stderr,
    )
    return 0


def handle_import(args: argparse.Namespace) -> int:
    """Check the whole file first; import it only if every entry is valid."""
    settings = load_settings()
    try:
        entries = check_file(args.file, Catalog.load(settings.dossiers))
    except ImportRefused as refused:
        for problem in refused.problems:
            print(problem, file=sys.stderr)
        print(
            f"added 0, skipped 0, refused {refused.refused} of {refused.entries} entries:"
            " nothing was imported",
            file=sys.stderr,
        )
        return 1
    result = asyncio.run(_import(settings, entries))
    for line in result.skipped:
        print(line)
    print(f"added {result.added}, skipped {len(result.skipped)}, refused 0")
    return 0


async def _everything(
    settings: Settings, workspace: str | None
) -> tuple[list[StoredQuote], list[Suggestion]]:
    store = await open_existing_store(settings.db)
    try:
        return await store.all_quotes(workspace), await store.all_suggestions(workspace)
    finally:
        await store.close()


async def _import(settings: Settings, checked: CheckedFile) -> ImportResult:
    store = await open_store(settings.db)
    try:
        return await import_entries(checked.quotes, store, checked.suggestions)
    finally:
        await store.close()
