"""core/selectors/tournament_bodies.py: the list and detail bodies built from `values()` rows are
the JSON the DRF serializers wrote, byte for byte, for a seeded set that exercises every field's
shape (banner and its variants, the game's default banner, prize split, placings, check-in
window, seat holds live and lapsed, a draft, another time zone); and each read costs a fixed
number of queries whatever the page's length."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from core.api.images import absolute
from core.api.tournaments.serializers import TournamentListSerializer, TournamentSerializer
from core.errors import NotFound
from core.media.images import clean_image
from core.models import Registration, Tournament
from core.selectors.tournament_bodies import (
    tournament_detail_body,
    tournament_list_bodies,
    tournament_list_rows,
)
from core.selectors.tournaments import tournament_get, tournament_list
from core.services.media import image_put, image_variants_build
from tests.factories import HostFactory, TournamentFactory, team_with_roster
from tests.support.media import image_upload

pytestmark = pytest.mark.django_db
S = Tournament.Status


def _seeded() -> list[Tournament]:
    now = timezone.now()
    plain = TournamentFactory(entry_fee=5000, prize_pool=100000)
    bannered = TournamentFactory(
        status=S.COMPLETED,
        description="Four groups.",
        rules="No emulators.",
        prize_split=[{"place": 1, "amount": 60000}, {"place": 2, "amount": 40000}],
        prize_pool=100000,
        placings=[
            {"place": 1, "team": {"id": 7, "name": "Alpha"}, "amount": 60000},
            {"place": 2, "team": {"id": 9, "name": "Bravo"}, "amount": 40000},
        ],
        published_at=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        checkin_opens_at=now + timedelta(days=1, hours=20),
        checkin_closes_at=now + timedelta(days=1, hours=23),
        auto_complete_rounds=True,
        plan=Tournament.Plan.PREMIUM,
        plan_rank=2,
    )
    with transaction.atomic():
        image_put(bannered, "banner", clean_image(image_upload("PNG", (1600, 900))))
        bannered.save()
    image_variants_build(
        model="tournament", pk=bannered.pk, field="banner", original=bannered.banner.name
    )
    cancelled = TournamentFactory(status=S.CANCELLED, cancelled_reason="Venue down")
    scheduled = TournamentFactory(status=S.PUBLISHED)  # the clock says registration is open
    host = HostFactory()
    for status, expires in (
        (Registration.Status.CONFIRMED, None),
        (Registration.Status.PENDING_PAYMENT, now + timedelta(minutes=5)),  # holds a seat
        (Registration.Status.PENDING_PAYMENT, now - timedelta(minutes=5)),  # lapsed: does not
        (Registration.Status.WITHDRAWN, None),
    ):
        Registration.objects.create(
            tournament=plain,
            team=team_with_roster(),
            registered_by=host,
            status=status,
            hold_expires_at=expires,
        )
    return [plain, bannered, cancelled, scheduled]


def _request(path: str = "/api/tournaments/") -> Request:
    # testserver with a port: absolute URLs follow the host and port that asked.
    return Request(APIRequestFactory().get(path, HTTP_HOST="testserver:8443"))


def _render(body: Any) -> bytes:
    return JSONRenderer().render(body)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata"])
def test_the_detail_is_the_serializers_json_byte_for_byte(zone: str) -> None:
    seeded = _seeded()
    request = _request()
    with timezone.override(zone):
        for t in seeded:
            old = TournamentSerializer(
                tournament_get(viewer=None, pk=t.pk), context={"request": request}
            )
            new, shared = tournament_detail_body(
                viewer=None, pk=t.pk, absolute=lambda url: absolute(request, url)
            )
            assert _render(new) == _render(old.data), t.title
            assert shared is True
    assert tournament_detail_body(viewer=None, pk=seeded[0].pk, absolute=str)[0]["seats_taken"] == 2


def test_the_list_rows_are_the_serializers_json_byte_for_byte() -> None:
    seeded = _seeded()
    request = _request()
    qs = tournament_list(viewer=None, filters={})
    old = TournamentListSerializer(list(qs), many=True, context={"request": request}).data
    new = tournament_list_bodies(list(tournament_list_rows(qs)), lambda url: absolute(request, url))
    assert _render(new) == _render(old)
    assert len(new) == len(seeded)
    bannered = next(row for row in new if row["plan"] == "premium")
    assert bannered["banner"].startswith("/media/banners/")
    assert {v["width"] for v in bannered["banner_variants"]} == {640, 1280}
    assert all(
        v["url"].startswith("http://testserver:8443/media/") for v in bannered["banner_variants"]
    )


def test_a_draft_is_found_by_its_host_alone_and_never_shared() -> None:
    draft = TournamentFactory(status=S.DRAFT)
    body, shared = tournament_detail_body(viewer=draft.host, pk=draft.pk, absolute=str)
    assert (body["status"], shared) == ("draft", False)
    with pytest.raises(NotFound):
        tournament_detail_body(viewer=None, pk=draft.pk, absolute=str)
    with pytest.raises(NotFound):
        tournament_detail_body(viewer=HostFactory(), pk=draft.pk, absolute=str)


def _queries(path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert APIClient().get(path).status_code == 200
    return len(ctx.captured_queries)


def test_each_read_costs_a_fixed_number_of_queries(settings: Any) -> None:
    settings.PUBLIC_READ_CACHE = False  # every read is a miss
    seeded = _seeded()
    t = seeded[0].pk
    # The page's count, then the page (seats as a subquery): 2 whatever the page's length.
    assert _queries("/api/tournaments/") == 2
    assert _queries("/api/tournaments/?page_size=1") == 2
    assert _queries(f"/api/tournaments/{t}/") == 1
    # Who may see it (4 columns, no seat count), then the scope's teams and its results.
    assert _queries(f"/api/tournaments/{t}/standings/") == 3
    TournamentFactory.create_batch(5)
    assert _queries("/api/tournaments/") == 2
