"""The public read cache: whole API bodies that every viewer sees alike (tournament lists for
anonymous visitors, tournament detail, standings), kept in the shared cache until the data behind
them changes or the clock changes them. A final's audience reloads these pages by the thousand;
without it each reload costs a few ORM queries and a DRF serializer (bench/README.md, "REST").

Invalidation by data: generation tokens, replaced after a write to a table public reads are
built from. A tournament's detail and standings are valid under the global token and that
tournament's own; the lists under the global token and the lists' token. A service that writes one
tournament's data says so (core/public_reads.py): its writes replace that tournament's token, and
the lists' token when they touch a table the lists show (a tournament row, its registrations), so a
result in one tournament leaves every other tournament's entries current. Any other write (one
nobody named: QuerySet.update() in a script, raw SQL, the admin; or one to rows several
tournaments show: games, users, teams) replaces the global token, which makes every entry stale.
Writes are seen where every one of them passes, an execute wrapper on each database connection, so
QuerySet.update(), bulk_create(), raw SQL through Django and the admin all count, not only the
save() calls a signal would see. The token is replaced when a
transaction first writes under it (the writer's own transaction and tests that never commit see
it at once; again after a later write only if an entry was read in between, so a submit's many
writes cost one round trip) and again after commit: a reader that built an entry from the old rows
between the two stored it under the first replacement, which the second makes stale.

Invalidation by the clock: between publishing and going live a status follows the registration
window, and a seat hold stops counting at its expiry, with no write. Every entry carries the
earliest such instant over all tournaments (`clock_horizon`) and is never served past it.

The commit-time bump is the first of the transaction's commit hooks: Django skips the hooks
after one that raises. Entry keys carry a fingerprint of the code (core/, Django, DRF), so a
rolling deploy never serves one release's bodies to the other.

A cache that is down never fails a read or a write: reads are built from the database, and a
bump that could not be stored is owed and paid before the process next uses the cache or the
database; after a failure the cache is left alone for RETRY_SECONDS. Not covered: a Redis
restored from an old snapshot brings its old generation back (bounded by the entries' lifetime).

The token is read before the body is built, so an entry can only be older than its token says,
never newer. Entries are also dropped after PUBLIC_READ_CACHE_SECONDS whatever happens, so a
write made outside Django (psql by hand) is visible within that time.

On by default when the cache is shared (REDIS_URL); with the per-process memory cache a write in
one process could not reach another's entries, so there it is off unless PUBLIC_READ_CACHE says.
"""

import contextlib
import functools
import hashlib
import json
import logging
import re
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import django
import rest_framework
from django.conf import settings
from django.core.cache import cache
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from core import public_reads
from core.models import Registration, Tournament
from core.rules.tournaments import SCHEDULED_STATUSES

log = logging.getLogger(__name__)

GENERATION_KEY = "public-read:generation"
LISTS_KEY = "public-read:generation:lists"
_ENTRY_PREFIX = "public-read:entry:"

# The statements that change a table, as Django (and a hand-written query) spells them.
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)"?', re.IGNORECASE
)
# Core tables no public read is built from; everything else of core's counts, so a new model is
# covered until someone decides otherwise.
_UNWATCHED = {
    "core_notification",
    "core_idempotencyrecord",
    "core_tournamentevent",
    "core_eventsequence",
    "core_tournamentaudience",  # the dashboards' spectator peak, no public body
}
# A login stamps last_login on the user row: not something a public page shows.
_LOGIN_STAMP = re.compile(r'^\s*UPDATE\s+"core_user"\s+SET\s+"last_login"\s*=\s*\S+\s+WHERE', re.I)
# Rows that several tournaments' bodies show (a game's name, a host's username, a team's name in
# every standings it appears in): a write to them is never one tournament's.
_SHARED = {"core_game", "core_user", "core_team"}
# What the lists show beyond the shared rows: tournament rows and the registrations that make
# their seat counts.
_LISTED = {"core_tournament", "core_registration"}


def tournament_key(tournament_id: int) -> str:
    return f"public-read:generation:t:{tournament_id}"


def enabled() -> bool:
    return settings.PUBLIC_READ_CACHE


def written_table(sql: str) -> str | None:
    """The table a statement changes, if public reads are built from it."""
    match = _WRITE.match(sql)
    if match is None:
        return None
    table = match.group(1).lower()
    if not table.startswith("core_") or table in _UNWATCHED or _LOGIN_STAMP.match(sql):
        return None
    return table


def changes_public_data(sql: str) -> bool:
    return written_table(sql) is not None


def generations_changed(table: str, tournament_id: int | None) -> tuple[str, ...]:
    """The tokens a write to `table` replaces, inside a block that named `tournament_id` (or
    none): the global one unless the write is that tournament's alone."""
    if tournament_id is None or table in _SHARED:
        return (GENERATION_KEY,)
    if table in _LISTED:
        return (tournament_key(tournament_id), LISTS_KEY)
    return (tournament_key(tournament_id),)


# A bump that could not reach the cache (Redis down): owed, and paid before this process next
# uses the cache or the database, so entries that survive the outage are not served as current.
# After a failure the cache is left alone for RETRY_SECONDS (reads go to the database), so a
# hanging Redis costs one socket timeout per interval, not one per statement.
RETRY_SECONDS = 5.0
_bump_owed = False
_failed_at = 0.0


def bump(key: str = GENERATION_KEY) -> None:
    """Make the entries under `key` stale (a fresh random token, so a token lost from the cache
    can never come back and revive entries built under it). Never fails the write that caused
    it: the cache is an optimisation, the database is the truth. A bump that could not be stored
    is owed as a global one, whatever its key: that covers every entry the lost one would have."""
    global _bump_owed, _failed_at
    if _bump_owed and time.monotonic() - _failed_at < RETRY_SECONDS:
        return  # still owed; tried again after the interval
    if _bump_owed:
        key = GENERATION_KEY
    try:
        cache.set(key, secrets.token_hex(8), timeout=None)
    except Exception:  # the cache backend's own errors (redis-py raises RedisError subclasses)
        if not _bump_owed:
            log.warning("public read cache: generation bump failed; owed", exc_info=True)
        _bump_owed, _failed_at = True, time.monotonic()
    else:
        _bump_owed = False


class _CommitBump:
    """The commit hook that bumps one key (compared by key, so a transaction holds one each).
    `reads` is the process's read count at this transaction's last bump of the key."""

    __slots__ = ("key", "reads")

    def __init__(self, key: str, reads: int) -> None:
        self.key, self.reads = key, reads

    def __call__(self) -> None:
        bump(self.key)


# Entries read or built by this process. A transaction bumps a key when it first writes under
# it and again only if an entry was read since: a submit's many writes under one key cost one
# cache round trip, not one each, and its own reads still never see an entry from before them.
_reads = 0


def _watch_writes(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
    result = execute(sql, params, many, context)
    if not enabled():
        return result
    if table := written_table(sql):
        connection = context["connection"]
        for key in generations_changed(table, public_reads.current_tournament()):
            if not connection.in_atomic_block:
                bump(key)
                continue
            hook = next(
                (f for _s, f, _r in connection.run_on_commit if getattr(f, "key", None) == key),
                None,
            )
            if hook is None:
                bump(key)
                # First of the commit hooks, and robust: Django drops every hook after one that
                # raises (an email task whose broker is down), and this one must run.
                hook_entry = (set(connection.savepoint_ids), _CommitBump(key, _reads), True)
                connection.run_on_commit.insert(0, hook_entry)
            elif hook.reads != _reads:
                bump(key)
                hook.reads = _reads
    elif _bump_owed:
        bump()  # any process that uses the database pays, not only one that serves reads
    return result


def watch_connection(connection: BaseDatabaseWrapper, **_kwargs: Any) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def install() -> None:
    """Called once from CoreConfig.ready(): every database connection gets the write watcher."""
    connection_created.connect(watch_connection, dispatch_uid="core.api.read_cache")


def clock_horizon(now: datetime) -> datetime | None:
    """The next instant after `now` at which a public body may change with no write: a
    registration window opening or closing, or a seat hold lapsing."""
    windows = Tournament.objects.filter(status__in=SCHEDULED_STATUSES).aggregate(
        opens=Min("registration_opens_at", filter=Q(registration_opens_at__gt=now)),
        closes=Min("registration_closes_at", filter=Q(registration_closes_at__gt=now)),
    )
    holds = Registration.objects.filter(
        status=Registration.Status.PENDING_PAYMENT, hold_expires_at__gt=now
    ).aggregate(lapses=Min("hold_expires_at"))
    found = [t for t in (*windows.values(), holds["lapses"]) if t is not None]
    return min(found, default=None)


@functools.cache
def code_version() -> str:
    """A fingerprint of the code that shapes the bodies (core/, Django, DRF): during a rolling
    deploy, or after one that changed a serializer without writing data, entries built by other
    code are never served."""
    digest = hashlib.sha256(f"{django.__version__} {rest_framework.VERSION}".encode())
    for path in sorted(Path(__file__).resolve().parents[1].rglob("*.py")):  # all of core/
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def entry_key(request: HttpRequest) -> str:
    # Host and scheme are part of it: paginated bodies carry absolute next/previous links.
    raw = f"{code_version()} {request.scheme}://{request.get_host()}{request.get_full_path()}"
    return _ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()[:32]


def cached_response(
    request: Request,
    build: Callable[[], tuple[Any, bool]],
    *,
    shared_view: bool = True,
    tournament_id: int | None = None,
) -> HttpResponseBase:
    """The response to this GET: from the cache when its entry is current, else from `build()`,
    which returns (body, shareable); only a shareable body (the same for every viewer) is stored.
    `tournament_id` names the one tournament the body shows (its detail, its standings); without
    it the body is a list. `shared_view=False` says this viewer may see something else (a host's
    own drafts in a list): they neither read nor write entries. Entries hold the body as rendered
    JSON, so a hit is served without rendering again."""
    if not enabled() or not shared_view or not _owed_bump_paid():
        return Response(build()[0])
    global _reads
    _reads += 1
    key = entry_key(request)
    scope = LISTS_KEY if tournament_id is None else tournament_key(tournament_id)
    try:
        # One round trip on the hot path: the tokens the entry depends on, and the entry.
        found = cache.get_many(list(dict.fromkeys([GENERATION_KEY, LISTS_KEY, scope, key])))
        generations = tuple(
            found.get(k) or _new_generation(k) for k in (GENERATION_KEY, LISTS_KEY, scope)
        )
    except Exception:  # the cache is down: answer from the database
        log.warning("public read cache unavailable", exc_info=True)
        return Response(build()[0])
    entry = found.get(key)
    now = timezone.now()
    if entry is not None and entry[0] == generations and (entry[1] is None or now < entry[1]):
        return _respond(request, rendered=entry[2])
    body, shareable = build()
    if not shareable or None in generations:
        return Response(body)
    rendered = JSONRenderer().render(body)
    with contextlib.suppress(Exception):  # a lost store is only a later miss
        # The clock horizon follows tournament rows and holds: the lists' writes move it.
        entry = (generations, _horizon(generations[:2], now), rendered)
        cache.set(key, entry, timeout=settings.PUBLIC_READ_CACHE_SECONDS)
    return _respond(request, rendered=rendered, body=body)


def _owed_bump_paid() -> bool:
    if _bump_owed:
        bump()
    return not _bump_owed


def _new_generation(key: str) -> str | None:
    """The cache lost the token (or never had one): a fresh one, unless another process won."""
    generation = secrets.token_hex(8)
    if cache.add(key, generation, timeout=None):
        return generation
    return cache.get(key)


# The last clock horizon this process computed: (generation, computed at, horizon). With no
# write since (same generation) and `now` between the two instants, it is still the next edge,
# so a burst of misses after a write costs its queries once, not once per address.
_last_horizon: tuple[tuple[str, ...], datetime, datetime | None] | None = None


def _horizon(generation: tuple[str, ...], now: datetime) -> datetime | None:
    global _last_horizon
    known = _last_horizon
    if (
        known is not None
        and known[0] == generation
        and known[1] <= now
        and (known[2] is None or now < known[2])
    ):
        return known[2]
    horizon = clock_horizon(now)
    _last_horizon = (generation, now, horizon)
    return horizon


def _respond(request: Request, *, rendered: bytes, body: Any = None) -> HttpResponseBase:
    renderer = getattr(request, "accepted_renderer", None)
    if type(renderer) is JSONRenderer:  # what DRF would send, byte for byte
        return HttpResponse(rendered, content_type=renderer.media_type)
    # e.g. the browsable API (DEBUG)
    return Response(json.loads(rendered) if body is None else body)
