"""JSON bodies are read as the schema types them (core/api/strict.py): schemathesis found DRF's
coercions (`"bio": 0` saved as "0", `"is_final": 0` as false) accepting a client's bug as data."""

import pytest
from rest_framework import serializers

from core.api import strict
from tests.factories import TournamentFactory, UserFactory
from tests.support.api import assert_error, client_as

pytestmark = pytest.mark.django_db


class Body(strict.Serializer):
    text = serializers.CharField(required=False)
    number = serializers.IntegerField(required=False)
    flag = serializers.BooleanField(required=False)
    choice = serializers.ChoiceField(choices=["a", "b"], required=False)
    ids = serializers.ListField(child=serializers.IntegerField(), required=False)
    maybe = serializers.IntegerField(required=False, allow_null=True)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": 0}, "text"),
        ({"text": True}, "text"),
        ({"number": "12"}, "number"),
        ({"number": True}, "number"),
        ({"number": 1.5}, "number"),
        ({"flag": 0}, "flag"),
        ({"flag": "true"}, "flag"),
        ({"choice": 1}, "choice"),
        ({"ids": [1, "2"]}, "ids"),
        ({"ids": "1,2"}, "ids"),
    ],
)
def test_a_json_value_of_another_type_is_refused(body: dict, field: str) -> None:
    data = Body(data=body)
    assert not data.is_valid()
    assert list(data.errors) == [field]


def test_values_of_their_own_type_pass_and_forms_keep_drf_parsing() -> None:
    body = {"text": "x", "number": 12.0, "flag": False, "choice": "a", "ids": [1], "maybe": None}
    data = Body(data=body)
    assert data.is_valid(), data.errors
    assert data.validated_data["number"] == 12

    from django.http import QueryDict

    form = Body(data=QueryDict("number=12&flag=true&text=0"))
    assert form.is_valid(), form.errors
    assert form.validated_data == {"number": 12, "flag": True, "text": "0"}


def test_the_api_refuses_coerced_values_it_used_to_accept() -> None:
    user = UserFactory()
    response = client_as(user).patch("/api/accounts/profile/", {"bio": 0}, format="json")
    assert assert_error(response, 400, "validation_error")["details"] == {
        "bio": ["Must be a string."]
    }
    tournament = TournamentFactory()
    response = client_as(tournament.host).post(
        f"/api/tournaments/{tournament.pk}/rounds/",
        {"name": "Final", "is_final": 0},
        format="json",
    )
    assert "is_final" in assert_error(response, 400, "validation_error")["details"]
    response = client_as(tournament.host).post(
        f"/api/tournaments/{tournament.pk}/cancel/", {"reason": 0}, format="json"
    )
    assert "reason" in assert_error(response, 400, "validation_error")["details"]


def test_a_points_table_whose_preset_is_not_a_name_is_400_not_500() -> None:
    tournament = TournamentFactory(status="draft")
    response = client_as(tournament.host).patch(
        f"/api/tournaments/{tournament.pk}/",
        {"points_table": {"preset": {}, "placement": [0], "per_kill": 0}},
        format="json",
    )
    assert "points_table" in assert_error(response, 400, "validation_error")["details"]


@pytest.mark.parametrize("table", [{}, "", [], 0, False])
def test_an_empty_or_odd_points_table_is_refused_not_read_as_the_default(table: object) -> None:
    tournament = TournamentFactory(status="draft")
    response = client_as(tournament.host).patch(
        f"/api/tournaments/{tournament.pk}/", {"points_table": table}, format="json"
    )
    assert "points_table" in assert_error(response, 400, "validation_error")["details"]
