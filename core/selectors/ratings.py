"""Reads of host ratings: a host's average and count (one aggregate query, hidden ratings left
out) and the list shown on a host's profile."""

from typing import Any

from django.db.models import Avg, Count, QuerySet

from core.models import HostRating


def host_rating_summary(*, host_id: int) -> dict[str, Any]:
    row = HostRating.objects.filter(host_id=host_id, hidden=False).aggregate(
        average=Avg("score"), count=Count("id")
    )
    average = round(float(row["average"]), 2) if row["average"] is not None else None
    return {"average": average, "count": row["count"]}


def host_rating_list(*, host_id: int) -> QuerySet[HostRating]:
    return (
        HostRating.objects.filter(host_id=host_id, hidden=False)
        .select_related("tournament", "rater")
        .order_by("-created_at", "-id")
    )
