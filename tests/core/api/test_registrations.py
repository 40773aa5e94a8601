"""core/api/tournaments/ registration endpoints: the whole REST story of a scrim filling up, the
CSV export, access, "my registrations", and constant query counts."""

import csv
import io
from typing import Any

import pytest
from rest_framework.test import APIClient

from core.models import Registration, Team, Tournament
from tests.factories import (
    HostFactory,
    TournamentFactory,
    UserFactory,
    captain_of,
    team_with_roster,
)
from tests.support.api import client_as
from tests.support.tournaments import create_body, register_body

pytestmark = pytest.mark.django_db


def _publish_a_scrim(hc: APIClient) -> tuple[int, str]:
    """The host creates a scrim (a draft) and publishes it: registration opens."""
    response = hc.post("/api/scrims/", create_body(title="Night Scrim"), format="json")
    assert response.status_code == 201, response.json()
    scrim = response.json()
    assert (scrim["kind"], scrim["status"]) == ("scrim", "draft")
    response = hc.post(f"/api/scrims/{scrim['id']}/publish/")
    assert (response.status_code, response.json()["status"]) == (200, "registration_open")
    return scrim["id"], f"/api/scrims/{scrim['id']}"


def _fill_every_seat(url: str, teams: list[Team]) -> None:
    """25 free registrations are confirmed at once; the 26th finds the scrim full and joins its
    waitlist, first in line."""
    for team in teams[:25]:
        response = client_as(captain_of(team)).post(
            f"{url}/register/", register_body(team), format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["registration"]["status"] == "confirmed"
        assert response.json()["payment"] is None

    response = client_as(captain_of(teams[25])).post(
        f"{url}/register/", register_body(teams[25]), format="json"
    )
    assert response.status_code == 201, response.json()
    queued = response.json()["registration"]
    assert (queued["status"], queued["waitlist_position"]) == ("waitlisted", 1)
    assert response.json()["payment"] is None


def _withdraw_and_take_the_seat(hc: APIClient, url: str, teams: list[Team]) -> None:
    """The withdrawn seat goes to the head of the waitlist at once (a free entry: confirmed)."""
    response = client_as(captain_of(teams[3])).post(f"{url}/withdraw/", {}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")
    mine = client_as(captain_of(teams[25])).get("/api/tournaments/my-registrations/").json()
    assert (mine["results"][0]["status"], mine["results"][0]["waitlist_position"]) == (
        "confirmed",
        None,
    )
    assert hc.get(f"{url}/").json()["seats_taken"] == 25


def _check_the_export(hc: APIClient, url: str, teams: list[Team]) -> None:
    response = hc.get(f"{url}/registrations/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["team", "tag", "captain", "players", "status", "paid"]
    assert len(rows) == 1 + 26  # every registration, the withdrawn one included
    by_team = {row[0]: row for row in rows[1:]}
    first = teams[0]
    player = first.memberships.order_by("id")[1].user
    profile = player.game_profiles.get()
    assert by_team[first.name][1:3] == [first.tag, captain_of(first).username]
    assert f"{profile.in_game_name} ({profile.in_game_id})" in by_team[first.name][3]
    assert by_team[first.name][4:] == ["confirmed", "no"]
    assert by_team[teams[3].name][4] == "withdrawn"


def _disqualify(hc: APIClient, url: str, scrim_id: int, team: Team) -> None:
    target = Registration.objects.get(team=team, tournament_id=scrim_id)
    response = hc.patch(
        f"{url}/registrations/{target.pk}/",
        {"action": "disqualify", "reason": "Teaming"},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["reason"]) == ("disqualified", "Teaming")
    assert hc.get(f"{url}/").json()["seats_taken"] == 24


def test_the_whole_story() -> None:
    """A host publishes a scrim, 25 teams fill it, one withdraws and another takes its seat, the
    host exports the registrations and disqualifies a team."""
    hc = client_as(HostFactory())
    scrim_id, url = _publish_a_scrim(hc)
    teams = [team_with_roster() for _ in range(27)]
    _fill_every_seat(url, teams)
    _withdraw_and_take_the_seat(hc, url, teams)
    _check_the_export(hc, url, teams)
    _disqualify(hc, url, scrim_id, teams[7])


def test_registration_errors_are_clear() -> None:
    t = TournamentFactory()
    team = team_with_roster()
    client = client_as(captain_of(team))
    response = client.post(
        f"/api/tournaments/{t.pk}/register/", register_body(team, size=3), format="json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "BGMI needs exactly 4 players; 3 were given."
    response = client.post(
        f"/api/tournaments/{t.pk}/register/", {"team": 999999, "players": []}, format="json"
    )
    assert response.status_code == 404


def test_access_to_registration_endpoints() -> None:
    host = HostFactory()
    t = TournamentFactory(host=host)
    team = team_with_roster()
    captain = captain_of(team)
    client_as(captain).post(
        f"/api/tournaments/{t.pk}/register/", register_body(team), format="json"
    )
    registration = Registration.objects.get()
    base = f"/api/tournaments/{t.pk}/registrations"
    for user in (captain, UserFactory(), HostFactory()):
        client = client_as(user)
        assert client.get(f"{base}/export/").status_code == 403
        response = client.patch(
            f"{base}/{registration.pk}/", {"action": "reject", "reason": "x"}, format="json"
        )
        assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    # Another host's registration id under my tournament: not found.
    mine = TournamentFactory(host=HostFactory())
    response = client_as(mine.host).patch(
        f"/api/tournaments/{mine.pk}/registrations/{registration.pk}/",
        {"action": "approve"},
        format="json",
    )
    assert response.status_code == 404
    # Someone else cannot withdraw my team.
    response = client_as(UserFactory()).post(
        f"/api/tournaments/{t.pk}/withdraw/", {"team": team.pk}
    )
    assert response.status_code == 403
    # Anonymous users cannot register.
    response = APIClient().post(
        f"/api/tournaments/{t.pk}/register/", register_body(team), format="json"
    )
    assert response.status_code == 401


def test_mass_assignment_of_registration_fields_is_ignored() -> None:
    t = TournamentFactory(entry_fee=5000)
    team = team_with_roster()
    body = {
        **register_body(team),
        "status": "confirmed",
        "is_paid": True,
        "registered_by": HostFactory().pk,
        "captain": UserFactory().pk,
    }
    response = client_as(captain_of(team)).post(
        f"/api/tournaments/{t.pk}/register/", body, format="json"
    )
    assert response.status_code == 201
    registration = Registration.objects.get()
    assert (registration.status, registration.is_paid, registration.registered_by) == (
        Registration.Status.PENDING_PAYMENT,
        False,
        captain_of(team),
    )


def test_public_sees_confirmed_registrations_only_and_the_host_all() -> None:
    host = HostFactory()
    t = TournamentFactory(host=host, entry_fee=100)
    teams = [team_with_roster() for _ in range(2)]
    for team in teams:
        client_as(captain_of(team)).post(
            f"/api/tournaments/{t.pk}/register/", register_body(team), format="json"
        )
    Registration.objects.filter(team=teams[0]).update(status=Registration.Status.CONFIRMED)
    public = APIClient().get(f"/api/tournaments/{t.pk}/registrations/").json()
    assert [r["team"]["name"] for r in public["results"]] == [teams[0].name]
    assert client_as(host).get(f"/api/tournaments/{t.pk}/registrations/").json()["count"] == 2


def test_my_registrations() -> None:
    team = team_with_roster()
    t1, t2 = TournamentFactory(), TournamentFactory()
    captain = captain_of(team)
    for t in (t1, t2):
        client_as(captain).post(
            f"/api/tournaments/{t.pk}/register/", register_body(team), format="json"
        )
    player = team.memberships.order_by("id")[2].user
    for user in (captain, player):
        body = client_as(user).get("/api/tournaments/my-registrations/").json()
        assert [r["tournament"]["id"] for r in body["results"]] == [t2.pk, t1.pk]
    assert client_as(UserFactory()).get("/api/tournaments/my-registrations/").json()["count"] == 0
    assert APIClient().get("/api/tournaments/my-registrations/").status_code == 401


def _fill(t: Tournament, n: int) -> None:
    for _ in range(n):
        team = team_with_roster()
        client_as(captain_of(team)).post(
            f"/api/tournaments/{t.pk}/register/", register_body(team), format="json"
        )


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("registrations/", 4),  # tournament, count, page, players
        ("registrations/export/", 3),  # tournament, registrations, players
    ],
)
def test_registration_lists_run_a_constant_number_of_queries(
    path: str, queries: int, django_assert_num_queries: Any
) -> None:
    host = HostFactory()
    t = TournamentFactory(host=host)
    client = client_as(host)
    for n in (1, 5):
        _fill(t, n)
        with django_assert_num_queries(queries):
            assert client.get(f"/api/tournaments/{t.pk}/{path}").status_code == 200


def test_my_registrations_runs_a_constant_number_of_queries(
    django_assert_num_queries: Any,
) -> None:
    team = team_with_roster()
    client = client_as(captain_of(team))
    t = TournamentFactory()
    client.post(f"/api/tournaments/{t.pk}/register/", register_body(team), format="json")
    with django_assert_num_queries(3):  # count, page, players
        client.get("/api/tournaments/my-registrations/")
    for _ in range(3):
        t = TournamentFactory()
        client.post(f"/api/tournaments/{t.pk}/register/", register_body(team), format="json")
    with django_assert_num_queries(3):
        assert client.get("/api/tournaments/my-registrations/").json()["count"] == 4


def test_in_game_ids_are_for_the_host_staff_and_the_team_not_the_public() -> None:
    host = HostFactory()
    t = TournamentFactory(host=host)
    team, other = team_with_roster(), team_with_roster()
    for entrant in (team, other):
        created = client_as(captain_of(entrant)).post(
            f"/api/tournaments/{t.pk}/register/", register_body(entrant), format="json"
        )
        assert created.status_code == 201
        assert all(p["in_game_id"] for p in created.json()["registration"]["players"])
    url = f"/api/tournaments/{t.pk}/registrations/"

    def ids_seen_by(client: APIClient) -> dict[str, list[Any]]:
        rows = client.get(url).json()["results"]
        return {r["team"]["name"]: [p["in_game_id"] for p in r["players"]] for r in rows}

    everyone = [APIClient(), client_as(UserFactory())]
    for stranger in everyone:
        seen = ids_seen_by(stranger)
        assert set(seen) == {team.name, other.name}
        assert all(v is None for ids in seen.values() for v in ids)  # names only
        rows = stranger.get(url).json()["results"]
        assert all(p["in_game_name"] for r in rows for p in r["players"])
    for insider in (client_as(host), client_as(UserFactory(is_staff=True))):
        assert all(v for ids in ids_seen_by(insider).values() for v in ids)
    member = client_as(team.memberships.exclude(role="captain").first().user)
    seen = ids_seen_by(member)
    assert all(seen[team.name]) and not any(seen[other.name])
