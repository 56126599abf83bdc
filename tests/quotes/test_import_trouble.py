"""An import the disk fills up under is refused whole: never the quotes without the suggestions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bot.catalog.lookup import Catalog
from bot.commands.registry import dispatch
from bot.quotes.transfer import check_file, import_entries
from bot.runtime.context import Context
from bot.store import SqlStore, StoreFull, open_store
from tests.conftest import FIXED_NOW, invocation

WORDS = "the pipeline was green until someone looked at it closely and then it was red "


async def exported(catalog: Catalog, tmp_path: Path) -> Path:
    """An export of 3 quotes and 30 long suggestions, enough to need new pages to import."""
    source = await open_store(tmp_path / "source.sqlite3")
    context = Context(catalog=catalog, store=source, clock=lambda: FIXED_NOW)
    for n in range(3):
        quote = f"Quote {n}: {WORDS}"
        await dispatch(context, invocation("burnward", "add", admin=True, role="sdet", quote=quote))
    for n in range(30):
        text = f"Suggestion {n}: {WORDS * 3}".strip()
        suggested = invocation("burnward", "suggest", user=f"u{n // 5}", role="sdet", quote=text)
        assert (await dispatch(context, suggested)).cards[0].description.startswith("Suggestion")
    reply = await dispatch(context, invocation("burnward", "export", admin=True))
    await source.close()
    path = tmp_path / "export.yaml"
    path.write_bytes(reply.attachments[0].content)
    return path


def full_at_first_suggestion(store: SqlStore) -> None:
    """When the import first writes a suggestion, no page may be added to the file any more:
    the disk is full from there on (SQLite's own limit on the store's connection)."""
    engine = store._runner._engine  # type: ignore[attr-defined]
    filled: list[int] = []

    @event.listens_for(engine, "before_cursor_execute")
    def fill(_conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("INSERT INTO suggestions") and not filled:
            filled.append(cursor.connection.execute("PRAGMA page_count").fetchone()[0])
            cursor.connection.execute(f"PRAGMA max_page_count = {filled[0]}")


async def test_a_disk_full_during_an_import_writes_nothing(
    catalog: Catalog, tmp_path: Path
) -> None:
    """The disk fills while the suggestions go in: StoreFull, and neither the quotes nor the
    suggestions are in; once there is room, the same import adds them all."""
    checked = check_file(await exported(catalog, tmp_path), catalog)
    store = await open_store(tmp_path / "moved.sqlite3")
    try:
        full_at_first_suggestion(store)
        with pytest.raises(StoreFull):
            await import_entries(checked.quotes, store, checked.suggestions)
        assert (await store.all_quotes(), await store.all_suggestions()) == ([], [])
        await store._runner.run(  # type: ignore[attr-defined]
            lambda conn: conn.exec_driver_sql("PRAGMA max_page_count = 1073741823"), write=False
        )
        done = await import_entries(checked.quotes, store, checked.suggestions)
        assert done.added == 33 and done.skipped == ()
    finally:
        await store.close()
