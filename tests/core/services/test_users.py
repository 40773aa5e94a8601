"""core/services/users.py called directly: registering (and the email a rollback never sends),
signing in, changing and resetting passwords, verifying the email, suspending accounts."""

from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from core.errors import PermissionDenied, ValidationError
from core.models import HostProfile, User
from core.services.tokens import email_verification_token, token_pair_for
from core.services.users import (
    AccountSuspended,
    InvalidCredentials,
    password_reset_confirm,
    password_reset_request,
    user_authenticate,
    user_change_password,
    user_register,
    user_set_active,
    user_verify_email,
)
from tests.factories import PASSWORD, UserFactory
from tests.support.emails import sent_to

pytestmark = pytest.mark.django_db
GOOD = {"username": "newbie", "email": "newbie@example.com", "password": "Tr1cky-passphrase"}


@pytest.mark.django_db(transaction=True)
def test_rolled_back_registration_sends_no_email_and_committed_one_sends_one() -> None:
    mail.outbox.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        user_register(role="player", display_name="", **GOOD)
        raise RuntimeError("something later in the transaction failed")
    assert mail.outbox == []
    assert not User.objects.filter(username="newbie").exists()

    user_register(role="player", display_name="", **GOOD)
    assert len(sent_to("newbie@example.com")) == 1


def test_register_makes_a_player_or_a_pending_host_and_never_staff() -> None:
    player = user_register(role="player", display_name=" Ace ", **GOOD)
    assert (player.role, player.display_name, player.is_staff) == ("player", "Ace", False)
    assert player.email_verified_at is None and player.check_password(GOOD["password"])
    host = user_register(
        role="host", username="org", email="org@example.com", password=GOOD["password"]
    )
    assert HostProfile.objects.get(user=host).status == HostProfile.Status.PENDING
    with pytest.raises(ValidationError) as caught:
        user_register(role="staff", username="boss", email="b@example.com", password="x")
    assert "role" in caught.value.details


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"username": "NEWBIE"}, "username"),  # taken, whatever the case
        ({"email": "Newbie@Example.com"}, "email"),  # taken, whatever the case
        ({"username": "a@b"}, "username"),
        ({"password": "password"}, "password"),  # a common one
    ],
)
def test_register_refusals(changes: dict[str, str], field: str) -> None:
    user_register(role="player", **GOOD)
    other = {"username": "other", "email": "other@example.com", "password": GOOD["password"]}
    with pytest.raises(ValidationError) as caught:
        user_register(role="player", **{**other, **changes})
    assert field in caught.value.details
    assert User.objects.count() == 1


def test_authenticate_by_email_or_username_with_one_answer_for_strangers() -> None:
    user = UserFactory(username="Ranger", email="Ranger@Example.com")
    assert user_authenticate(identifier=" ranger@example.COM ", password=PASSWORD) == user
    assert user_authenticate(identifier="RANGER", password=PASSWORD) == user
    user.refresh_from_db()
    assert user.last_login is not None
    with pytest.raises(InvalidCredentials) as wrong:
        user_authenticate(identifier="ranger", password="nope")
    with pytest.raises(InvalidCredentials) as unknown:
        user_authenticate(identifier="ghost@example.com", password=PASSWORD)
    assert wrong.value.message == unknown.value.message
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(AccountSuspended):
        user_authenticate(identifier="ranger", password=PASSWORD)


def test_changing_the_password_signs_out_every_other_session() -> None:
    user = UserFactory()
    old = token_pair_for(user)
    with pytest.raises(ValidationError) as caught:
        user_change_password(actor=user, current_password="wrong", new_password="An0ther-secret")
    assert "current_password" in caught.value.details
    fresh = user_change_password(
        actor=user, current_password=PASSWORD, new_password="An0ther-secret"
    )
    assert set(fresh) == {"access", "refresh"}
    user.refresh_from_db()
    assert user.check_password("An0ther-secret")
    assert BlacklistedToken.objects.filter(token__token=old["refresh"]).exists()
    assert not BlacklistedToken.objects.filter(token__token=fresh["refresh"]).exists()


def test_verifying_the_email_is_idempotent_and_welcomes_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory(email_verified_at=None)
    token = email_verification_token(user)
    with django_capture_on_commit_callbacks(execute=True):
        assert user_verify_email(token=token).email_verified_at is not None
        user_verify_email(token=token)
    assert sum("Welcome" in m.subject for m in sent_to(user.email)) == 1
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="not valid"):
        user_verify_email(token=token)


def test_a_reset_link_is_mailed_to_active_accounts_only_and_works_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user, suspended = UserFactory(email_verified_at=None), UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        for address in (user.email.upper(), suspended.email, "nobody@example.com"):
            password_reset_request(email=address)
    assert [m.to for m in mail.outbox] == [[user.email]]
    uid, token = (
        urlsafe_base64_encode(force_bytes(user.pk)),
        default_token_generator.make_token(user),
    )
    password_reset_confirm(uid=uid, token=token, new_password="Brand-new-pass-1")
    user.refresh_from_db()
    assert user.check_password("Brand-new-pass-1") and user.email_verified_at is not None
    with pytest.raises(ValidationError, match="invalid or has already been used"):
        password_reset_confirm(uid=uid, token=token, new_password="Brand-new-pass-2")


def test_suspension_signs_out_and_spares_oneself_and_superusers() -> None:
    staff, user = UserFactory(is_staff=True), UserFactory()
    session = token_pair_for(user)
    assert not user_set_active(actor=staff, user_id=user.pk, is_active=False).is_active
    assert BlacklistedToken.objects.filter(token__token=session["refresh"]).exists()
    assert user_set_active(actor=staff, user_id=user.pk, is_active=True).is_active
    with pytest.raises(ValidationError) as caught:
        user_set_active(actor=staff, user_id=staff.pk, is_active=False)
    assert "is_active" in caught.value.details
    boss = UserFactory(is_staff=True, is_superuser=True)
    with pytest.raises(PermissionDenied):
        user_set_active(actor=staff, user_id=boss.pk, is_active=False)
    assert user_set_active(actor=boss, user_id=UserFactory(is_superuser=True).pk, is_active=False)
