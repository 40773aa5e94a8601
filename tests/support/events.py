"""Helpers for the competition engine's tests: a publisher recorder and a confirmed field."""

import json
from collections.abc import Iterator
from contextlib import contextmanager

from core import events, hooks
from core.models import (
    Registration,
    RegistrationPlayer,
    Team,
    TeamMembership,
    Tournament,
)
from core.rules.results import ResultSubmission, parse_result_rows
from realtime.frames import event_frame


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, list[events.Event]]] = []

    def __call__(self, tournament_id: int, batch) -> None:  # type: ignore[no-untyped-def]
        self.calls.append((tournament_id, list(batch)))

    @property
    def events(self) -> list[events.Event]:
        return [e for _, batch in self.calls for e in batch]


@contextmanager
def recording() -> Iterator[Recorder]:
    recorder = Recorder()
    previous = hooks.install(publish_events=recorder)
    try:
        yield recorder
    finally:
        hooks.restore(previous)


def logged(tournament: Tournament) -> list[dict]:
    """The tournament's event log, decoded, in seq order."""
    return [frame_of(e) for e in events.events_after(tournament.pk, 0) or []]


def frame_of(event: events.Event) -> dict:
    """The event as the room sends it, decoded."""
    return json.loads(event_frame(event))


def submission(rows: list[dict], *, final: bool = False, version: int | None = None):  # type: ignore[no-untyped-def]
    """The typed value match_result_submit takes, from rows as the wire carries them."""
    return ResultSubmission(parse_result_rows(rows), final, version)


def confirm(tournament: Tournament, team: Team) -> Registration:
    """A confirmed registration with the team's members as its roster (the registration API is
    someone else's; the engine only reads these rows)."""
    registration = Registration.objects.create(
        tournament=tournament,
        team=team,
        registered_by=team.memberships.get(role=TeamMembership.Role.CAPTAIN).user,
        status=Registration.Status.CONFIRMED,
    )
    RegistrationPlayer.objects.bulk_create(
        RegistrationPlayer(
            registration=registration,
            tournament=tournament,
            user=m.user,
            in_game_name=m.user.username,
            in_game_id=str(m.user.pk),
        )
        for m in team.memberships.select_related("user")
    )
    return registration
