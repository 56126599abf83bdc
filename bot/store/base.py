"""The store's interface and value types. Nothing here knows which database sits behind it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol


class StoreError(Exception):
    """The database cannot be opened or used; the message is one line for the operator."""


class StoreBusy(StoreError):
    """Another process holds the database longer than we wait; trying again later may work."""


class StoreFull(StoreError):
    """The disk under the database is full; nothing was written."""


class StoreUnavailable(StoreError):
    """The database server cannot be reached now; nothing was written."""


@dataclass(frozen=True)
class Place:
    """A channel on a platform, inside a workspace (Discord guild, Slack team)."""

    platform: str
    workspace_id: str
    channel_id: str

    @property
    def key(self) -> str:
        """A stable string naming this channel across platforms."""
        return f"{self.platform}:{self.workspace_id}:{self.channel_id}"

    @property
    def workspace_key(self) -> str:
        """A stable string naming the workspace across platforms."""
        return f"{self.platform}:{self.workspace_id}"


@dataclass(frozen=True)
class StoredQuote:
    """A burn-ward quote added by an admin of one workspace."""

    id: int
    workspace: str
    role_id: str
    text: str
    source: str | None
    added_by: str
    added_at: datetime
    removed_by: str | None = None
    removed_at: datetime | None = None

    @property
    def key(self) -> str:
        """This quote's key in a rotation bag."""
        return f"a:{self.id}"


@dataclass(frozen=True)
class DrawnQuote:
    """The quote a rotation picked: a seed key, or an admin quote with its text."""

    key: str
    added: StoredQuote | None


@dataclass(frozen=True)
class DailyOptions:
    """How a channel's daily post goes out: on which days, pinned, with a thread, pinging whom.

    `days` is canonical (`bot.daily.days.parse_days`); `ping` is the platform's id of one
    role (Discord) or user group (Slack), or None.
    """

    days: str = "daily"
    pin: bool = False
    thread: bool = False
    ping: str | None = None


DEFAULT_OPTIONS = DailyOptions()


@dataclass(frozen=True)
class Subscription:
    """A channel's specimen-of-the-day subscription.

    `next_post_at` is the store's bookkeeping, not a setting: the moment at or before which
    the scheduler must look at the subscription again (None while paused, or not read).
    """

    place: Place
    post_time: str
    zone: str
    subscribed_by: str
    subscribed_at: datetime
    paused_reason: str | None = None
    paused_at: datetime | None = None
    options: DailyOptions = DEFAULT_OPTIONS
    next_post_at: datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class DailyStep:
    """One step of a daily post beyond the post itself (`pin`, `unpin`, `thread`), once done.

    `result` is what the platform gave back (the pinned message, the thread's id); `failure`
    says why the step failed for good, so it is not tried again.
    """

    step: str
    result: str | None
    failure: str | None


@dataclass(frozen=True)
class DailyPost:
    """The specimen chosen for a channel's local date, and whether it went out."""

    place_key: str
    local_date: date
    role_id: str
    claimed_at: datetime | None
    message_id: str | None
    posted_at: datetime | None
    # the burn-ward quote the post showed, if it showed one
    quote_text: str | None = None
    quote_source: str | None = None


ACCURATE = "accurate"
HARSH = "harsh"
VOTE_CHOICES = (ACCURATE, HARSH)
"""The two votes a member can give a daily post: "Accurate" and "Too harsh"."""


@dataclass(frozen=True)
class Votes:
    """How many members found a daily post accurate, and how many too harsh."""

    accurate: int = 0
    harsh: int = 0


@dataclass(frozen=True)
class PostVotes:
    """A daily post that went out, with its votes."""

    post: DailyPost
    votes: Votes


@dataclass(frozen=True)
class Tally:
    """A name and how many times it was counted over a span of days."""

    name: str
    count: int


@dataclass(frozen=True)
class QuoteRecord:
    """A burn-ward quote as it moves between databases: everything but its local id."""

    workspace: str
    role_id: str
    text: str
    source: str | None
    fingerprint: str
    added_by: str
    added_at: datetime
    removed_by: str | None = None
    removed_at: datetime | None = None


@dataclass(frozen=True)
class StoreHealth:
    """What an integrity check found: problems (none when sound), schema version, row counts."""

    problems: tuple[str, ...]
    schema_version: int
    counts: Mapping[str, int]

    @property
    def ok(self) -> bool:
        """Whether the check found nothing wrong."""
        return not self.problems


class DuplicateQuoteError(Exception):
    """The workspace already has this quote for this role."""

    def __init__(self, existing: StoredQuote) -> None:
        self.existing = existing
        super().__init__(f"duplicate of quote {existing.id}")


PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


@dataclass(frozen=True)
class Suggestion:
    """A member's proposed burn-ward quote, and the admins' decision once made."""

    id: int
    workspace: str
    role_id: str
    text: str
    source: str | None
    fingerprint: str
    suggested_by: str
    suggested_at: datetime
    status: str = PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    quote_id: int | None = None


@dataclass(frozen=True)
class SuggestionRecord:
    """A suggestion as it moves between databases: everything but its local ids."""

    workspace: str
    role_id: str
    text: str
    source: str | None
    fingerprint: str
    suggested_by: str
    suggested_at: datetime
    status: str = PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None


class DuplicateSuggestionError(Exception):
    """The workspace already has this quote waiting for review for this role."""

    def __init__(self, existing: Suggestion) -> None:
        self.existing = existing
        super().__init__(f"duplicate of suggestion {existing.id}")


class TooManyPendingError(Exception):
    """The member already has the most pending suggestions allowed in the workspace."""

    def __init__(self, pending: int) -> None:
        self.pending = pending
        super().__init__(f"{pending} suggestions already pending")


@dataclass(frozen=True)
class ReviewPost:
    """Where a suggestion was posted for review: the channel and the platform's message id."""

    suggestion_id: int
    channel_id: str
    message_id: str


@dataclass(frozen=True)
class Credit:
    """Who brought a quote in through a suggestion: the member who suggested it, the approver."""

    quote_id: int
    suggested_by: str
    approved_by: str


@dataclass(frozen=True)
class SlackInstall:
    """The app installed in one Slack workspace (or org): ids, scopes and its sealed tokens.

    `bot_token` and `bot_refresh_token` are sealed (encrypted) by the caller; the store keeps
    them as given and never sees a token in plain text. '' stands for an absent id.
    """

    enterprise_id: str
    team_id: str
    bot_token: str
    installed_at: datetime
    is_enterprise_install: bool = False
    app_id: str | None = None
    enterprise_name: str | None = None
    enterprise_url: str | None = None
    team_name: str | None = None
    bot_id: str | None = None
    bot_user_id: str | None = None
    bot_scopes: str | None = None
    bot_refresh_token: str | None = None
    bot_token_expires_at: datetime | None = None
    installer_user_id: str | None = None


class Store(Protocol):
    """Everything the bot remembers. Implementations run each call in one transaction."""

    async def add_quote(
        self,
        *,
        workspace: str,
        role_id: str,
        text: str,
        source: str | None,
        fingerprint: str,
        added_by: str,
        now: datetime,
    ) -> StoredQuote:
        """Store a quote, or raise `DuplicateQuoteError` if its fingerprint is already live."""
        ...

    async def live_quotes(self, workspace: str, role_id: str) -> list[StoredQuote]:
        """The workspace's quotes for a role that have not been removed, oldest first."""
        ...

    async def remove_quote(
        self, *, workspace: str, quote_id: int, removed_by: str, now: datetime
    ) -> StoredQuote | None:
        """Soft-delete one of the workspace's live quotes; None if it has no such quote."""
        ...

    async def draw_quote(
        self,
        place: Place,
        role_id: str,
        seed_keys: Sequence[str],
        counted_on: date | None = None,
    ) -> DrawnQuote | None:
        """The next quote of the channel's bag for a role, seed keys plus live additions.

        With `counted_on`, one roast of the role is counted for that day in the same
        transaction (what `count_roast` does), so a roast costs one transaction.
        """
        ...

    async def add_suggestion(
        self,
        *,
        workspace: str,
        role_id: str,
        text: str,
        source: str | None,
        fingerprint: str,
        suggested_by: str,
        now: datetime,
        max_pending: int,
    ) -> Suggestion:
        """Queue a suggestion for review, in one transaction.

        Raises `TooManyPendingError` when the member has `max_pending` pending already,
        `DuplicateQuoteError` when the workspace has the quote live, and
        `DuplicateSuggestionError` when it is already pending.
        """
        ...

    async def suggestion(self, workspace: str, suggestion_id: int) -> Suggestion | None:
        """One of the workspace's suggestions, whatever its status."""
        ...

    async def suggestions(
        self, workspace: str, *, status: str | None = None, suggested_by: str | None = None
    ) -> list[Suggestion]:
        """The workspace's suggestions, oldest first, filtered by status and by member."""
        ...

    async def count_suggestions(self, workspace: str, status: str) -> int:
        """How many of the workspace's suggestions have a status (`pending`, ...)."""
        ...

    async def approve_suggestion(
        self, *, workspace: str, suggestion_id: int, decided_by: str, now: datetime
    ) -> tuple[Suggestion, StoredQuote] | None:
        """Turn a pending suggestion into a live quote added by the approver, in one transaction.

        None if the workspace has no such pending suggestion; raises `DuplicateQuoteError`
        (and changes nothing) if the quote went live meanwhile.
        """
        ...

    async def reject_suggestion(
        self,
        *,
        workspace: str,
        suggestion_id: int,
        decided_by: str,
        reason: str | None,
        now: datetime,
    ) -> Suggestion | None:
        """Reject a pending suggestion, keeping it on record; None if there is no such one."""
        ...

    async def all_suggestions(self, workspace: str | None = None) -> list[Suggestion]:
        """Every suggestion of one workspace or all, decided ones too, in a stable order.

        `workspace` is a workspace key (`discord:123`) or the bare id after the colon.
        """
        ...

    async def set_review_channel(
        self, *, workspace: str, channel_id: str, set_by: str, now: datetime
    ) -> None:
        """Make `channel_id` the workspace's review channel, replacing any earlier one."""
        ...

    async def clear_review_channel(self, workspace: str) -> str | None:
        """Stop posting the workspace's suggestions for review; the channel it had, or None."""
        ...

    async def undo_review_channel(
        self, *, workspace: str, channel_id: str, before: str | None, set_by: str, now: datetime
    ) -> bool:
        """Put `before` back (None: no review channel) if `channel_id` is still the
        workspace's review channel; False, changing nothing, if another was set since."""
        ...

    async def review_channel(self, workspace: str) -> str | None:
        """The id of the workspace's review channel, or None when it has none."""
        ...

    async def record_review_post(self, *, workspace: str, post: ReviewPost, now: datetime) -> None:
        """Remember the message a suggestion was posted as for review (the newest one wins)."""
        ...

    async def review_post(self, workspace: str, suggestion_id: int) -> ReviewPost | None:
        """The review message of one of the workspace's suggestions, or None if none was made."""
        ...

    async def quote_credits(self, workspace: str, role_id: str) -> dict[int, Credit]:
        """Per live quote of the role that came from an approved suggestion: who to credit."""
        ...

    async def subscribe(
        self,
        place: Place,
        *,
        post_time: str,
        zone: str,
        by: str,
        now: datetime,
        options: DailyOptions = DEFAULT_OPTIONS,
    ) -> Subscription:
        """Create or update the channel's subscription and its options, clearing any pause."""
        ...

    async def unsubscribe(self, place: Place) -> bool:
        """Remove the channel's subscription; False if it had none. Past posts stay on record."""
        ...

    async def subscription(self, place: Place) -> Subscription | None:
        """The channel's subscription, paused or not."""
        ...

    async def subscriptions(self) -> list[Subscription]:
        """Every subscription, paused or not."""
        ...

    async def workspace_subscriptions(self, platform: str, workspace_id: str) -> list[Subscription]:
        """One workspace's subscriptions, paused or not, in channel order."""
        ...

    async def pause(self, place: Place, reason: str, now: datetime) -> None:
        """Stop posting to a channel until it subscribes again, remembering why."""
        ...

    async def due_subscriptions(
        self, now: datetime, limit: int, after: Subscription | None = None
    ) -> list[Subscription]:
        """Up to `limit` unpaused subscriptions whose `next_post_at` is at or before `now`.

        In order of (`next_post_at`, channel), starting after `after` (the last of the
        previous batch), so a caller reads every due row in batches, each row once.
        """
        ...

    async def set_next_post(
        self, sub: Subscription, at: datetime, *, done: date | None = None
    ) -> bool:
        """Set when the scheduler next looks at the subscription; False if nothing was written.

        Written only while the subscription still has the schedule `sub` was read with (time,
        zone, days, subscribed moment, not paused), so a plan made from a stale read never
        overwrites a change; with `done`, only once that local date's post is recorded.
        """
        ...

    async def earliest_next_post(self, after: datetime) -> datetime | None:
        """The earliest `next_post_at` later than `after` among unpaused subscriptions."""
        ...

    async def plan_all_again(self, now: datetime) -> None:
        """Make every unpaused subscription planned later than `now` due at `now`, so a
        scheduler starting with newer zone rules plans each one again."""
        ...

    async def plan_daily(
        self, place: Place, local_date: date, candidates: Sequence[str], now: datetime
    ) -> DailyPost | None:
        """The channel's specimen for a local date, drawn from its bag the first time asked."""
        ...

    async def claim_daily(
        self, place: Place, local_date: date, now: datetime, stale_before: datetime
    ) -> bool:
        """Claim the right to post a planned daily post; only one caller ever wins it.

        A claim whose post never completed and that was made before `stale_before` can be
        claimed again (the instance that made it crashed between claim and send).
        """
        ...

    async def release_daily(self, place: Place, local_date: date, claimed_at: datetime) -> None:
        """Give back the claim made at `claimed_at` whose post failed, so a later pass may try
        again; a claim taken over since (this one went stale) is left to its new holder."""
        ...

    async def record_daily(
        self,
        place: Place,
        local_date: date,
        message_id: str,
        now: datetime,
        quote_text: str | None = None,
        quote_source: str | None = None,
    ) -> None:
        """Record the platform's message id of a daily post that went out, and its quote."""
        ...

    async def daily_steps(self, place: Place, local_date: date) -> dict[str, DailyStep]:
        """The steps of the channel's post for a local date that are done or failed for good."""
        ...

    async def claim_step(
        self, place: Place, local_date: date, step: str, now: datetime, stale_before: datetime
    ) -> bool:
        """Claim the right to do one step; only one caller wins it, and never once it is done.

        A claim older than `stale_before` (its taker died mid-step) may be taken over.
        """
        ...

    async def record_step(
        self, place: Place, local_date: date, step: DailyStep, now: datetime
    ) -> None:
        """Record a claimed step as done (or failed for good); a done step stays as it was."""
        ...

    async def release_step(
        self, place: Place, local_date: date, step: str, claimed_at: datetime
    ) -> None:
        """Give back the claim made at `claimed_at` of a step that failed for now, so a later
        pass may try it; a claim taken over since (this one went stale) is left alone."""
        ...

    async def last_pinned(self, place: Place, before: date) -> str | None:
        """The message the bot last pinned in the channel for a date before `before`, if any."""
        ...

    async def last_daily(self, place: Place) -> DailyPost | None:
        """The most recent daily post that went out in the channel."""
        ...

    async def daily(self, place: Place, local_date: date) -> DailyPost | None:
        """The channel's daily post row for a local date, if it was planned."""
        ...

    async def count_roast(self, workspace: str, kind: str, name: str, day: date) -> None:
        """Add one to the workspace's count of `name` (`roast` or `missing`) on `day`."""
        ...

    async def vote(
        self, place: Place, local_date: date, member: str, choice: str, now: datetime
    ) -> tuple[DailyPost, Votes] | None:
        """A member's press of `choice` on the channel's post: given, changed, or taken back.

        Pressing the vote the member already gave takes it back; pressing the other changes
        it. Returns the post and its counts right after this press (presses on one post are
        counted one after another), or None when the channel has no such post that went out.
        """
        ...

    async def daily_history(
        self, place: Place, offset: int, limit: int
    ) -> tuple[int, list[PostVotes]]:
        """How many posts went out in the channel, and `limit` of them, newest first."""
        ...

    async def most_accurate(
        self, workspace: str, first: date, last: date, limit: int, channel: Place | None = None
    ) -> list[Tally]:
        """The roles (ids) with the most "accurate" votes on posts dated `first` to `last`.

        Counted over the workspace's channels, or over `channel` alone; a role voted
        accurate by no one is left out; ties go to the fewer "too harsh" votes.
        """
        ...

    async def roast_tally(
        self, workspace: str, kind: str, first: date, last: date, limit: int
    ) -> list[Tally]:
        """The `limit` names of a kind counted most from `first` to `last` (both included)."""
        ...

    async def get_state(self, key: str) -> str | None:
        """A small piece of the bot's own state (e.g. the last command-sync hash)."""
        ...

    async def set_state(self, key: str, value: str, now: datetime) -> None:
        """Remember a small piece of the bot's own state."""
        ...

    async def all_quotes(self, workspace: str | None = None) -> list[StoredQuote]:
        """Every admin quote, removed ones too, of one workspace or all, in a stable order.

        `workspace` is a workspace key (`discord:123`) or the bare id after the colon.
        """
        ...

    async def import_records(
        self, records: Sequence[QuoteRecord], suggested: Sequence[SuggestionRecord] = ()
    ) -> tuple[list[bool], list[bool]]:
        """Add quote records, then suggestion records, all in one transaction; per record,
        False if it was a duplicate. A database that fails part way writes none of them.

        A live quote record duplicates a live quote with the same fingerprint in its workspace
        and role; a removed one, any quote with the same fingerprint and `added_at`. A
        suggestion record is already there when its workspace has a suggestion with the same
        role, fingerprint, member and moment; an approved one is linked to the workspace's
        live quote with its fingerprint, if there is one.
        """
        ...

    async def save_slack_install(self, install: SlackInstall) -> None:
        """Keep the workspace's installation, replacing the one it had."""
        ...

    async def slack_install(
        self, enterprise_id: str, team_id: str, *, enterprise_wide: bool = False
    ) -> SlackInstall | None:
        """The installation serving a workspace (by `team_id`), or an org's (`enterprise_wide`)."""
        ...

    async def delete_slack_install(self, enterprise_id: str, team_id: str) -> bool:
        """Forget a workspace's installation and its tokens; False if it had none."""
        ...

    async def uninstall_slack(self, team_id: str, reason: str, now: datetime) -> int:
        """In one transaction, forget the workspace's tokens and pause its live subscriptions
        with `reason`, keeping its quotes; return how many subscriptions were paused."""
        ...

    async def issue_oauth_state(self, state: str, expires_at: datetime, now: datetime) -> None:
        """Remember a one-time OAuth `state` until `expires_at`, dropping states expired by now."""
        ...

    async def consume_oauth_state(self, state: str, now: datetime) -> bool:
        """Use up a state: True once if it was issued and has not expired, False ever after."""
        ...

    async def backup(self, target: Path) -> None:
        """Write a consistent copy of the whole database to `target`, replacing it."""
        ...

    async def check(self, *, quick: bool = False) -> StoreHealth:
        """Check the database's integrity and report its schema version and row counts.

        `quick` runs SQLite's quick_check, which skips index consistency: for health checks.
        """
        ...

    async def close(self) -> None:
        """Finish pending work and close the database."""
        ...
