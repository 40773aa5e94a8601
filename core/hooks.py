"""Everything core lets the outside fill in at start-up (docs/architecture.md, "The house").

core imports neither realtime nor billing. Where it must reach them it calls a hook here, and
they fill the hooks in their AppConfig.ready(): realtime the event publisher, the notification
pusher and its readiness check; billing the plan-fee answer and the payment hooks. With a hook
unset (a test of core alone) core still works: events are logged and not broadcast, every plan
counts as paid, a paid registration gets no payment to complete and nothing is refunded.

Hooks are called with core's own objects (models, events) and must not raise for a failure of
their own service: a publisher logs a broker outage, billing answers None when PhonePe is down.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from core.models import Notification, Registration, Tournament, User

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Hooks:
    # (tournament id, committed events in seq order): called once per tournament after commit.
    publish_events: Callable[[int, Sequence[Any]], None] | None = None
    # A new notification row, after commit: to the user's /ws/me/ sockets.
    push_notification: Callable[[Notification], None] | None = None
    # "Is this tournament's plan fee paid?" (publishing asks).
    plan_fee_paid: Callable[[Tournament], bool] | None = None
    # The plan-fee payment to complete before publishing ({merchant_order_id, redirect_url, …}).
    plan_fee_payment: Callable[[User, Tournament], dict[str, Any] | None] | None = None
    # The payment a new pending_payment registration should complete, as register answers it.
    entry_fee_payment: Callable[[Registration], dict[str, Any] | None] | None = None
    # After the withdrawing / cancelling transaction commits: billing refunds what was paid.
    registration_withdrawn: Callable[[Registration], None] | None = None
    tournament_cancelled: Callable[[Tournament], None] | None = None
    # "Has this user a payment not yet final?" (deleting an account asks; billing answers).
    payment_in_flight: Callable[[User], bool] | None = None
    # After an account was deleted (anonymised): close the user's open sockets.
    close_user_sockets: Callable[[int], None] | None = None
    # The dashboards' money (billing/revenue.py): a host's paid payments in a period, as rows;
    # the platform's revenue in a period. Unset: no money (empty rows, zeros).
    takings_rows: Callable[[int, date, date], list[dict[str, Any]]] | None = None
    revenue_summary: Callable[[date, date], dict[str, Any]] | None = None
    # Readiness checks beyond core's own (name, check that raises when not ready).
    readiness_checks: tuple[tuple[str, Callable[[], None]], ...] = ()


_hooks = Hooks()


def install(**fill: Any) -> Hooks:
    """Fill the named hooks (None clears one); returns the previous set, so a test can put it
    back with `restore`."""
    global _hooks
    previous = _hooks
    _hooks = dataclasses.replace(_hooks, **fill)
    return previous


def restore(previous: Hooks) -> None:
    global _hooks
    _hooks = previous


def current() -> Hooks:
    return _hooks


def publish_events(tournament_id: int, events: Sequence[Any]) -> None:
    publisher = _hooks.publish_events
    if publisher is None:
        log.debug(
            "no publisher: %d event(s) of tournament %s logged only", len(events), tournament_id
        )
        return
    publisher(tournament_id, events)


def push_notification_after_commit(notification: Notification) -> None:
    pusher = _hooks.push_notification
    if pusher is not None:
        transaction.on_commit(lambda: pusher(notification), robust=True)


def plan_fee_paid(tournament: Tournament) -> bool:
    checker = _hooks.plan_fee_paid
    return True if checker is None else bool(checker(tournament))


def plan_fee_payment(actor: User, tournament: Tournament) -> dict[str, Any] | None:
    hook = _hooks.plan_fee_payment
    return hook(actor, tournament) if hook else None


def entry_fee_payment(registration: Registration) -> dict[str, Any] | None:
    hook = _hooks.entry_fee_payment
    return hook(registration) if hook else None


def registration_withdrawn_after_commit(registration: Registration) -> None:
    hook = _hooks.registration_withdrawn
    if hook is not None:
        transaction.on_commit(lambda: hook(registration))


def tournament_cancelled_after_commit(tournament: Tournament) -> None:
    hook = _hooks.tournament_cancelled
    if hook is not None:
        transaction.on_commit(lambda: hook(tournament))


def readiness_checks() -> tuple[tuple[str, Callable[[], None]], ...]:
    return _hooks.readiness_checks


def payment_in_flight(user: User) -> bool:
    hook = _hooks.payment_in_flight
    return False if hook is None else bool(hook(user))


def close_user_sockets_after_commit(user_id: int) -> None:
    hook = _hooks.close_user_sockets
    if hook is not None:
        transaction.on_commit(lambda: hook(user_id), robust=True)


def takings_rows(host_id: int, start: date, end: date) -> list[dict[str, Any]]:
    hook = _hooks.takings_rows
    return [] if hook is None else hook(host_id, start, end)


def revenue_summary(start: date, end: date) -> dict[str, Any]:
    hook = _hooks.revenue_summary
    if hook is not None:
        return hook(start, end)
    entry = {"count": 0, "gross": 0, "refunds": 0, "net": 0}
    return {"gross": 0, "refunds": 0, "net": 0, "by_plan": [], "entry_fees": entry, "daily": {}}
