"""Images in API answers (docs/api.md, "Images"): every variant as {url, width, height, format}
with absolute URLs, the original until they are made; the rooms' small logo; and list queries
that stay constant with logos and banners present."""

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from rest_framework.test import APIClient

from core.media.images import clean_image
from core.models import Team, Tournament
from core.selectors.room import room_snapshot_data
from core.selectors.standings import GROUP, Scope, standings_rows
from core.services.media import image_put, image_variants_build
from tests.factories import TeamFactory, TournamentFactory, UserFactory
from tests.support.api import client_as
from tests.support.media import image_upload
from tests.support.rooms import live_room

pytestmark = pytest.mark.django_db


def _with_image(row: Any, field: str, size: tuple[int, int] = (300, 200)) -> Any:
    with transaction.atomic():
        image_put(row, field, clean_image(image_upload("PNG", size)))
        row.save()
    label = {Team: "team", Tournament: "tournament"}[type(row)]
    image_variants_build(model=label, pk=row.pk, field=field, original=getattr(row, field).name)
    row.refresh_from_db()
    return row


def test_the_profile_shows_the_original_then_every_variant(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory()
    client = client_as(user)
    first = client.patch("/api/accounts/profile/", {"avatar": image_upload()}, "multipart")
    assert first.status_code == 200, first.content
    [original] = first.json()["avatar_variants"]  # the job has not run yet
    assert original["url"] == first.json()["avatar"]
    assert (original["width"], original["height"], original["format"]) == (300, 200, "png")
    with django_capture_on_commit_callbacks(execute=True):
        client.patch("/api/accounts/profile/", {"avatar": image_upload()}, "multipart")
    variants = client.get("/api/accounts/profile/").json()["avatar_variants"]
    assert {(v["width"], v["height"], v["format"]) for v in variants} == {
        (64, 43, "webp"),
        (64, 43, "jpeg"),
        (256, 171, "webp"),
        (256, 171, "jpeg"),
    }
    assert all(v["url"].startswith("http://testserver/media/avatars/") for v in variants)
    name = variants[0]["url"].removeprefix("http://testserver/media/")
    assert default_storage.exists(name)


def test_teams_and_tournaments_answer_their_variants() -> None:
    team = _with_image(TeamFactory(), "logo")
    body = APIClient().get(f"/api/accounts/teams/{team.pk}/").json()
    assert sorted({v["width"] for v in body["logo_variants"]}) == [64, 96, 256]
    tournament = _with_image(TournamentFactory(), "banner", (1600, 900))
    body = APIClient().get(f"/api/tournaments/{tournament.pk}/").json()
    assert sorted({v["width"] for v in body["banner_variants"]}) == [640, 1280]
    assert all(
        v["url"].startswith("http://testserver/media/banners/") for v in body["banner_variants"]
    )
    plain = TournamentFactory()
    assert APIClient().get(f"/api/tournaments/{plain.pk}/").json()["banner_variants"] == []


def test_the_rooms_show_the_small_webp_logo_or_none() -> None:
    room = live_room(teams=2)
    logo_team = _with_image(room.teams[0], "logo")
    small = next(e for e in logo_team.logo_variants if e["size"] == 96 and e["format"] == "webp")
    expected = {room.teams[0].pk: f"/media/{small['name']}", room.teams[1].pk: None}
    scope = Scope(GROUP, room.group.pk, room.tournament.pk, room.group.round_id)
    assert {row["team"]["id"]: row["team"]["logo"] for row in standings_rows(scope)} == expected
    _, snapshot = room_snapshot_data(room.tournament.pk)
    [group] = snapshot["rounds"][0]["groups"]
    assert {team["id"]: team["logo"] for team in group["teams"]} == expected


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/api/accounts/teams/", lambda: _with_image(TeamFactory(), "logo")),
        ("/api/tournaments/", lambda: _with_image(TournamentFactory(), "banner")),
    ],
)
def test_lists_cost_the_same_queries_with_images_present(
    url: str, make: Any, django_assert_num_queries: Any, settings: Any
) -> None:
    settings.PUBLIC_READ_CACHE = False
    client = APIClient()
    make()
    with django_assert_num_queries(2):  # count + page
        small = client.get(url)
    for _ in range(5):
        make()
    with django_assert_num_queries(2):
        large = client.get(url)
    assert len(large.json()["results"]) == len(small.json()["results"]) + 5
    assert all(
        row.get("logo_variants", row.get("banner_variants")) for row in large.json()["results"]
    )
