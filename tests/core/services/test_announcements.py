"""core/services/announcements.py: an announcement is 1..500 characters, stored with its
`announcement` event in one transaction, by the host only, and a retried request_id answers the
first outcome without announcing twice."""

import pytest

from core.errors import Conflict, PermissionDenied, ValidationError
from core.events import format_at
from core.models import Announcement, Tournament
from core.services.announcements import MAX_MESSAGE, announcement_create
from tests.factories import HostFactory, TournamentFactory, UserFactory
from tests.support.events import logged

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("message", ["", "   ", "x" * (MAX_MESSAGE + 1)])
def test_a_message_is_1_to_500_characters(message: str) -> None:
    t = TournamentFactory()
    with pytest.raises(ValidationError, match=r"1\.\.500 characters") as caught:
        announcement_create(actor=t.host, tournament_id=t.pk, message=message)
    assert list(caught.value.details) == ["message"]
    assert not Announcement.objects.exists() and logged(t) == []


def test_the_announcement_is_stored_trimmed_with_its_event() -> None:
    t = TournamentFactory()
    longest = "y" * MAX_MESSAGE
    first = announcement_create(actor=t.host, tournament_id=t.pk, message="  Match 2 at 9  ")
    second = announcement_create(actor=t.host, tournament_id=t.pk, message=longest)
    assert first.announcement is not None and second.announcement is not None
    assert (first.announcement.message, first.seq, first.duplicate) == ("Match 2 at 9", 1, False)
    assert first.announcement.created_by == t.host
    assert second.seq == 2 and second.announcement.message == longest
    (event, _) = logged(t)
    assert event["name"] == "announcement"
    assert event["data"] == {
        "id": first.announcement.pk,
        "message": "Match 2 at 9",
        "at": format_at(first.announcement.created_at),
    }


def test_a_retried_request_id_replays_the_first_outcome() -> None:
    t = TournamentFactory()
    first = announcement_create(actor=t.host, tournament_id=t.pk, message="GLHF", request_id="a1")
    again = announcement_create(actor=t.host, tournament_id=t.pk, message="GLHF", request_id="a1")
    assert (again.duplicate, again.seq) == (True, first.seq)
    assert again.announcement == first.announcement
    assert Announcement.objects.count() == 1 and len(logged(t)) == 1
    with pytest.raises(Conflict, match="different command"):
        announcement_create(actor=t.host, tournament_id=t.pk, message="Other", request_id="a1")


def test_only_the_host_announces_and_not_once_it_is_over() -> None:
    t = TournamentFactory()
    for stranger in (UserFactory(), HostFactory()):
        with pytest.raises(PermissionDenied):
            announcement_create(actor=stranger, tournament_id=t.pk, message="mine")
    staff = announcement_create(actor=UserFactory(is_staff=True), tournament_id=t.pk, message="ok")
    assert staff.announcement is not None
    done = TournamentFactory(status=Tournament.Status.COMPLETED)
    with pytest.raises(Conflict, match="completed"):
        announcement_create(actor=done.host, tournament_id=done.pk, message="late")
