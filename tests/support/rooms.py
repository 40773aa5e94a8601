"""A live room with one round, one group and two matches, built through the engine's services."""

from dataclasses import dataclass
from typing import Any

from rest_framework_simplejwt.tokens import AccessToken

from core.models import Group, Match, Team, Tournament, User
from core.services.competition import group_create, match_create, round_create
from tests.support.tournaments import live_tournament


@dataclass
class LiveRoom:
    tournament: Tournament
    host: User
    teams: list[Team]
    group: Group
    matches: list[Match]

    @property
    def path(self) -> str:
        return f"/ws/tournaments/{self.tournament.pk}/"

    @property
    def host_token(self) -> str:
        return str(AccessToken.for_user(self.host))

    def rows(self, order: list[int] | None = None, kills: int = 2) -> list[dict[str, Any]]:
        """A whole result: teams in `order` (indexes) take placements 1, 2, …"""
        order = order if order is not None else list(range(len(self.teams)))
        return [
            {"team": self.teams[i].pk, "placement": place, "kills": kills}
            for place, i in enumerate(order, start=1)
        ]


def live_room(teams: int = 4, prefix: str = "Team") -> LiveRoom:
    tournament, field = live_tournament(teams=teams, prefix=prefix)
    host = tournament.host
    round_ = round_create(actor=host, tournament=tournament, name="Final", is_final=True)
    group = group_create(
        actor=host, tournament=tournament, round_=round_, name="A", team_ids=[t.pk for t in field]
    )
    matches = [
        match_create(actor=host, tournament=tournament, group=group, map_name=m)
        for m in ("Erangel", "Miramar")
    ]
    return LiveRoom(tournament, host, field, group, matches)
