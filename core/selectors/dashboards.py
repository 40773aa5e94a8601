"""The host dashboard and the staff time series (docs/api.md, "Dashboards").

Counts come from core's tables, money from billing through core/hooks.py. Every figure is a
grouped aggregate: the number of queries does not grow with tournaments or registrations.
A period (first and last UTC day, both included) filters what happened in it: registrations
made, payments completed, users and tournaments created. Seats, check-ins, no-shows, results and
disputes are each tournament's standing figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from core import hooks
from core.models import Match, MatchDispute, Registration, Tournament, TournamentAudience, User
from core.models.audience import audience_now_key

R = Registration.Status


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    return first, dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def _per_day(qs: QuerySet, field: str, start: dt.date, end: dt.date) -> dict[dt.date, int]:
    first, after = _bounds(start, end)
    rows = (
        qs.filter(**{f"{field}__gte": first, f"{field}__lt": after})
        .values(day=TruncDate(field))
        .annotate(n=Count("id"))
    )
    return {row["day"]: row["n"] for row in rows}


def _grouped(qs: QuerySet, **counts: Any) -> dict[int, dict[str, int]]:
    return {row.pop("tournament"): row for row in qs.values("tournament").annotate(**counts)}


def _tournament_rows(host: User) -> list[dict[str, Any]]:
    return list(
        Tournament.objects.filter(host=host)
        .annotate(
            seats_taken=Count(
                "registrations", filter=Q(registrations__status__in=Registration.SEAT_HOLDING)
            ),
            checked_in=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
            no_shows=Count("registrations", filter=Q(registrations__status=R.NO_SHOW)),
        )
        .order_by("created_at", "id")
        .values("id", "title", "status", "max_teams", "seats_taken", "checked_in", "no_shows")
    )


def _money_by_tournament(rows: list[dict[str, Any]]) -> dict[int, dict[str, int]]:
    money: dict[int, dict[str, int]] = defaultdict(
        lambda: {"takings": 0, "refunds": 0, "plan_fees": 0, "net": 0}
    )
    for row in rows:
        figures = money[row["tournament"]]
        figures["takings"] += row["gross"]
        figures["refunds"] += row["refund"]
        figures["plan_fees"] += row["fee"]
        figures["net"] += row["net"]
    return money


def _audience(ids: list[int]) -> dict[int, dict[str, int]]:
    """Spectators now (the room hubs' last report, in the cache) and the peak (one query)."""
    peaks = dict(
        TournamentAudience.objects.filter(tournament_id__in=ids).values_list("tournament", "peak")
    )
    now = cache.get_many([audience_now_key(t) for t in ids]) if ids else {}
    return {
        t: {"spectators_now": now.get(audience_now_key(t), 0), "spectators_peak": peaks.get(t, 0)}
        for t in ids
    }


def host_dashboard(*, host: User, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Per tournament of the host's, and the totals over the period (six queries)."""
    first, after = _bounds(start, end)
    made = Registration.objects.filter(
        tournament__host=host, created_at__gte=first, created_at__lt=after
    )
    series: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for row in made.values("tournament", day=TruncDate("created_at")).annotate(n=Count("id")):
        series[row["tournament"]][row["day"]] = row["n"]
    results = _grouped(
        Match.objects.filter(tournament__host=host),
        results_entered=Count("id", filter=Q(status=Match.Status.COMPLETED)),
    )
    disputes = _grouped(
        MatchDispute.objects.filter(tournament__host=host),
        disputes=Count("id"),
        disputes_open=Count("id", filter=Q(status=MatchDispute.Status.OPEN)),
    )
    money = _money_by_tournament(hooks.takings_rows(host.pk, start, end))
    days = days_between(start, end)
    rows = _tournament_rows(host)
    audience = _audience([row["id"] for row in rows])
    tournaments = []
    for row in rows:
        tid = row["id"]
        per_day = series.get(tid, {})
        tournaments.append(
            {
                **row,
                "fill_rate": round(row["seats_taken"] / row["max_teams"], 4),
                "registrations": sum(per_day.values()),
                "registrations_by_day": [{"date": d, "count": per_day.get(d, 0)} for d in days],
                "results_entered": results.get(tid, {}).get("results_entered", 0),
                "disputes": disputes.get(tid, {}).get("disputes", 0),
                "disputes_open": disputes.get(tid, {}).get("disputes_open", 0),
                **audience[tid],
                **money[tid],
            }
        )
    return {"from": start, "to": end, "tournaments": tournaments, "totals": _totals(tournaments)}


def _totals(tournaments: list[dict[str, Any]]) -> dict[str, int]:
    keys = ("registrations", "checked_in", "no_shows", "takings", "refunds", "plan_fees", "net")
    keys += ("results_entered", "disputes")
    return {key: sum(t[key] for t in tournaments) for key in keys}


def host_takings_csv_rows(*, host: User, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    return hooks.takings_rows(host.pk, start, end)


def staff_analytics(*, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Revenue over the period and per-day series (a zero for a day with nothing)."""
    revenue = hooks.revenue_summary(start, end)
    daily = revenue.pop("daily")
    counts = {
        "signups": _per_day(User.objects.all(), "date_joined", start, end),
        "tournaments": _per_day(Tournament.objects.all(), "created_at", start, end),
        "registrations": _per_day(Registration.objects.all(), "created_at", start, end),
        "revenue": daily,
    }
    days = days_between(start, end)
    series = {
        name: [{"date": d, "value": values.get(d, 0)} for d in days]
        for name, values in counts.items()
    }
    return {"from": start, "to": end, "revenue": revenue, "series": series}
