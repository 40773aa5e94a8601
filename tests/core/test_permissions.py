"""core/permissions.py: the verified-email and verified-host checks services call, with their
codes and messages."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.errors import NotAuthenticated, PermissionDenied
from core.models import HostProfile
from core.permissions import require_verified_email, require_verified_host
from tests.factories import HostFactory, UserFactory
from tests.support.api import jwt_client_for

pytestmark = pytest.mark.django_db


def test_unverified_users_can_sign_in_but_service_checks_refuse_with_a_clear_message() -> None:
    user = UserFactory(email_verified_at=None)
    response = jwt_client_for().post(
        "/api/accounts/login/", {"email": user.email, "password": "S3cure-pass-for-tests"}
    )
    assert response.status_code == 200
    with pytest.raises(PermissionDenied) as caught:
        require_verified_email(user, "registering for a tournament")
    assert caught.value.code == "email_not_verified"
    assert str(caught.value).startswith("Verify your email address before registering")


def test_require_verified_host() -> None:
    host = HostFactory()
    require_verified_host(host, "creating a tournament")  # approved + verified: no error
    HostProfile.objects.filter(user=host).update(status=HostProfile.Status.SUBMITTED)
    host.refresh_from_db()
    with pytest.raises(PermissionDenied) as caught:
        require_verified_host(host, "creating a tournament")
    assert caught.value.code == "host_not_verified"
    with pytest.raises(PermissionDenied) as caught:
        require_verified_host(UserFactory(), "creating a tournament")
    assert caught.value.code == "not_a_host"


def test_the_checks_need_a_signed_in_user() -> None:
    for user in (None, AnonymousUser()):
        with pytest.raises(NotAuthenticated):
            require_verified_email(user)
        with pytest.raises(NotAuthenticated):
            require_verified_host(user)


def test_an_unverified_host_is_asked_for_the_email_first() -> None:
    host = HostFactory(email_verified_at=None)
    with pytest.raises(PermissionDenied) as caught:
        require_verified_host(host, "publishing")
    assert caught.value.code == "email_not_verified"
    assert "before publishing" in caught.value.message
    require_verified_email(UserFactory())  # verified: no error
