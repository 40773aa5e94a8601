"""What core asks billing besides "is the plan fee paid" (plan_payment.py).

`core` does not import `billing` (ARCHITECTURE.md): billing fills these at start-up (its
AppConfig.ready()). With a hook unset (a test of core alone) core works as before: a paid
registration gets no payment to complete, and withdrawing or cancelling refunds nothing.

- `entry_fee_payment(registration)`: the payment a new pending_payment registration should
  complete, as the register response shows it ({merchant_order_id, redirect_url, ...}), or None.
- `plan_fee_payment(actor, tournament)`: the plan fee payment to complete before publishing.
- `registration_withdrawn(registration)` / `tournament_cancelled(tournament)`: run after the
  withdrawing / cancelling transaction commits, so billing refunds what was paid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from core.models import Registration, Tournament, User


@dataclass(frozen=True)
class PaymentHooks:
    entry_fee_payment: Callable[[Registration], dict[str, Any] | None] | None = None
    plan_fee_payment: Callable[[User, Tournament], dict[str, Any] | None] | None = None
    registration_withdrawn: Callable[[Registration], None] | None = None
    tournament_cancelled: Callable[[Tournament], None] | None = None


_hooks = PaymentHooks()


def register_payment_hooks(hooks: PaymentHooks | None) -> PaymentHooks:
    """Install billing's hooks (None clears them); returns the previous set, for tests."""
    global _hooks
    previous = _hooks
    _hooks = hooks or PaymentHooks()
    return previous


def entry_fee_payment(registration: Registration) -> dict[str, Any] | None:
    hook = _hooks.entry_fee_payment
    return hook(registration) if hook else None


def plan_fee_payment(actor: User, tournament: Tournament) -> dict[str, Any] | None:
    hook = _hooks.plan_fee_payment
    return hook(actor, tournament) if hook else None


def on_registration_withdrawn(registration: Registration) -> None:
    hook = _hooks.registration_withdrawn
    if hook is not None:
        transaction.on_commit(lambda: hook(registration))


def on_tournament_cancelled(tournament: Tournament) -> None:
    hook = _hooks.tournament_cancelled
    if hook is not None:
        transaction.on_commit(lambda: hook(tournament))
