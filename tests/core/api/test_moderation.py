"""core/api/moderation/: POST /api/reports/ (filed once while open, throttled), the staff queue
and resolving over REST (non-staff refused), and a hidden tournament gone from the public API."""

from typing import Any

import pytest

from core.models import AuditLog, Notification, Report, User
from tests.factories import TournamentFactory, UserFactory
from tests.support.api import assert_error, jwt_client_for

pytestmark = pytest.mark.django_db


def report_body(target_id: int, kind: str = "tournament") -> dict[str, Any]:
    return {"target_kind": kind, "target_id": target_id, "reason": "scam", "text": " Fake prize "}


def test_report_then_resolve_over_rest_hides_and_tells_the_reporter(staff: User) -> None:
    t = TournamentFactory()
    reporter = UserFactory()
    created = jwt_client_for(reporter).post("/api/reports/", report_body(t.pk))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["text"], body["action"]) == ("open", "Fake prize", "")
    again = jwt_client_for(reporter).post("/api/reports/", report_body(t.pk))
    assert assert_error(again, 409, "report_already_open")["details"] == {"report": body["id"]}

    queue = jwt_client_for(staff).get("/api/admin/reports/?status=open")
    assert queue.status_code == 200
    [row] = queue.json()["results"]
    assert (row["id"], row["reporter"]) == (body["id"], reporter.pk)
    assert jwt_client_for(staff).get("/api/admin/reports/?status=resolved").json()["count"] == 0

    assert jwt_client_for().get(f"/api/tournaments/{t.pk}/").status_code == 200
    done = jwt_client_for(staff).post(
        f"/api/admin/reports/{body['id']}/resolve/", {"action": "hide", "note": "Scam"}
    )
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["resolved_by"]) == ("resolved", staff.pk)
    assert AuditLog.objects.filter(action="report.hide").count() == 1
    assert Notification.objects.filter(user=reporter, kind="report.decided").count() == 1
    assert_error(jwt_client_for().get(f"/api/tournaments/{t.pk}/"), 404)
    listed = jwt_client_for().get("/api/tournaments/").json()["results"]
    assert t.pk not in [item["id"] for item in listed]
    again = jwt_client_for(staff).post(
        f"/api/admin/reports/{body['id']}/resolve/", {"action": "dismiss"}
    )
    assert_error(again, 409, "report_already_resolved")
    assert AuditLog.objects.count() == 1


def test_non_staff_cannot_read_the_queue_or_resolve() -> None:
    t = TournamentFactory()
    report = Report.objects.create(
        reporter=UserFactory(), target_kind="tournament", target_id=t.pk, reason="spam"
    )
    for user in (UserFactory(), t.host, None):
        status = 401 if user is None else 403
        client = jwt_client_for(user)
        assert_error(client.get("/api/admin/reports/"), status)
        assert_error(
            client.post(f"/api/admin/reports/{report.pk}/resolve/", {"action": "hide"}), status
        )
    assert_error(jwt_client_for().post("/api/reports/", report_body(t.pk)), 401)
    report.refresh_from_db()
    assert report.status == "open" and AuditLog.objects.count() == 0


def test_bad_reports_and_resolutions_answer_in_the_error_shape(staff: User) -> None:
    user = UserFactory()
    client = jwt_client_for(user)
    assert_error(client.post("/api/reports/", report_body(987654)), 404, "not_found")
    assert_error(client.post("/api/reports/", {**report_body(1), "target_kind": "x"}), 400)
    assert_error(client.post("/api/reports/", {**report_body(1), "reason": "meh"}), 400)
    report = Report.objects.create(
        reporter=user, target_kind="profile", target_id=staff.pk, reason="spam"
    )
    url = f"/api/admin/reports/{report.pk}/resolve/"
    assert_error(jwt_client_for(staff).post(url, {"action": "unpublish"}), 400, "validation_error")
    assert_error(jwt_client_for(staff).post(url, {"action": "nuke"}), 400)
    assert_error(jwt_client_for(staff).post(url, {"action": "suspend"}), 403)
    missing = f"/api/admin/reports/{report.pk + 99}/resolve/"
    assert_error(jwt_client_for(staff).post(missing, {"action": "hide"}), 404)
    assert_error(jwt_client_for(staff).get("/api/admin/reports/?status=closed"), 400)


def test_reports_are_throttled_per_user(settings: Any) -> None:
    settings.AUTH_THROTTLE_RATES = {**settings.AUTH_THROTTLE_RATES, "report": "2/day"}
    client = jwt_client_for(UserFactory())
    targets = [TournamentFactory().pk for _ in range(3)]
    assert client.post("/api/reports/", report_body(targets[0])).status_code == 201
    assert client.post("/api/reports/", report_body(targets[1])).status_code == 201
    assert_error(client.post("/api/reports/", report_body(targets[2])), 429)
    assert Report.objects.count() == 2
