"""Seeds the browser tests' database: run as a script against the SQLite file the test server
uses (`python tests/e2e/seed.py`, with DATABASE_URL/VAR_DIR set by tests/e2e/conftest.py).

It builds the field the way a host would (the engine's services, not raw rows, so the room's
snapshot is the real thing) and prints what the test needs as one JSON line.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Nobody signs in with these passwords: a fast hasher keeps seeding to a second.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

from django.utils import timezone  # noqa: E402

from core.models import Registration, Tournament, User  # noqa: E402
from core.services.competition import group_create, match_create, round_create  # noqa: E402
from core.services.results import match_result_submit  # noqa: E402
from core.services.tokens import token_pair_for  # noqa: E402
from core.services.winners import tournament_select_winner  # noqa: E402
from tests.factories import (  # noqa: E402
    HostFactory,
    TournamentFactory,
    captain_of,
    team_with_roster,
)
from tests.support.events import submission  # noqa: E402
from tests.support.tournaments import confirm, roster_ids  # noqa: E402

# One team name tries to inject markup: the page must show it as text.
TEAM_NAMES = [
    "Team Soul",
    "GodLike Esports",
    "Blind Esports",
    "<img src=x onerror=\"document.title='pwned'\">",
    "Orangutan",
    "Revenant",
]
MAPS = ["Erangel", "Miramar", "Sanhok"]


def seed_tournament(host: User, title: str, tag_prefix: str) -> dict[str, Any]:
    now = timezone.now()
    tournament = TournamentFactory(
        host=host,
        title=title,
        kind=Tournament.Kind.SCRIM,
        status=Tournament.Status.LIVE,
        max_teams=len(TEAM_NAMES),
        registration_opens_at=now - timedelta(days=3),
        registration_closes_at=now - timedelta(days=2),
        starts_at=now - timedelta(hours=1),
    )
    teams = [
        team_with_roster(size=1, name=f"{name} {tag_prefix}", tag=f"{tag_prefix}{i}")
        for i, name in enumerate(TEAM_NAMES, 1)
    ]
    for team in teams:
        confirm(tournament, team)
    round_ = round_create(actor=host, tournament=tournament, name="Scrim day")
    group = group_create(
        actor=host,
        tournament=tournament,
        round_=round_,
        name="A",
        team_ids=[t.pk for t in teams],
    )
    matches = [
        match_create(actor=host, tournament=tournament, group=group, map_name=name) for name in MAPS
    ]
    return {
        "tournament": tournament.pk,
        "round": round_.pk,
        "group": group.pk,
        "matches": [m.pk for m in matches],
        "teams": [{"id": t.pk, "name": t.name} for t in teams],
    }


def seed_finished(host: User) -> dict[str, Any]:
    """A scrim played to the end and crowned: what a page opened afterwards must show."""
    data = seed_tournament(host, "Finished Cup", "F")
    teams = [t["id"] for t in data["teams"]]
    for number, match_id in enumerate(data["matches"]):
        # The first team wins matches 1 and 3, the second wins match 2: the first is champion.
        order = [teams[1], teams[0], *teams[2:]] if number == 1 else teams
        rows = [{"team": t, "placement": p, "kills": 3} for p, t in enumerate(order, 1)]
        match_result_submit(actor=host, match_id=match_id, submission=submission(rows, final=True))
    tournament = Tournament.objects.get(pk=data["tournament"])
    tournament_select_winner(actor=host, tournament=tournament)
    return {**data, "champion": data["teams"][0]["name"]}


def seed_paid(host: User) -> dict[str, Any]:
    """A tournament with an entry fee, open for registration, and a captain ready to pay."""
    tournament = TournamentFactory(host=host, title="Paid Cup", entry_fee=4900, max_teams=8)
    team = team_with_roster(size=tournament.game.squad_size, name="Payers", tag="PAY")
    captain = captain_of(team)
    return {
        "tournament": tournament.pk,
        "register": {"team": team.pk, "players": roster_ids(team)},
        "captain_token": token_pair_for(captain)["access"],
    }


def seed_checkin(host: User) -> dict[str, Any]:
    """A tournament before its start with check-in open: one team in, two to go."""
    now = timezone.now()
    tournament = TournamentFactory(
        host=host,
        title="Check-in Cup",
        status=Tournament.Status.REGISTRATION_CLOSED,
        registration_opens_at=now - timedelta(days=2),
        registration_closes_at=now - timedelta(hours=1),
        checkin_opens_at=now - timedelta(minutes=10),
        checkin_closes_at=now + timedelta(hours=1),
        starts_at=now + timedelta(hours=2),
    )
    teams = [team_with_roster(size=1, name=f"Checker {i}", tag=f"K{i}") for i in (1, 2, 3)]
    registrations = [confirm(tournament, team) for team in teams]
    Registration.objects.filter(pk=registrations[0].pk).update(checked_in_at=now)
    return {
        "tournament": tournament.pk,
        "late_team": teams[1].name,
        "late_captain_token": token_pair_for(captain_of(teams[1]))["access"],
    }


def main() -> None:
    host = HostFactory(username="e2ehost")
    seeded = {
        # One tournament per test that changes results, so tests do not depend on their order.
        "live": seed_tournament(host, "Browser Cup", "L"),
        "overlay": seed_tournament(host, "Overlay Cup", "O"),
        "client": seed_tournament(host, "Client Cup", "C"),
        "finished": seed_finished(host),
        "simulated": seed_tournament(host, "Simulated Cup", "S"),
        "paid": seed_paid(host),
        "checkin": seed_checkin(host),
        "host_token": token_pair_for(host)["access"],
    }
    print(json.dumps(seeded))


if __name__ == "__main__":
    main()
