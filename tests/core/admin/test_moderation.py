"""core/admin/moderation.py: the reports queue and the audit log are readable and read-only in
the Django admin; its actions resolve through the same service (one audit row each, the
reporter told)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client

from core.models import AuditLog, Notification, Report, User
from tests.factories import TournamentFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/core/report/"


def browser_for(staff: User) -> Client:
    staff.is_superuser = True
    staff.save()
    browser = Client()
    browser.force_login(staff)
    return browser


def report_of(kind: str, target_id: int) -> Report:
    return Report.objects.create(
        reporter=UserFactory(), target_kind=kind, target_id=target_id, reason="abuse"
    )


@pytest.mark.parametrize("action", ["hide", "unpublish", "suspend", "dismiss"])
def test_each_admin_action_resolves_with_one_audit_row(staff: User, action: str) -> None:
    browser = browser_for(staff)
    t = TournamentFactory()
    report = report_of("tournament", t.pk)
    assert browser.get(URL).status_code == 200
    assert AuditLog.objects.count() == 0
    response = browser.post(
        URL, {"action": f"{action}_selected", ACTION_CHECKBOX_NAME: [report.pk]}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.action, report.resolved_by) == ("resolved", action, staff)
    [row] = AuditLog.objects.all()
    assert (row.action, row.actor, row.target_id) == (f"report.{action}", staff, str(t.pk))
    assert Notification.objects.filter(user=report.reporter, kind="report.decided").count() == 1
    t.refresh_from_db()
    t.host.refresh_from_db()
    expected = {
        "hide": (True, "registration_open", True),
        "unpublish": (False, "draft", True),
        "suspend": (False, "registration_open", False),
        "dismiss": (False, "registration_open", True),
    }[action]
    assert (t.hidden_at is not None, t.status, t.host.is_active) == expected


def test_a_refused_admin_action_warns_and_writes_nothing(staff: User) -> None:
    browser = browser_for(staff)
    report = report_of("profile", UserFactory().pk)
    response = browser.post(
        URL, {"action": "unpublish_selected", ACTION_CHECKBOX_NAME: [report.pk]}, follow=True
    )
    assert b"cannot be resolved with unpublish" in response.content
    report.refresh_from_db()
    assert report.status == "open" and AuditLog.objects.count() == 0


def test_the_audit_log_is_readable_and_read_only(staff: User) -> None:
    browser = browser_for(staff)
    report = report_of("profile", UserFactory().pk)
    browser.post(URL, {"action": "dismiss_selected", ACTION_CHECKBOX_NAME: [report.pk]})
    row = AuditLog.objects.get()
    listing = browser.get("/admin/core/auditlog/")
    assert listing.status_code == 200 and b"report.dismiss" in listing.content
    detail = browser.get(f"/admin/core/auditlog/{row.pk}/change/")
    assert detail.status_code == 200 and b"Save" not in detail.content  # a view, no form
    assert browser.get("/admin/core/auditlog/add/").status_code == 403
    assert (
        browser.post(f"/admin/core/auditlog/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert AuditLog.objects.count() == 1
