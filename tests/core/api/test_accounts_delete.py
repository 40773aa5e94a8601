"""DELETE /api/accounts/me/: the password in the body, 204, and the access token, the refresh
token and sign-in stop working; one error shape for each refusal."""

import pytest

from billing.models import Payment
from core.services.tokens import token_pair_for
from tests.factories import PASSWORD, UserFactory
from tests.support.api import bearer

pytestmark = pytest.mark.django_db
URL = "/api/accounts/me/"


def test_deleting_with_the_password_signs_the_account_out_everywhere() -> None:
    user = UserFactory()
    pair = token_pair_for(user)
    client = bearer(pair["access"])
    assert client.delete(URL, {"password": PASSWORD}, format="json").status_code == 204
    assert client.get("/api/accounts/profile/").status_code == 401
    refresh = client.post("/api/accounts/token/refresh/", {"refresh": pair["refresh"]})
    assert refresh.status_code == 401
    login = client.post(
        "/api/accounts/login/", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert login.status_code == 401


@pytest.mark.parametrize("body", [{}, {"password": ""}, {"password": "guess"}])
def test_a_missing_or_wrong_password_is_400(body: dict) -> None:
    client = bearer(token_pair_for(UserFactory())["access"])
    response = client.delete(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "password" in response.json()["details"]


def test_a_payment_in_flight_is_409_with_its_code() -> None:
    user = UserFactory()
    Payment.objects.create(
        purpose=Payment.Purpose.ENTRY_FEE, user=user, amount=5000, merchant_order_id="F-1"
    )
    response = bearer(token_pair_for(user)["access"]).delete(
        URL, {"password": PASSWORD}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "payment_in_flight"


def test_signed_out_is_401() -> None:
    assert bearer("nope").delete(URL, {"password": PASSWORD}, format="json").status_code == 401
