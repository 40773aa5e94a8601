"""Which public reads a write changes: a service that writes one tournament's data says so, so the
public read cache (core/api/read_cache.py) makes only that tournament's entries stale instead of
every entry of every tournament.

    with public_reads.tournament_writes(tournament_id):
        ...  # the writes of this tournament's result, inside the service's transaction

The cache's execute wrapper sees every write to a core table; inside such a block it bumps the
tournament's generation (and the lists' generation for a write to a table the lists show), and
outside one it bumps the global generation, as for any write nobody named (QuerySet.update() in a
script, raw SQL, the admin). Tables whose rows several tournaments' bodies show (games, users,
teams) always bump the global generation, named or not.

A block promises that its writes belong to that tournament. It lives in a context variable, so it
ends with the block whatever happens (an exception, a rollback) and never leaks into the next
request served by the same thread.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[int | None] = ContextVar("public_reads_tournament", default=None)


@contextmanager
def tournament_writes(tournament_id: int) -> Iterator[None]:
    token = _current.set(tournament_id)
    try:
        yield
    finally:
        _current.reset(token)


def current_tournament() -> int | None:
    """The tournament the running writes were declared to belong to, if any."""
    return _current.get()
