"""core/services/tokens.py: the JWT pair, refresh rotation (the old refresh dies), revocation
(one token, one user's, all of a user's), and the signed email-verification token."""

from typing import Any
from unittest import mock

import pytest
from django.core import signing
from django.utils import timezone

from core.errors import ValidationError
from core.models import User
from core.services.tokens import (
    EMAIL_VERIFICATION_SALT,
    TokenInvalid,
    email_verification_read,
    email_verification_token,
    refresh_revoke,
    refresh_revoke_all,
    refresh_rotate,
    token_pair_for,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_rotation_hands_out_a_new_pair_and_kills_the_old_refresh() -> None:
    user = UserFactory()
    pair = token_pair_for(user)
    assert set(pair) == {"access", "refresh"}
    rotated = refresh_rotate(raw_refresh=pair["refresh"])
    assert rotated["refresh"] != pair["refresh"]
    with pytest.raises(TokenInvalid, match="blacklisted") as caught:
        refresh_rotate(raw_refresh=pair["refresh"])
    assert (caught.value.code, caught.value.http_status) == ("token_not_valid", 401)
    assert refresh_rotate(raw_refresh=rotated["refresh"])


def test_rotation_refuses_garbage_an_access_token_and_a_suspended_account() -> None:
    user = UserFactory()
    pair = token_pair_for(user)
    for raw in ("garbage", pair["access"]):
        with pytest.raises(TokenInvalid):
            refresh_rotate(raw_refresh=raw)
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(TokenInvalid, match="No active account"):
        refresh_rotate(raw_refresh=pair["refresh"])


def test_revoking_one_token_checks_whose_it_is() -> None:
    mine, theirs = UserFactory(), UserFactory()
    their_refresh = token_pair_for(theirs)["refresh"]
    with pytest.raises(ValidationError, match="another account") as caught:
        refresh_revoke(raw_refresh=their_refresh, user=mine)
    assert "refresh" in caught.value.details
    refresh_rotate(raw_refresh=token_pair_for(theirs)["refresh"])  # still usable
    refresh_revoke(raw_refresh=their_refresh, user=theirs)
    with pytest.raises(TokenInvalid):
        refresh_rotate(raw_refresh=their_refresh)
    with pytest.raises(TokenInvalid):
        refresh_revoke(raw_refresh=their_refresh)  # a second logout of the same token


def test_revoking_all_counts_the_live_ones_once() -> None:
    user, other = UserFactory(), UserFactory()
    pairs = [token_pair_for(user) for _ in range(3)]
    kept = token_pair_for(other)
    refresh_revoke(raw_refresh=pairs[0]["refresh"])
    assert refresh_revoke_all(user=user) == 2
    assert refresh_revoke_all(user=user) == 0
    for pair in pairs:
        with pytest.raises(TokenInvalid):
            refresh_rotate(raw_refresh=pair["refresh"])
    assert refresh_rotate(raw_refresh=kept["refresh"])


def test_the_verification_token_names_the_user_and_the_address() -> None:
    user = UserFactory(email="Mixed@Example.com")
    assert email_verification_read(email_verification_token(user)) == {
        "uid": user.pk,
        "email": "mixed@example.com",
    }


def test_a_forged_expired_or_odd_token_is_refused(settings: Any) -> None:
    token = email_verification_token(UserFactory())
    invalid = [
        token[:-2] + "xx",
        signing.dumps({"uid": 1, "email": "a@b.c"}),  # another salt
        signing.dumps({"uid": 1}, salt=EMAIL_VERIFICATION_SALT),
        signing.dumps(["uid", "email"], salt=EMAIL_VERIFICATION_SALT),
    ]
    for raw in invalid:
        with pytest.raises(ValidationError) as caught:
            email_verification_read(raw)
        assert caught.value.details == {"token": ["invalid"]}, raw
    settings.EMAIL_VERIFICATION_MAX_AGE = 5
    later = timezone.now().timestamp() + 10
    with (
        mock.patch("django.core.signing.time.time", return_value=later),
        pytest.raises(ValidationError, match="expired") as caught,
    ):
        email_verification_read(token)
    assert caught.value.details == {"token": ["expired"]}
