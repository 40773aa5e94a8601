"""Query parameters (core/api/params.py, core/api/pagination.py): a value outside its type or
choices is 400 validation_error naming the parameter, never quietly a default."""

import pytest
from django.http import QueryDict

from core.api.params import query_bool, query_choice, query_int, query_ref
from core.errors import ValidationError
from tests.factories import HostFactory, TeamFactory, TournamentFactory, UserFactory
from tests.support.api import assert_error, client_as

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "value"),
    [("true", True), ("TRUE", True), ("1", True), ("false", False), ("0", False), (None, None)],
)
def test_booleans_are_true_false_1_or_0(raw: str | None, value: bool | None) -> None:
    params = QueryDict(f"flag={raw}") if raw is not None else QueryDict()
    assert query_bool(params, "flag") is value


@pytest.mark.parametrize("raw", ["null", "", "yes", "2", "tru"])
def test_anything_else_is_not_a_boolean(raw: str) -> None:
    with pytest.raises(ValidationError) as info:
        query_bool(QueryDict(f"flag={raw}"), "flag")
    assert info.value.details == {"flag": ["Must be true or false (or 1 or 0)."]}


@pytest.mark.parametrize("raw", ["0", "-1", "1.5", "\u00b2", "\u0661", " 3", "101", "", "false"])
def test_integers_are_ascii_digits_within_bounds(raw: str) -> None:
    with pytest.raises(ValidationError) as info:
        query_int(QueryDict(f"n={raw}"), "n", maximum=100)
    assert "n" in info.value.details
    assert query_int(QueryDict("n=100"), "n", maximum=100) == 100
    assert query_int(QueryDict(), "n", default=7) == 7


def test_choices_are_exact_and_refs_are_slugs_names_or_ids() -> None:
    assert query_choice(QueryDict("k=teams"), "k", ["teams", "players"]) == "teams"
    assert query_choice(QueryDict(), "k", ["teams"], default="teams") == "teams"
    for raw in ("bogus", "Teams", ""):
        with pytest.raises(ValidationError):
            query_choice(QueryDict(f"k={raw}"), "k", ["teams", "players"])
    assert query_ref(QueryDict("game=free-fire"), "game") == "free-fire"
    assert query_ref(QueryDict("game=12"), "game") == "12"
    for raw in ("free fire", "²", "", "a/b"):
        with pytest.raises(ValidationError):
            query_ref(QueryDict(f"game={raw}"), "game")


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/accounts/leaderboard/?kind=bogus", "kind"),
        ("/api/accounts/leaderboard/?game=no%20such", "game"),
        ("/api/tournaments/?status=bogus", "status"),
        ("/api/tournaments/?kind=bogus", "kind"),
        ("/api/tournaments/?ordering=host", "ordering"),
        ("/api/tournaments/?game=%C2%B2", "game"),
        ("/api/tournaments/?host=%C2%B2", "host"),
        ("/api/scrims/?page_size=0", "page_size"),
        ("/api/accounts/teams/?mine=yes", "mine"),
        ("/api/accounts/teams/?page=0", "page"),
        ("/api/accounts/teams/?page_size=101", "page_size"),
        ("/api/accounts/teams/?page=abc", "page"),
    ],
)
def test_public_lists_refuse_values_outside_their_parameters(url: str, parameter: str) -> None:
    body = assert_error(client_as().get(url), 400, "validation_error")
    assert parameter in body["details"]


def test_signed_in_lists_refuse_values_outside_their_parameters() -> None:
    user = UserFactory()
    for url, parameter in [
        ("/api/accounts/notifications/?unread=null", "unread"),
        ("/api/accounts/teams/invites/?page_size=false", "page_size"),
        ("/api/accounts/teams/invites/?status=bogus", "status"),
        ("/api/tournaments/my-registrations/?page=-1", "page"),
        ("/api/payments/history/?page_size=1000", "page_size"),
    ]:
        body = assert_error(client_as(user).get(url), 400, "validation_error")
        assert parameter in body["details"], url


def test_a_page_past_the_last_is_404_and_valid_values_are_read() -> None:
    TeamFactory()
    assert_error(client_as().get("/api/accounts/teams/?page=2"), 404, "not_found")
    assert client_as().get("/api/accounts/teams/?page=1&page_size=100").json()["count"] == 1
    unread = client_as(UserFactory()).get("/api/accounts/notifications/?unread=false")
    assert unread.status_code == 200


def test_staff_filters_refuse_values_outside_their_parameters() -> None:
    staff = UserFactory(is_staff=True)
    for url, parameter in [
        ("/api/admin/users/?is_active=maybe", "is_active"),
        ("/api/admin/users/?email_verified=null", "email_verified"),
        ("/api/admin/users/?role=admin", "role"),
        ("/api/admin/users/?host_status=bogus", "host_status"),
    ]:
        body = assert_error(client_as(staff).get(url), 400, "validation_error")
        assert parameter in body["details"], url
    listed = client_as(staff).get("/api/admin/users/?is_active=true&role=staff").json()
    assert [u["username"] for u in listed["results"]] == [staff.username]


def test_team_request_lists_refuse_unknown_statuses() -> None:
    from tests.factories import captain_of, team_with_roster

    team = team_with_roster(size=1)
    captain = client_as(captain_of(team))
    for path in ("join-requests", "invites"):
        body = assert_error(captain.get(f"/api/accounts/teams/{team.pk}/{path}/?status=x"), 400)
        assert "status" in body["details"]
        assert captain.get(f"/api/accounts/teams/{team.pk}/{path}/?status=all").status_code == 200


@pytest.mark.parametrize("query", ["round=abc", "round=%C2%B2", "group=0", "group=1.5"])
def test_competition_reads_refuse_ids_that_are_not_ids(query: str) -> None:
    tournament = TournamentFactory(host=HostFactory())
    for path in ("groups", "matches", "standings"):
        if path == "groups" and query.startswith("group"):
            continue
        url = f"/api/tournaments/{tournament.pk}/{path}/?{query}"
        body = assert_error(client_as().get(url), 400, "validation_error")
        assert query.split("=")[0] in body["details"], url


def test_an_empty_idempotency_key_is_refused() -> None:
    tournament = TournamentFactory()
    response = client_as(tournament.host).post(
        f"/api/tournaments/{tournament.pk}/announcements/",
        {"message": "Lobby opens in 5"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=" ",
    )
    assert "Idempotency-Key" in assert_error(response, 400, "validation_error")["details"]
