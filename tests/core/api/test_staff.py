"""core/api/staff/: host approval and rejection, the users list, suspension, stats (the same
actions in the Django admin: tests/core/admin/test_accounts.py)."""

from typing import Any

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from core.models import HostProfile, User
from tests.factories import HostFactory, TournamentFactory, UserFactory
from tests.support.accounts import submitted_host
from tests.support.api import assert_error, jwt_client_for
from tests.support.emails import sent_to

pytestmark = pytest.mark.django_db


def test_staff_approves_a_host_who_is_emailed(
    staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    host = submitted_host()
    with django_capture_on_commit_callbacks(execute=True):
        response = jwt_client_for(staff).post(f"/api/admin/approve-host/{host.pk}/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    host.refresh_from_db()
    assert host.is_verified_host and host.host_profile.reviewed_by == staff
    [message] = sent_to(host.email)
    assert "approved" in message.subject
    assert_error(jwt_client_for(staff).post(f"/api/admin/approve-host/{host.pk}/"), 409, "conflict")


def test_staff_rejects_with_a_reason(staff: User, django_capture_on_commit_callbacks: Any) -> None:
    host = submitted_host()
    body = assert_error(jwt_client_for(staff).post(f"/api/admin/reject-host/{host.pk}/", {}), 400)
    assert "reason" in body["details"]
    with django_capture_on_commit_callbacks(execute=True):
        response = jwt_client_for(staff).post(
            f"/api/admin/reject-host/{host.pk}/", {"reason": "Blurry ID document"}
        )
    assert response.status_code == 200
    profile = HostProfile.objects.get(user=host)
    assert profile.status == "rejected" and profile.rejection_reason == "Blurry ID document"
    [message] = sent_to(host.email)
    assert "Blurry ID document" in message.body


def test_non_staff_cannot_decide_or_read_staff_endpoints() -> None:
    host = submitted_host()
    for user in (UserFactory(), HostFactory(), None):
        client = jwt_client_for(user)
        status = 401 if user is None else 403
        assert_error(client.post(f"/api/admin/approve-host/{host.pk}/"), status)
        assert_error(client.post(f"/api/admin/reject-host/{host.pk}/", {"reason": "x"}), status)
        assert_error(client.get("/api/admin/stats/"), status)
        assert_error(client.get("/api/admin/users/"), status)
        assert_error(client.patch(f"/api/admin/users/{host.pk}/", {"is_active": False}), status)
    assert HostProfile.objects.get(user=host).status == "submitted"
    assert User.objects.get(pk=host.pk).is_active


def test_unknown_host_is_404(staff: User) -> None:
    assert_error(jwt_client_for(staff).post("/api/admin/approve-host/999999/"), 404, "not_found")


def test_users_list_filters(staff: User) -> None:
    UserFactory(username="alpha", email_verified_at=None)
    UserFactory(username="bravo", is_active=False)
    host = submitted_host()
    client = jwt_client_for(staff)

    def names(**q: str) -> set[str]:
        return {u["username"] for u in client.get("/api/admin/users/", q).json()["results"]}

    assert names(search="alph") == {"alpha"}
    assert names(is_active="false") == {"bravo"}
    assert names(role="host") == {host.username}
    assert names(host_status="submitted") == {host.username}
    assert "alpha" in names(email_verified="false") and "staffer" not in names(
        email_verified="false"
    )
    assert names(role="staff") == {"staffer"}


def test_suspend_and_reinstate(staff: User) -> None:
    user = UserFactory()
    session = str(RefreshToken.for_user(user))
    client = jwt_client_for(staff)
    response = client.patch(
        f"/api/admin/users/{user.pk}/", {"is_active": False, "is_staff": True, "role": "host"}
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    user.refresh_from_db()
    assert not user.is_active and not user.is_staff and user.role == "player"
    assert_error(jwt_client_for().post("/api/accounts/token/refresh/", {"refresh": session}), 401)
    assert client.patch(f"/api/admin/users/{user.pk}/", {"is_active": True}).status_code == 200
    user.refresh_from_db()
    assert user.is_active


def test_staff_cannot_suspend_themselves_or_a_superuser(staff: User) -> None:
    client = jwt_client_for(staff)
    assert_error(client.patch(f"/api/admin/users/{staff.pk}/", {"is_active": False}), 400)
    boss = UserFactory(is_superuser=True, is_staff=True)
    assert_error(client.patch(f"/api/admin/users/{boss.pk}/", {"is_active": False}), 403)
    assert User.objects.get(pk=boss.pk).is_active


def test_stats(staff: User) -> None:
    UserFactory(is_active=False)
    submitted_host()
    TournamentFactory()  # also creates an approved host
    body = jwt_client_for(staff).get("/api/admin/stats/").json()
    assert body["users"]["by_role"]["host"] == 2
    assert body["users"]["by_role"]["player"] == 2
    assert body["users"]["suspended"] == 1 and body["users"]["staff"] == 1
    assert body["hosts"]["pending_review"] == 1
    assert body["hosts"]["by_status"]["approved"] == 1
    assert body["tournaments"]["by_status"]["registration_open"] == 1
    assert set(body["registrations"]["by_status"]) >= {"confirmed", "pending_payment"}
