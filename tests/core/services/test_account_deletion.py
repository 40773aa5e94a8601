"""core/services/account_deletion.py: after DELETE /api/accounts/me/ no personal value of the
user is left in any table (found by walking every model, so a new model is covered), results
and payments are kept (standings and payment totals unchanged), the account cannot come back;
refused while the account still owes a live team, a payment or a tournament."""

from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Sum
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from billing.models import Payment
from core import hooks
from core.errors import Conflict, PermissionDenied, ValidationError
from core.models import MatchResult, TeamMembership, Tournament, User
from core.selectors.standings import Scope, standings_rows
from core.services.account_deletion import (
    DELETE,
    PERSONAL_USER_FIELDS,
    USER_RELATIONS,
    account_delete,
)
from core.services.tokens import TokenInvalid, refresh_rotate
from core.services.users import InvalidCredentials, user_authenticate
from tests.factories import PASSWORD, UserFactory, team_with_roster
from tests.support.account_data import IN_GAME_ID, MARK, PHONE, account_world
from tests.support.teams import go_live

pytestmark = pytest.mark.django_db(transaction=False)


def relations_to_user() -> list[models.ForeignKey]:
    """Every concrete FK / one-to-one of every installed model that points at User."""
    return [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete
        and (field.many_to_one or field.one_to_one)
        and field.related_model is User
    ]


def label(field: Any) -> str:
    return f"{field.model._meta.label}.{field.name}"


def test_every_relation_to_user_has_a_decision() -> None:
    found = {label(f) for f in relations_to_user()}
    assert found == set(USER_RELATIONS), "decide in USER_RELATIONS what deletion does"


def _values_everywhere() -> list[tuple[str, str, str]]:
    """(model, field, text) of every stored value of every table."""
    out = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields]
        for row in model._default_manager.values_list(*[f.attname for f in fields]):
            for field, value in zip(fields, row, strict=True):
                if value not in (None, ""):
                    out.append((model._meta.label, field.name, str(value)))
    return out


def _standings(tournament: Tournament) -> list[dict[str, Any]]:
    return standings_rows(Scope("tournament", tournament.pk, tournament.pk))


def _money() -> tuple[Any, ...]:
    return tuple(Payment.objects.aggregate(n=Sum("amount")).values())


def test_no_personal_value_of_the_user_is_left_in_any_table(django_capture_on_commit_callbacks):
    world = account_world()
    user = world.user
    before = (_standings(world.tournament), _money(), MatchResult.objects.count())
    marks = [MARK, PHONE, IN_GAME_ID]
    assert any(m in text.lower() for *_, text in _values_everywhere() for m in marks)
    closed: list[int] = []
    previous = hooks.install(close_user_sockets=closed.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            account_delete(actor=user, password=PASSWORD)
    finally:
        hooks.restore(previous)

    left = [(m, f, t) for m, f, t in _values_everywhere() for k in marks if k in t.lower()]
    assert left == []
    for field in relations_to_user():  # rows the user's own data lived in are gone
        if USER_RELATIONS[label(field)] == DELETE:
            assert not field.model._default_manager.filter(**{field.name: user.pk}).exists()
    user.refresh_from_db()
    assert user.username == f"deleted-{user.pk}" and not user.is_active
    assert not user.has_usable_password() and user.email.endswith("@deleted.invalid")
    for name in PERSONAL_USER_FIELDS[2:-2]:
        assert getattr(user, name) in ("", [], None), name
    assert (_standings(world.tournament), _money(), MatchResult.objects.count()) == before
    assert closed == [user.pk]
    world.kept_team.refresh_from_db()
    assert world.kept_team.disbanded_at is not None  # history kept, roster emptied
    assert TeamMembership.objects.get(team=world.shared_team).user == world.mate
    assert TeamMembership.objects.get(team=world.shared_team).role == "captain"


def test_the_deleted_account_cannot_sign_in_or_refresh() -> None:
    world = account_world()
    account_delete(actor=world.user, password=PASSWORD)
    with pytest.raises(InvalidCredentials):
        user_authenticate(identifier=f"{MARK}user", password=PASSWORD)
    with pytest.raises(TokenInvalid):
        refresh_rotate(raw_refresh=world.tokens["refresh"])
    outstanding = OutstandingToken.objects.filter(user=world.user)
    assert outstanding and all(t.blacklistedtoken for t in outstanding)


def test_a_wrong_password_is_refused_and_nothing_changes() -> None:
    user = UserFactory()
    with pytest.raises(ValidationError) as wrong:
        account_delete(actor=user, password="not-it")
    assert "password" in wrong.value.details
    user.refresh_from_db()
    assert user.is_active and user.check_password(PASSWORD)


def test_an_account_without_a_password_needs_a_fresh_sign_in() -> None:
    from datetime import timedelta

    from django.utils import timezone

    user = UserFactory(last_login=timezone.now() - timedelta(hours=1))
    user.set_unusable_password()
    user.save()
    with pytest.raises(PermissionDenied) as stale:
        account_delete(actor=user)
    assert stale.value.code == "fresh_login_required"
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    user.refresh_from_db()
    account_delete(actor=user)
    assert not User.objects.get(pk=user.pk).is_active


def test_refused_while_captaining_a_team_in_a_live_tournament() -> None:
    team = team_with_roster(size=2)
    go_live(team)
    captain = team.memberships.get(role="captain").user
    with pytest.raises(Conflict) as live:
        account_delete(actor=captain, password=PASSWORD)
    assert live.value.code == "captain_of_live_team"
    # A plain member of that team may go: the locked roster keeps an anonymous row.
    member = team.memberships.get(role="member").user
    account_delete(actor=member, password=PASSWORD)
    assert TeamMembership.objects.filter(team=team, user=member).exists()


@pytest.mark.parametrize("state", [Payment.State.CREATED, Payment.State.PENDING])
def test_refused_while_a_payment_is_in_flight(state: str) -> None:
    user = UserFactory()
    Payment.objects.create(
        purpose=Payment.Purpose.ENTRY_FEE,
        user=user,
        amount=5000,
        merchant_order_id=f"FLIGHT-{user.pk}",
        state=state,
    )
    with pytest.raises(Conflict) as flight:
        account_delete(actor=user, password=PASSWORD)
    assert flight.value.code == "payment_in_flight"


def test_refused_while_hosting_a_tournament_that_is_not_over() -> None:
    world_host = team_with_roster(size=1)
    tournament = go_live(world_host).tournament
    with pytest.raises(Conflict) as hosting:
        account_delete(actor=tournament.host, password=PASSWORD)
    assert hosting.value.code == "hosting_open_tournament"
