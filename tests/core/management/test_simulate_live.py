"""core/management/commands/: seed_demo's live scrim (seeding twice changes nothing) played by
simulate_live over a real server's websocket."""

import io

import pytest
from django.core.management import call_command

from core.management.commands.seed_demo_live import demo_tournament
from core.models import Match, MatchResult
from tests.support.servers import AsgiServer, database_url_of_this_run

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simulate_live_plays_every_match_over_the_socket() -> None:
    call_command("seed_demo")
    tournament = demo_tournament()
    assert tournament is not None
    call_command("seed_demo")  # idempotent
    server = AsgiServer({"DATABASE_URL": database_url_of_this_run()}).start()
    try:
        call_command(
            "simulate_live", tournament.pk, url=server.ws, pause=0, seed=7, stdout=io.StringIO()
        )
    finally:
        server.stop()
    matches = Match.objects.filter(tournament=tournament)
    assert matches.count() == 6
    assert set(matches.values_list("status", flat=True)) == {"completed"}
    assert MatchResult.objects.filter(tournament=tournament).count() == 6 * 16
