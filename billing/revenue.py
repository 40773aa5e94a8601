"""Money for the dashboards (docs/api.md, "Dashboards"): what core's dashboard selectors ask
through core/hooks.py (core never imports billing). Money is integer paise.

A payment counts in the period of the day (UTC) it completed, with its refunds (accepted or done,
as in host takings) counted against it on that same day, so a period's net never changes
because a refund arrived later than the payment. Constant queries whatever the row count.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from billing.models import Payment, Refund

P = Payment.Purpose
REFUND_COUNTED = (Refund.State.PENDING, Refund.State.COMPLETED)
_ZERO = Value(0, output_field=IntegerField())


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    return first, dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def _paid(start: dt.date, end: dt.date) -> QuerySet[Payment]:
    first, after = _bounds(start, end)
    return Payment.objects.filter(
        state__in=Payment.PAID_STATES, completed_at__gte=first, completed_at__lt=after
    )


def _refunded() -> Subquery:
    total = (
        Refund.objects.filter(payment=OuterRef("pk"), state__in=REFUND_COUNTED)
        .values("payment")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), _ZERO)


def takings_rows(host_id: int, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Every paid payment of the host's tournaments in the period, oldest first (one query):
    entry fees (gross, refund, net) and plan fees (the host's cost)."""
    rows = (
        _paid(start, end)
        .filter(tournament__host_id=host_id)
        .annotate(refunded=_refunded())
        .order_by("completed_at", "id")
        .values(
            "purpose",
            "amount",
            "refunded",
            "completed_at",
            "tournament_id",
            "tournament__title",
            "registration__team__name",
        )
    )
    out = []
    for row in rows:
        entry = row["purpose"] == P.ENTRY_FEE
        gross = row["amount"] if entry else 0
        refund = row["refunded"] if entry else 0
        fee = 0 if entry else row["amount"]
        out.append(
            {
                "tournament": row["tournament_id"],
                "title": row["tournament__title"],
                "date": row["completed_at"].astimezone(dt.UTC).date(),
                "kind": row["purpose"],
                "payer_team": row["registration__team__name"] or "",
                "gross": gross,
                "refund": refund,
                "fee": fee,
                "net": gross - refund - fee,
            }
        )
    return out


def revenue_summary(start: dt.date, end: dt.date) -> dict[str, Any]:
    """The platform's revenue in the period: totals, by plan, entry fees, and net per day
    (four aggregate queries)."""
    paid = _paid(start, end)
    refunds = Refund.objects.filter(state__in=REFUND_COUNTED, payment__in=paid.values("pk")).values(
        "payment__purpose", "payment__plan"
    )
    refunded = {
        (r["payment__purpose"], r["payment__plan"]): r["total"]
        for r in refunds.annotate(total=Sum("amount"))
    }
    groups = paid.values("purpose", "plan").annotate(n=Count("id"), gross=Sum("amount"))
    by_plan, entry = [], {"count": 0, "gross": 0, "refunds": 0, "net": 0}
    for g in groups.order_by("purpose", "plan"):
        back = refunded.get((g["purpose"], g["plan"]), 0)
        figures = {"count": g["n"], "gross": g["gross"], "refunds": back, "net": g["gross"] - back}
        if g["purpose"] == P.PLAN_FEE:
            by_plan.append({"plan": g["plan"], **figures})
        else:
            for key, value in figures.items():
                entry[key] += value
    gross = entry["gross"] + sum(p["gross"] for p in by_plan)
    back = entry["refunds"] + sum(p["refunds"] for p in by_plan)
    return {
        "gross": gross,
        "refunds": back,
        "net": gross - back,
        "by_plan": by_plan,
        "entry_fees": entry,
        "daily": _daily_net(paid),
    }


def _daily_net(paid: QuerySet[Payment]) -> dict[dt.date, int]:
    days: dict[dt.date, int] = {}
    for row in paid.values(day=TruncDate("completed_at")).annotate(total=Sum("amount")):
        days[row["day"]] = days.get(row["day"], 0) + row["total"]
    refunds = Refund.objects.filter(state__in=REFUND_COUNTED, payment__in=paid.values("pk"))
    for row in refunds.values(day=TruncDate("payment__completed_at")).annotate(total=Sum("amount")):
        days[row["day"]] = days.get(row["day"], 0) - row["total"]
    return days
