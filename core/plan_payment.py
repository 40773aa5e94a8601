"""The one question publishing asks billing: "is this tournament's plan fee paid?".

`core` does not import `billing` (ARCHITECTURE.md): billing registers its checker at start-up
(its AppConfig.ready()) and publishing calls `plan_fee_paid`. Until billing registers its checker
(payments issue), every plan counts as paid, so nothing else changes when payments arrive.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.models import Tournament

PlanFeeChecker = Callable[["Tournament"], bool]

_checker: PlanFeeChecker | None = None


def register_plan_fee_checker(fn: PlanFeeChecker | None) -> None:
    """Install billing's answer (None restores the default; tests use that)."""
    global _checker
    _checker = fn


def plan_fee_paid(tournament: "Tournament") -> bool:
    if _checker is None:
        return True  # until billing registers its checker (payments issue)
    return bool(_checker(tournament))
