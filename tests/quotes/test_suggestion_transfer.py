"""Export and import carry suggestions with their status and decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.commands.registry import dispatch
from bot.quotes.transfer import ImportRefused, check_file, import_entries
from bot.runtime.context import Context
from bot.store import open_store
from tests.conftest import invocation

SUGGESTED = ("Flaky is a feeling", "Green on my machine", "Tests are optional, vibes are not")


async def _suggest_and_decide(context: Context) -> None:
    """Three suggestions: one approved, one rejected with a reason, one pending."""
    for text in SUGGESTED:
        await dispatch(context, invocation("burnward", "suggest", role="sdet", quote=text))
    await dispatch(context, invocation("burnward", "approve", admin=True, user="boss", id="1"))
    await dispatch(
        context,
        invocation("burnward", "reject", admin=True, user="boss", id="2", reason="old joke"),
    )


@pytest.mark.parametrize("fmt", ["yaml", "json"])
async def test_suggestions_survive_a_move_with_their_decisions(
    context: Context, tmp_path: Path, fmt: str
) -> None:
    """/burnward export then import into an empty database keeps every status and decision."""
    await _suggest_and_decide(context)
    exported = await dispatch(context, invocation("burnward", "export", admin=True, format=fmt))
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(exported.attachments[0].content)
    checked = check_file(path, context.catalog)
    moved = await open_store(tmp_path / "moved.sqlite3")
    try:
        result = await import_entries(checked.quotes, moved, checked.suggestions)
        assert (result.added, result.skipped) == (4, ())
        before = await context.store.all_suggestions("console:w1")
        after = await moved.all_suggestions("console:w1")
        fields = ("role_id", "text", "suggested_by", "suggested_at", "status")
        decided = ("decided_by", "decided_at", "reason")
        assert [[getattr(s, f) for f in fields + decided] for s in after] == [
            [getattr(s, f) for f in fields + decided] for s in before
        ]
        [live] = await moved.live_quotes("console:w1", "sdet")
        assert after[0].quote_id == live.id and live.text == SUGGESTED[0]
        again = await import_entries(checked.quotes, moved, checked.suggestions)
        assert again.added == 0 and len(again.skipped) == 4
    finally:
        await moved.close()


def test_a_bad_suggestion_refuses_the_whole_file(tmp_path: Path, context: Context) -> None:
    """A suggestion with an unknown status, or decided with no decider, is listed; nothing goes."""
    path = tmp_path / "bad.yaml"
    path.write_text(
        "version: 1\nquotes: []\nsuggestions:\n"
        '- {workspace: "discord:1", role: sdet, text: Fine words, suggested_by: "7",'
        ' suggested_at: "2026-01-01T00:00:00Z", status: maybe}\n'
        '- {workspace: "discord:1", role: sdet, text: Fine words, suggested_by: "7",'
        ' suggested_at: "2026-01-01T00:00:00Z", status: approved}\n',
        encoding="utf-8",
    )
    with pytest.raises(ImportRefused) as refused:
        check_file(path, context.catalog)
    assert refused.value.problems == (
        f"{path}: suggestion 1: status: Input should be 'pending', 'approved' or 'rejected'",
        f"{path}: suggestion 2: a pending suggestion has no decided_by; a decided one needs it",
    )
    assert (refused.value.refused, refused.value.entries) == (2, 2)


@pytest.mark.parametrize(
    ("reason", "problem"),
    [
        ("<@123> knows why", "reason: The reason contains a mention"),
        ("x" * 5000, "reason: The reason is 5000 characters; at most 200, please."),
    ],
)
def test_a_reason_breaking_the_reject_rules_refuses_the_file(
    tmp_path: Path, context: Context, reason: str, problem: str
) -> None:
    """An imported rejection reason follows /burnward reject's rules: no mention, 200 at most."""
    path = tmp_path / "reason.yaml"
    path.write_text(
        "version: 1\nquotes: []\nsuggestions:\n"
        '- {workspace: "discord:1", role: sdet, text: Fine words, suggested_by: "7",'
        ' suggested_at: "2026-01-01T00:00:00Z", status: rejected, decided_by: "8",'
        f' decided_at: "2026-01-02T00:00:00Z", reason: "{reason}"}}\n',
        encoding="utf-8",
    )
    with pytest.raises(ImportRefused) as refused:
        check_file(path, context.catalog)
    [found] = refused.value.problems
    assert found.startswith(f"{path}: suggestion 1: {problem}"), found
