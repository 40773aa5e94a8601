"""/host/dashboard/: the host dashboard as a server-rendered page with SVG charts.

Authenticated by the Django session (the same sign-in the live page and the REST API accept);
the figures are those of GET /api/hosts/me/dashboard/ for the same `?from=&to=`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.api.charts import bar_chart, line_chart
from core.api.dashboards.views import rupees
from core.api.periods import query_period
from core.errors import ValidationError
from core.selectors.dashboards import host_dashboard


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "pages/error.html", {"message": message}, status=status)


def host_dashboard_page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _refuse(request, "Sign in as a host to see the dashboard.", 401)
    if not request.user.is_host:
        return _refuse(request, "Only host accounts have a dashboard.", 403)
    try:
        start, end = query_period(request.GET)
    except ValidationError as exc:
        return _refuse(request, exc.message, 400)
    figures = host_dashboard(host=request.user, start=start, end=end)
    tournaments = figures["tournaments"]
    days = tournaments[0]["registrations_by_day"] if tournaments else []
    per_day = [
        sum(t["registrations_by_day"][i]["count"] for t in tournaments) for i in range(len(days))
    ]
    charts = [
        line_chart("Registrations per day", [d["date"].strftime("%d %b") for d in days], per_day),
        bar_chart(
            "Takings per tournament (net, ₹)",
            [t["title"][:16] for t in tournaments],
            [t["net"] for t in tournaments],
            rupees,
        ),
    ]
    rows = [
        {**t, **{k: rupees(t[k]) for k in ("takings", "refunds", "plan_fees", "net")}}
        for t in tournaments
    ]
    totals = figures["totals"]
    money = {k: rupees(totals[k]) for k in ("takings", "refunds", "plan_fees", "net")}
    context = {"start": start, "end": end, "charts": charts, "rows": rows, "totals": totals}
    return render(request, "pages/host_dashboard.html", {**context, "money": money})
