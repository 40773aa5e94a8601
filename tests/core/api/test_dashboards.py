"""GET /api/hosts/me/dashboard/ (+ takings.csv) and the revenue and series of /api/admin/stats/:
figures worked by hand from tests/support/dashboards.seed (money in paise)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.support.api import assert_error, jwt_client_for
from tests.support.dashboards import host_with, seed

pytestmark = pytest.mark.django_db
PERIOD = "?from=2026-11-01&to=2026-11-03"


def _dashboard(user: Any, query: str = PERIOD) -> dict[str, Any]:
    response = jwt_client_for(user).get(f"/api/hosts/me/dashboard/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_host_dashboard_figures() -> None:
    site = seed()
    body = _dashboard(site.host_a)
    by_title = {t["title"]: t for t in body["tournaments"]}
    assert list(by_title) == ["Alpha Cup", "Bravo Cancelled", "Charlie Free"]  # not host_b's
    alpha = by_title["Alpha Cup"]
    # Seats: two confirmed of 4 (the no-show holds none); 3 x 50.00 paid, 20.00 back, 199.00 plan.
    assert {k: alpha[k] for k in ("seats_taken", "fill_rate", "checked_in", "no_shows")} == {
        "seats_taken": 2,
        "fill_rate": 0.5,
        "checked_in": 1,
        "no_shows": 1,
    }
    assert alpha["registrations_by_day"] == [
        {"date": "2026-11-01", "count": 0},
        {"date": "2026-11-02", "count": 1},
        {"date": "2026-11-03", "count": 2},
    ]
    assert (alpha["takings"], alpha["refunds"], alpha["plan_fees"], alpha["net"]) == (
        15000,
        2000,
        19900,
        -6900,
    )
    bravo = by_title["Bravo Cancelled"]
    # Cancelled: the entry fee went back in full, the plan fee stays paid; the failed try is none.
    assert (bravo["takings"], bravo["refunds"], bravo["plan_fees"], bravo["net"]) == (
        3000,
        3000,
        4900,
        -4900,
    )
    assert (bravo["status"], bravo["seats_taken"], bravo["fill_rate"]) == ("cancelled", 0, 0.0)
    charlie = by_title["Charlie Free"]
    assert (charlie["registrations"], charlie["takings"], charlie["net"]) == (1, 0, 0)
    assert (charlie["fill_rate"], charlie["results_entered"], charlie["disputes"]) == (0.1, 0, 0)
    assert body["totals"] == {
        "registrations": 5,
        "checked_in": 1,
        "no_shows": 1,
        "results_entered": 0,
        "disputes": 0,
        "takings": 18000,
        "refunds": 5000,
        "plan_fees": 24800,
        "net": -11800,
    }


def test_period_leaves_out_what_happened_outside_it() -> None:
    site = seed()
    body = _dashboard(site.host_a, "?from=2026-10-31&to=2026-10-31")
    alpha = body["tournaments"][0]
    # Only the October payment of 50.00; no registration was made that day.
    assert (alpha["takings"], alpha["plan_fees"], alpha["registrations"]) == (5000, 0, 0)


def test_takings_csv_is_exact_and_guarded() -> None:
    site = seed()
    response = jwt_client_for(site.host_a).get(f"/api/hosts/me/dashboard/takings.csv{PERIOD}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="takings-2026-11-01-2026-11-03.csv"'
    )
    assert response.content.decode().split("\r\n") == [
        "tournament,date,kind,payer_team,gross,refund,fee,net",
        "Alpha Cup,2026-11-01,plan_fee,,0.00,0.00,199.00,-199.00",
        "Bravo Cancelled,2026-11-01,plan_fee,,0.00,0.00,49.00,-49.00",
        "Alpha Cup,2026-11-02,entry_fee,Rangers,50.00,0.00,0.00,50.00",
        "Bravo Cancelled,2026-11-02,entry_fee,Wolves,30.00,30.00,0.00,0.00",
        "Alpha Cup,2026-11-03,entry_fee,'=cmd,50.00,20.00,0.00,30.00",
        "Alpha Cup,2026-11-03,entry_fee,Tigers,50.00,0.00,0.00,50.00",
        "",
    ]


@pytest.mark.parametrize(
    "path", ["/api/hosts/me/dashboard/", "/api/hosts/me/dashboard/takings.csv"]
)
def test_hosts_only(path: str) -> None:
    assert_error(jwt_client_for(None).get(path), 401)
    assert_error(jwt_client_for(UserFactory()).get(path), 403)


@pytest.mark.parametrize(
    "query",
    [
        "?from=2026-13-01",
        "?to=yesterday",
        "?from=20261101",
        "?from=2026-11-03&to=2026-11-01",
        "?from=2025-01-01&to=2026-01-02",  # 367 days
        "?from=",
        "?to=0001-01-01",  # the default `from` would be before date.min
        "?from=9999-12-31&to=9999-12-31",  # the day after would overflow
        "?from=2026-11-01T00:00",
    ],
)
def test_bad_period_is_400(query: str) -> None:
    host = seed().host_a
    assert_error(jwt_client_for(host).get(f"/api/hosts/me/dashboard/{query}"), 400)
    assert_error(jwt_client_for(host).get(f"/api/hosts/me/dashboard/takings.csv{query}"), 400)


def _queries(user: Any, path: str) -> int:
    client = jwt_client_for(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_host_dashboard_queries_do_not_grow() -> None:
    small, large = host_with(2, 3), host_with(6, 15)
    path = f"/api/hosts/me/dashboard/{PERIOD}"
    assert _queries(small, path) == _queries(large, path)
    csv_path = f"/api/hosts/me/dashboard/takings.csv{PERIOD}"
    assert _queries(small, csv_path) == _queries(large, csv_path)


def test_staff_revenue_and_series(staff: Any) -> None:
    seed()
    response = jwt_client_for(staff).get(f"/api/admin/stats/{PERIOD}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert "users" in body and "tournaments" in body  # the counts stay
    assert body["revenue"] == {
        "gross": 82700,
        "refunds": 5000,
        "net": 77700,
        "by_plan": [
            {"plan": "basic", "count": 1, "gross": 4900, "refunds": 0, "net": 4900},
            {"plan": "featured", "count": 1, "gross": 19900, "refunds": 0, "net": 19900},
            {"plan": "premium", "count": 1, "gross": 29900, "refunds": 0, "net": 29900},
        ],
        "entry_fees": {"count": 5, "gross": 28000, "refunds": 5000, "net": 23000},
    }
    values = {name: [d["value"] for d in days] for name, days in body["series"].items()}
    assert values == {
        "signups": [1, 1, 0],
        "tournaments": [2, 1, 1],
        "registrations": [0, 3, 3],
        "revenue": [24800, 34900, 18000],
    }
    assert [d["date"] for d in body["series"]["revenue"]] == [
        "2026-11-01",
        "2026-11-02",
        "2026-11-03",
    ]


def test_staff_stats_queries_do_not_grow(staff: Any) -> None:
    host_with(2, 3)
    small = _queries(staff, f"/api/admin/stats/{PERIOD}")
    host_with(4, 12)
    assert _queries(staff, f"/api/admin/stats/{PERIOD}") == small


def test_staff_stats_bad_period(staff: Any) -> None:
    assert_error(jwt_client_for(staff).get("/api/admin/stats/?from=2026-02-30"), 400)
    assert_error(jwt_client_for(staff).get("/api/admin/stats/?from=2024-01-01&to=2025-12-31"), 400)


def test_admin_analytics_page_draws_the_series(client: Any, staff: Any) -> None:
    seed()
    assert client.get("/admin/analytics/").status_code == 302  # to the admin login
    client.force_login(staff)
    html = client.get(f"/admin/analytics/{PERIOD}").content.decode()
    # Revenue as a line of 3 points; sign-ups, tournaments, registrations 3 bars each; 3 plans.
    assert html.count('class="point"') == 3
    assert html.count('class="bar"') == 3 * 3 + 3
    assert "₹777.00" in html  # the period's net, 77700 paise
    assert "Analytics" in client.get("/admin/").content.decode()
    assert client.get("/admin/analytics/?from=bad").status_code == 400


def test_host_dashboard_page(client: Any) -> None:
    site = seed()
    assert client.get("/host/dashboard/").status_code == 401
    client.force_login(UserFactory())
    assert client.get("/host/dashboard/").status_code == 403
    client.force_login(site.host_a)
    html = client.get(f"/host/dashboard/{PERIOD}").content.decode()
    assert html.count('class="point"') == 3  # registrations on 3 days
    assert html.count('class="bar"') == 3  # takings of 3 tournaments
    assert "net ₹-118.00" in html
    assert client.get("/host/dashboard/?to=2026-02-31").status_code == 400


def test_without_billing_the_money_is_zero(staff: Any) -> None:
    """core alone (hooks unset, docs/architecture.md): the counts stay, the money is 0."""
    from core import hooks

    site = seed()
    saved = hooks.install(takings_rows=None, revenue_summary=None)
    try:
        totals = _dashboard(site.host_a)["totals"]
        stats = jwt_client_for(staff).get(f"/api/admin/stats/{PERIOD}").json()
    finally:
        hooks.restore(saved)
    assert (totals["registrations"], totals["takings"], totals["net"]) == (5, 0, 0)
    assert stats["revenue"]["gross"] == 0
    assert [d["value"] for d in stats["series"]["registrations"]] == [0, 3, 3]
    assert [d["value"] for d in stats["series"]["revenue"]] == [0, 0, 0]
