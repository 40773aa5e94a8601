"""tests/factories.py builds what the suite relies on."""

import pytest

from tests.factories import TournamentFactory, captain_of, team_with_roster


@pytest.mark.django_db
def test_factories_build_a_registrable_team() -> None:
    team = team_with_roster(size=4)
    assert team.memberships.count() == 4
    assert captain_of(team).game_profiles.filter(game=team.game).exists()
    assert TournamentFactory().host.is_verified_host
