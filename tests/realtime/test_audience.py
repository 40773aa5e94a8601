"""The dashboards' audience (core/services/audience.py): the room hub records how many watch
now and the peak; the peak only rises, whoever reports; the host dashboard shows both."""

import asyncio
import datetime as dt

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.utils import timezone

from core.models import TournamentAudience
from core.models.audience import audience_now_key
from core.services.audience import audience_record
from realtime import hub
from tests.support.api import client_as
from tests.support.rooms import live_room
from tests.support.sockets import OpenClient

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_peak_only_rises_and_now_follows_the_last_report() -> None:
    room = live_room()
    tid = room.tournament.pk
    for count in (3, 7, 2):
        audience_record(tournament_id=tid, spectators=count)
    assert TournamentAudience.objects.get(tournament_id=tid).peak == 7
    assert cache.get(audience_now_key(tid)) == 2
    today = timezone.now().date()
    day = dt.timedelta(days=1)
    body = (
        client_as(room.tournament.host)
        .get(f"/api/hosts/me/dashboard/?from={today - day}&to={today}")
        .json()
    )
    [row] = [t for t in body["tournaments"] if t["id"] == tid]
    assert (row["spectators_now"], row["spectators_peak"]) == (2, 7)


async def test_the_room_hub_records_its_spectators(ws: OpenClient, monkeypatch) -> None:
    monkeypatch.setattr(hub, "PRESENCE_INTERVAL", 0.1)
    room = await sync_to_async(live_room)()
    tid = room.tournament.pk
    spectators = [await ws(room.path) for _ in range(3)]
    for client in spectators:
        await client.recv_type("snapshot")

    def peak() -> int:
        row = TournamentAudience.objects.filter(tournament_id=tid).first()
        return row.peak if row else 0

    for _ in range(100):  # the presence loop writes off the loop: poll for up to 10 s
        if await sync_to_async(peak)() == 3:
            break
        await asyncio.sleep(0.1)
    assert await sync_to_async(peak)() == 3
    assert cache.get(audience_now_key(tid)) == 3
    for client in spectators:
        await client.close()
