"""Moderation under real concurrency (PostgreSQL, real threads): staff resolving the same
report at once — one wins (the conditional update on status=open), one audit row, one
notification; one reporter filing the same report at once gets one report, the rest a 409."""

from collections import Counter

import pytest

from core.models import AuditLog, Notification, Report
from core.services.moderation import report_create, report_resolve
from tests.factories import TournamentFactory, UserFactory
from tests.support.concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_staff_resolving_one_report_at_once_have_one_winner() -> None:
    t = TournamentFactory()
    report = report_create(
        reporter=UserFactory(), target_kind="tournament", target_id=t.pk, reason="scam"
    )
    staff = [UserFactory(is_staff=True) for _ in range(6)]
    actions = ["hide", "dismiss", "unpublish", "hide", "dismiss", "unpublish"]

    def resolver(i: int) -> object:
        def call() -> str:
            return report_resolve(actor=staff[i], report_id=report.pk, action=actions[i]).action

        return call

    outcomes = Counter(run_at_once([resolver(i) for i in range(6)]))
    assert sum(n for o, n in outcomes.items() if "ReportAlreadyResolved" in str(o)) == 5, outcomes
    [(winner, _)] = [(o, n) for o, n in outcomes.items() if o in actions]
    report.refresh_from_db()
    assert (report.status, report.action) == ("resolved", winner)
    assert AuditLog.objects.count() == 1
    assert AuditLog.objects.get().actor_id == report.resolved_by_id
    assert Notification.objects.filter(kind="report.decided").count() == 1


def test_one_reporter_filing_twice_at_once_gets_one_open_report() -> None:
    t = TournamentFactory()
    reporter = UserFactory()

    def call() -> object:
        return report_create(
            reporter=reporter, target_kind="tournament", target_id=t.pk, reason="spam"
        ).pk

    outcomes = run_at_once([call] * 8)
    report = Report.objects.get()
    assert outcomes.count(report.pk) == 1, outcomes
    assert sum("ReportAlreadyOpen" in str(o) for o in outcomes) == 7, outcomes
