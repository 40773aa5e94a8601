"""core/api/tournaments/: the tournament and scrim endpoints: lists (filters, order, visibility,
pagination, query counts), details, host-only writes, mass assignment, /api/scrims/ constraints,
banner uploads, schema."""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from core.models import Tournament
from tests.factories import (
    HostFactory,
    TournamentFactory,
    UserFactory,
    captain_of,
    game,
    team_with_roster,
)
from tests.support.api import client_as
from tests.support.tournaments import create_body, register_body

pytestmark = pytest.mark.django_db
S = Tournament.Status


def _titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.json()
    return [t["title"] for t in response.json()["results"]]


def test_list_orders_paid_plans_first_then_by_start() -> None:
    now = timezone.now()
    day = timedelta(days=1)
    TournamentFactory(title="basic-soon", starts_at=now + day * 2)
    TournamentFactory(title="premium-late", plan="premium", plan_rank=2, starts_at=now + day * 9)
    TournamentFactory(title="featured", plan="featured", plan_rank=1, starts_at=now + day * 3)
    TournamentFactory(title="basic-late", starts_at=now + day * 5)
    assert _titles(APIClient().get("/api/tournaments/")) == [
        "premium-late",
        "featured",
        "basic-soon",
        "basic-late",
    ]
    assert _titles(APIClient().get("/api/tournaments/?ordering=-starts_at"))[2:] == [
        "basic-late",
        "basic-soon",
    ]
    assert APIClient().get("/api/tournaments/?ordering=host").status_code == 400


def test_list_filters() -> None:
    host = HostFactory(username="orgzilla")
    ff = game("free-fire")
    TournamentFactory(title="Alpha Cup", host=host)
    TournamentFactory(title="Beta Scrim", kind="scrim", game=ff)
    TournamentFactory(
        title="Closed One",
        registration_opens_at=timezone.now() - timedelta(days=3),
        registration_closes_at=timezone.now() - timedelta(days=1),
    )
    c = APIClient()
    assert _titles(c.get("/api/tournaments/?kind=scrim")) == ["Beta Scrim"]
    assert _titles(c.get("/api/scrims/")) == ["Beta Scrim"]
    assert _titles(c.get("/api/tournaments/?game=free-fire")) == ["Beta Scrim"]
    assert _titles(c.get(f"/api/tournaments/?game={ff.pk}")) == ["Beta Scrim"]
    assert _titles(c.get("/api/tournaments/?host=orgzilla")) == ["Alpha Cup"]
    assert _titles(c.get(f"/api/tournaments/?host={host.pk}")) == ["Alpha Cup"]
    assert _titles(c.get("/api/tournaments/?search=alpha")) == ["Alpha Cup"]
    # Status follows the clock even though the stored value still says open.
    assert _titles(c.get("/api/tournaments/?status=registration_closed")) == ["Closed One"]
    assert "Closed One" not in _titles(c.get("/api/tournaments/?status=registration_open"))
    assert c.get("/api/tournaments/?status=bogus").status_code == 400


def test_drafts_and_private_tournaments_stay_out_of_lists() -> None:
    host = HostFactory()
    draft = TournamentFactory(title="draft", host=host, status=S.DRAFT)
    TournamentFactory(title="private", host=host, visibility="private")
    TournamentFactory(title="unlisted", visibility="unlisted")
    TournamentFactory(title="public")
    assert _titles(APIClient().get("/api/tournaments/")) == ["public"]
    assert _titles(client_as(UserFactory()).get("/api/tournaments/")) == ["public"]
    assert set(_titles(client_as(host).get("/api/tournaments/"))) == {"draft", "private", "public"}
    assert APIClient().get(f"/api/tournaments/{draft.pk}/").status_code == 404
    assert client_as(HostFactory()).get(f"/api/tournaments/{draft.pk}/").status_code == 404
    assert client_as(host).get(f"/api/tournaments/{draft.pk}/").status_code == 200


def test_lists_are_paginated() -> None:
    for _ in range(3):
        TournamentFactory()
    body = APIClient().get("/api/tournaments/?page_size=2").json()
    assert (body["count"], len(body["results"]), body["next"] is not None) == (3, 2, True)


def _seed(n: int, kind: str) -> Tournament:
    """n tournaments, each with a registered team; returns the last one."""
    for _ in range(n):
        t = TournamentFactory(host=HostFactory(), kind=kind)
        team = team_with_roster()
        client_as(captain_of(team)).post(
            f"/api/tournaments/{t.pk}/register/", register_body(team), format="json"
        )
    return t


@pytest.mark.parametrize(
    ("prefix", "kind"), [("/api/tournaments/", "tournament"), ("/api/scrims/", "scrim")]
)
def test_list_runs_a_constant_number_of_queries(
    prefix: str, kind: str, django_assert_num_queries: Any, settings: Any
) -> None:
    settings.PUBLIC_READ_CACHE = False  # the selector's own cost (cache hits: test_read_cache.py)
    client = APIClient()
    for n in (1, 5):
        _seed(n, kind)
        with django_assert_num_queries(2):  # count + page (game, host, seats joined in)
            assert client.get(prefix).status_code == 200


def test_detail_runs_a_constant_number_of_queries(
    django_assert_num_queries: Any, settings: Any
) -> None:
    settings.PUBLIC_READ_CACHE = False  # the selector's own cost (cache hits: test_read_cache.py)
    for n in (1, 5):
        t = TournamentFactory()
        for _ in range(n):
            team = team_with_roster()
            client_as(captain_of(team)).post(
                f"/api/tournaments/{t.pk}/register/", register_body(team), format="json"
            )
        with django_assert_num_queries(1):
            body = APIClient().get(f"/api/tournaments/{t.pk}/").json()
        assert body["seats_taken"] == n


def test_players_and_unverified_hosts_cannot_create() -> None:
    for user, code in (
        (UserFactory(), "not_a_host"),
        (HostFactory(email_verified_at=None), "email_not_verified"),
        (HostFactory(host_profile__status="pending"), "host_not_verified"),
    ):
        response = client_as(user).post("/api/tournaments/", create_body(), format="json")
        assert (response.status_code, response.json()["code"]) == (403, code)
    assert APIClient().post("/api/tournaments/", create_body(), format="json").status_code == 401
    assert not Tournament.objects.exists()


def test_mass_assignment_on_create_and_update_is_ignored_or_refused() -> None:
    host = HostFactory()
    other = HostFactory()
    body = create_body(
        host=other.pk, status="live", plan_rank=2, published_at=timezone.now().isoformat()
    )
    response = client_as(host).post("/api/tournaments/", body, format="json")
    assert response.status_code == 201
    t = Tournament.objects.get()
    assert (t.host, t.status, t.plan_rank, t.published_at) == (host, S.DRAFT, 0, None)

    client_as(host).post(f"/api/tournaments/{t.pk}/publish/")
    response = client_as(host).patch(
        f"/api/tournaments/{t.pk}/",
        {"host": other.pk, "status": "completed", "plan_rank": 2, "kind": "scrim"},
        format="json",
    )
    assert response.status_code == 200
    t.refresh_from_db()
    assert (t.host, t.status, t.plan_rank, t.kind) == (host, S.REGISTRATION_OPEN, 0, "tournament")
    # The plan was paid for at publishing: changing it now is refused, not silently applied.
    response = client_as(host).patch(
        f"/api/tournaments/{t.pk}/", {"plan": "premium"}, format="json"
    )
    assert (response.status_code, response.json()["details"]) == (
        400,
        {"plan": ["plan can only change while the tournament is a draft."]},
    )
    t.refresh_from_db()
    assert (t.plan, t.plan_rank) == ("basic", 0)


def test_plan_rank_follows_the_plan_while_a_draft() -> None:
    host = HostFactory()
    response = client_as(host).post(
        "/api/tournaments/", create_body(plan="featured"), format="json"
    )
    pk = response.json()["id"]
    assert Tournament.objects.get(pk=pk).plan_rank == 1
    client_as(host).patch(f"/api/tournaments/{pk}/", {"plan": "premium"}, format="json")
    assert Tournament.objects.get(pk=pk).plan_rank == 2


def test_host_endpoints_refuse_everyone_else() -> None:
    t = TournamentFactory()
    draft = TournamentFactory(host=t.host, status=S.DRAFT)
    for user in (UserFactory(), HostFactory()):
        client = client_as(user)
        for method, path, body in (
            ("patch", f"/api/tournaments/{t.pk}/", {"title": "Mine now"}),
            ("put", f"/api/tournaments/{t.pk}/", {"title": "Mine now"}),
            ("delete", f"/api/tournaments/{t.pk}/", None),
            ("post", f"/api/tournaments/{t.pk}/start/", None),
            ("post", f"/api/tournaments/{t.pk}/cancel/", {}),
        ):
            response = getattr(client, method)(path, body, format="json")
            assert response.status_code == 403, (method, path)
        # Another host's draft does not exist for them.
        assert client.post(f"/api/tournaments/{draft.pk}/publish/").status_code == 404
        assert client.patch(f"/api/tournaments/{draft.pk}/", {}, format="json").status_code == 404
    t.refresh_from_db()
    assert (t.title, t.status) == (t.title, S.REGISTRATION_OPEN)
    assert t.title != "Mine now"


def test_scrims_endpoint_forces_the_kind_and_its_limits() -> None:
    host = HostFactory()
    client = client_as(host)
    response = client.post("/api/scrims/", create_body(kind="tournament"), format="json")
    assert (response.status_code, response.json()["kind"]) == (201, "scrim")
    scrim_id = response.json()["id"]
    response = client.post("/api/scrims/", create_body(max_teams=26), format="json")
    assert response.status_code == 400
    assert response.json()["details"] == {"max_teams": ["A scrim has at most 25 teams."]}
    response = client.patch(f"/api/scrims/{scrim_id}/", {"max_teams": 40}, format="json")
    assert response.status_code == 400
    cup = client.post("/api/tournaments/", create_body(max_teams=40), format="json").json()
    assert cup["kind"] == "tournament"
    assert client.get(f"/api/scrims/{cup['id']}/").status_code == 404
    assert client.get(f"/api/tournaments/{scrim_id}/").status_code == 200


def test_publish_start_cancel_over_rest() -> None:
    host = HostFactory()
    client = client_as(host)
    pk = client.post("/api/tournaments/", create_body(), format="json").json()["id"]
    assert client.post(f"/api/tournaments/{pk}/publish/").json()["status"] == "registration_open"
    assert client.post(f"/api/tournaments/{pk}/publish/").status_code == 409
    response = client.post(f"/api/tournaments/{pk}/start/")
    assert (response.status_code, response.json()["code"]) == (409, "invalid_status")
    response = client.post(f"/api/tournaments/{pk}/cancel/", {"reason": "Rain"}, format="json")
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_reason"] == "Rain"


def test_delete_only_without_registrations() -> None:
    host = HostFactory()
    t = TournamentFactory(host=host)
    team = team_with_roster()
    client_as(captain_of(team)).post(
        f"/api/tournaments/{t.pk}/register/", register_body(team), format="json"
    )
    assert client_as(host).delete(f"/api/tournaments/{t.pk}/").status_code == 409
    empty = TournamentFactory(host=host, status=S.DRAFT)
    assert client_as(host).delete(f"/api/tournaments/{empty.pk}/").status_code == 204
    assert not Tournament.objects.filter(pk=empty.pk).exists()


def _png(size: tuple[int, int] = (32, 16), exif: bool = False) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "red")
    if exif:
        data = Image.Exif()
        data[0x010F] = "SpyCam"  # Make
        image.save(buffer, format="JPEG", exif=data)
    else:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_banner_upload_is_validated_and_stripped() -> None:
    host = HostFactory()
    client = client_as(host)
    pk = client.post("/api/tournaments/", create_body(), format="json").json()["id"]
    jpeg = SimpleUploadedFile("b.jpg", _png(exif=True), "image/jpeg")
    response = client.patch(f"/api/tournaments/{pk}/", {"banner": jpeg}, format="multipart")
    assert response.status_code == 200, response.json()
    stored = Tournament.objects.get(pk=pk).banner
    with Image.open(stored.open("rb")) as image:
        assert image.size == (32, 16)
        assert 0x010F not in image.getexif()
    bad = SimpleUploadedFile("b.png", b"GIF89a not really", "image/png")
    response = client.patch(f"/api/tournaments/{pk}/", {"banner": bad}, format="multipart")
    assert (response.status_code, list(response.json()["details"])) == (400, ["banner"])


def test_decompression_bomb_banner_is_refused() -> None:
    host = HostFactory()
    client = client_as(host)
    bomb = SimpleUploadedFile("bomb.png", _png(size=(5000, 5000)), "image/png")
    body = {**create_body(), "banner": bomb}
    response = client.post("/api/tournaments/", body, format="multipart")
    assert response.status_code == 400
    assert "banner" in response.json()["details"]
    assert not Tournament.objects.exists()


def test_openapi_schema_documents_every_endpoint() -> None:
    schema = APIClient().get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for prefix in ("/api/tournaments/", "/api/scrims/"):
        assert "requestBody" in paths[prefix]["post"]
        assert "201" in paths[prefix]["post"]["responses"]
        for suffix in ("publish/", "start/", "cancel/", "register/", "withdraw/"):
            assert "200" in paths[f"{prefix}{{id}}/{suffix}"]["post"]["responses"] or (
                "201" in paths[f"{prefix}{{id}}/{suffix}"]["post"]["responses"]
            )
        assert "requestBody" in paths[f"{prefix}{{id}}/register/"]["post"]
        assert "requestBody" in paths[f"{prefix}{{id}}/registrations/{{rid}}/"]["patch"]
        for method in ("get", "put", "patch", "delete"):
            assert method in paths[f"{prefix}{{id}}/"]
        export = paths[f"{prefix}{{id}}/registrations/export/"]["get"]["responses"]["200"]
        assert "text/csv" in export["content"]
    assert "/api/tournaments/my-registrations/" in paths
    register_201 = paths["/api/tournaments/{id}/register/"]["post"]["responses"]["201"]
    ref = register_201["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {"registration", "payment"}
