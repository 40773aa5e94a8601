"""The staff analytics page in the admin (/admin/analytics/): the revenue and the per-day series
of /api/admin/stats/ as server-rendered SVG charts (docs/operations.md, "Staff analytics")."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from core.api.charts import bar_chart, line_chart
from core.api.dashboards.views import rupees
from core.api.periods import query_period
from core.errors import ValidationError
from core.selectors.dashboards import staff_analytics

# The admin index links here (templates/admin/scrimverse_index.html).
admin.site.index_template = "admin/scrimverse_index.html"


def analytics_view(request: HttpRequest) -> HttpResponse:
    try:
        start, end = query_period(request.GET)
    except ValidationError as exc:
        context = {**admin.site.each_context(request), "title": "Analytics", "error": exc.message}
        return TemplateResponse(request, "admin/analytics.html", context, status=400)
    figures = staff_analytics(start=start, end=end)
    series = figures["series"]
    labels = [d["date"].strftime("%d %b") for d in series["signups"]]

    def values(name: str) -> list[int]:
        return [d["value"] for d in series[name]]

    revenue = figures["revenue"]
    charts = [
        line_chart("Revenue per day (net, ₹)", labels, values("revenue"), rupees),
        bar_chart("Sign-ups per day", labels, values("signups")),
        bar_chart("Tournaments created per day", labels, values("tournaments")),
        bar_chart("Registrations per day", labels, values("registrations")),
    ]
    plans = revenue["by_plan"]
    if plans:
        names = [p["plan"] for p in plans]
        charts.append(bar_chart("Plan fees by plan (₹)", names, [p["net"] for p in plans], rupees))
    context = {
        **admin.site.each_context(request),
        "title": "Analytics",
        "start": start,
        "end": end,
        "charts": charts,
        "money": [
            ("Gross", rupees(revenue["gross"])),
            ("Refunds", rupees(revenue["refunds"])),
            ("Net", rupees(revenue["net"])),
            ("Entry fees (net)", rupees(revenue["entry_fees"]["net"])),
        ],
    }
    return TemplateResponse(request, "admin/analytics.html", context)
