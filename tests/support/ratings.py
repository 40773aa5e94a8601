"""A completed tournament and the players who played in it (host rating tests)."""

from core.models import RegistrationPlayer, Tournament, User
from tests.support.tournaments import live_tournament


def completed(
    teams: int = 2, roster: int = 2, prefix: str = "Team"
) -> tuple[Tournament, list[User]]:
    t, _ = live_tournament(teams=teams, roster=roster, prefix=prefix)
    Tournament.objects.filter(pk=t.pk).update(status=Tournament.Status.COMPLETED)
    t.refresh_from_db()
    players = [
        p.user for p in RegistrationPlayer.objects.filter(tournament=t).select_related("user")
    ]
    return t, players
