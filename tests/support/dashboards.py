"""A seeded site for the dashboard tests: two hosts, paid, free and cancelled tournaments,
a partial and a full refund, plan fees, on fixed UTC days (the figures are worked by hand in
tests/core/api/test_dashboards.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

from billing.models import Payment, Refund
from core.models import Registration, Tournament, User
from tests.factories import HostFactory, TournamentFactory, captain_of, team_with_roster

_orders = itertools.count(1)


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=dt.UTC) if day > 0 else at_october(hour)


def at_october(hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 10, 31, hour, tzinfo=dt.UTC)


def tournament(host: User, title: str, created: dt.datetime, **fields) -> Tournament:
    t = TournamentFactory(host=host, title=title, **fields)
    Tournament.objects.filter(pk=t.pk).update(created_at=created)
    return t


def registration(t: Tournament, team_name: str, status: str, created: dt.datetime, **fields):
    team = team_with_roster(size=1, name=team_name)
    reg = Registration.objects.create(
        tournament=t, team=team, registered_by=captain_of(team), status=status, **fields
    )
    Registration.objects.filter(pk=reg.pk).update(created_at=created)
    return reg


def payment(
    t: Tournament,
    amount: int,
    completed: dt.datetime,
    *,
    reg: Registration | None = None,
    state: str = Payment.State.COMPLETED,
    refund: int = 0,
) -> Payment:
    purpose = Payment.Purpose.ENTRY_FEE if reg else Payment.Purpose.PLAN_FEE
    p = Payment.objects.create(
        purpose=purpose,
        plan="" if reg else t.plan,
        tournament=t,
        registration=reg,
        user=reg.registered_by if reg else t.host,
        amount=amount,
        merchant_order_id=f"SV-T-{next(_orders)}",
        state=state,
        completed_at=completed,
    )
    if refund:
        Refund.objects.create(
            payment=p,
            merchant_refund_id=f"RF-{p.merchant_order_id}",
            amount=refund,
            state=Refund.State.COMPLETED,
        )
    return p


def seed() -> SimpleNamespace:
    S = Registration.Status
    host_a, host_b = HostFactory(username="host_a"), HostFactory(username="host_b")
    alpha = tournament(host_a, "Alpha Cup", at(1), entry_fee=5000, max_teams=4, plan="featured")
    bravo = tournament(
        host_a,
        "Bravo Cancelled",
        at(1, 11),
        entry_fee=3000,
        max_teams=2,
        plan="basic",
        status=Tournament.Status.CANCELLED,
    )
    charlie = tournament(host_a, "Charlie Free", at(2), max_teams=10)
    delta = tournament(host_b, "Delta", at(3), entry_fee=10000, max_teams=8, plan="premium")
    r1 = registration(alpha, "Rangers", S.CONFIRMED, at(2), checked_in_at=at(2))
    r2 = registration(alpha, "=cmd", S.CONFIRMED, at(3))
    r3 = registration(alpha, "Tigers", S.NO_SHOW, at(3, 11))
    r4 = registration(bravo, "Wolves", S.WITHDRAWN, at(2, 11))
    registration(charlie, "Free Birds", S.CONFIRMED, at(2, 12))
    r6 = registration(delta, "Hawks", S.CONFIRMED, at(3, 12))
    payment(alpha, 19900, at(1))
    payment(bravo, 4900, at(1, 11))
    payment(alpha, 5000, at(2), reg=r1)
    payment(bravo, 3000, at(2, 11), reg=r4, state=Payment.State.REFUNDED, refund=3000)
    payment(alpha, 5000, at(3), reg=r2, state=Payment.State.PARTIALLY_REFUNDED, refund=2000)
    payment(alpha, 5000, at(3, 11), reg=r3)
    # Not counted: a failed attempt, and a payment before the period.
    payment(bravo, 3000, at(2, 13), reg=r4, state=Payment.State.FAILED)
    payment(alpha, 5000, at_october(), reg=r1)
    payment(delta, 29900, at(2, 14))
    payment(delta, 10000, at(3, 12), reg=r6)
    User.objects.update(date_joined=dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
    User.objects.filter(pk=host_a.pk).update(date_joined=at(1))
    User.objects.filter(pk=host_b.pk).update(date_joined=at(2))
    return SimpleNamespace(
        host_a=host_a, host_b=host_b, alpha=alpha, bravo=bravo, charlie=charlie, delta=delta
    )


def host_with(tournaments: int, registrations: int) -> User:
    """A host with n paid tournaments of m paid registrations each (for query counts)."""
    host = HostFactory()
    for n in range(tournaments):
        t = tournament(host, f"Q{n}", at(1), entry_fee=1000, max_teams=25)
        payment(t, 4900, at(1))
        for m in range(registrations):
            reg = registration(t, f"{host.username}-{n}-{m}", Registration.Status.CONFIRMED, at(2))
            payment(t, 1000, at(2), reg=reg, refund=500 if m % 2 else 0)
    return host
