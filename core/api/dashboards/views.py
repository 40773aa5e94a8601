"""GET /api/hosts/me/dashboard/ (and its takings CSV): the signed-in host's figures."""

import csv
import io

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.dashboards.serializers import HostDashboardSerializer
from core.api.periods import period_parameters, query_period
from core.api.permissions import IsHost
from core.api.schema import error
from core.selectors.dashboards import host_dashboard, host_takings_csv_rows

TAGS = ["dashboards"]
HOSTS_ONLY = error(403, "`forbidden`: host accounts only")
CSV_COLUMNS = ("tournament", "date", "kind", "payer_team", "gross", "refund", "fee", "net")
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def rupees(paise: int) -> str:
    """Exact: 19900 -> "199.00", -4900 -> "-49.00" (no float on the way)."""
    sign = "-" if paise < 0 else ""
    return f"{sign}{abs(paise) // 100}.{abs(paise) % 100:02d}"


def safe_cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def takings_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        money = [rupees(row[k]) for k in ("gross", "refund", "fee", "net")]
        text = [safe_cell(row["title"]), row["date"].isoformat(), row["kind"]]
        writer.writerow([*text, safe_cell(row["payer_team"]), *money])
    return out.getvalue()


class HostDashboardView(APIView):
    permission_classes = [IsAuthenticated, IsHost]

    @extend_schema(
        tags=TAGS,
        parameters=period_parameters(),
        responses={200: HostDashboardSerializer, **HOSTS_ONLY},
        summary="The host's dashboard: per tournament and totals over the period (paise)",
    )
    def get(self, request: Request) -> Response:
        start, end = query_period(request.query_params)
        figures = host_dashboard(host=request.user, start=start, end=end)
        return Response(HostDashboardSerializer(figures).data)


class HostTakingsCsvView(APIView):
    permission_classes = [IsAuthenticated, IsHost]

    @extend_schema(
        tags=TAGS,
        parameters=period_parameters(),
        responses={
            (200, "text/csv"): OpenApiResponse(
                str, description="tournament,date,kind,payer_team,gross,refund,fee,net (rupees)"
            ),
            **HOSTS_ONLY,
        },
        summary="The host's takings over the period as CSV (one row per paid payment)",
    )
    def get(self, request: Request) -> HttpResponse:
        start, end = query_period(request.query_params)
        rows = host_takings_csv_rows(host=request.user, start=start, end=end)
        response = HttpResponse(takings_csv(rows), content_type="text/csv; charset=utf-8")
        name = f"takings-{start.isoformat()}-{end.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
