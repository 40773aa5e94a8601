"""The event log as the tests read it: a publisher that records, the log decoded, and the typed
result a submit takes."""

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from core import events, hooks
from core.models import Tournament
from core.rules.results import ResultSubmission, parse_result_rows
from realtime.frames import event_frame


class Recorder:
    """A publisher (core/hooks.py `publish_events`) that keeps every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, list[events.Event]]] = []

    def __call__(self, tournament_id: int, batch: Sequence[events.Event]) -> None:
        self.calls.append((tournament_id, list(batch)))

    @property
    def events(self) -> list[events.Event]:
        return [e for _, batch in self.calls for e in batch]


@contextmanager
def recording() -> Iterator[Recorder]:
    """Install a Recorder as the publisher for the block, then put the previous one back."""
    recorder = Recorder()
    previous = hooks.install(publish_events=recorder)
    try:
        yield recorder
    finally:
        hooks.restore(previous)


def logged(tournament: Tournament) -> list[dict[str, Any]]:
    """The tournament's event log, decoded, in seq order."""
    return [frame_of(e) for e in events.events_after(tournament.pk, 0) or []]


def frame_of(event: events.Event) -> dict[str, Any]:
    """The event as the room sends it, decoded."""
    return json.loads(event_frame(event))


def submission(
    rows: list[dict[str, Any]], *, final: bool = False, version: int | None = None
) -> ResultSubmission:
    """The typed value match_result_submit takes, from rows as the wire carries them."""
    return ResultSubmission(parse_result_rows(rows), final, version)
