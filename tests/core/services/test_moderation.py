"""core/services/moderation.py: a report resolved with each action changes what it says, tells
the reporter (an in-app notification) and leaves exactly one audit row; a refused resolution
changes nothing; a report is filed once while open."""

from typing import Any

import pytest

from core.errors import NotFound, PermissionDenied, ValidationError
from core.models import (
    Announcement,
    AuditLog,
    Notification,
    Registration,
    Report,
    Tournament,
    User,
)
from core.selectors.competition import announcement_list
from core.selectors.teams import team_list
from core.selectors.tournaments import tournament_get, tournament_list
from core.selectors.users import player_public_profile
from core.services.moderation import (
    ReportAlreadyOpen,
    ReportAlreadyResolved,
    UnpublishRefused,
    report_create,
    report_resolve,
)
from core.services.tokens import TokenInvalid, refresh_rotate, token_pair_for
from tests.factories import TournamentFactory, UserFactory, captain_of, team_with_roster

pytestmark = pytest.mark.django_db


def file(kind: str, target_id: int, reporter: User | None = None) -> Report:
    return report_create(
        reporter=reporter or UserFactory(), target_kind=kind, target_id=target_id, reason="spam"
    )


def resolve(staff: User, report: Report, action: str, note: str = "Checked") -> Report:
    """Resolve and check the common outcome: one audit row, the reporter notified once."""
    audit_before = AuditLog.objects.count()
    resolved = report_resolve(actor=staff, report_id=report.pk, action=action, note=note)
    assert AuditLog.objects.count() == audit_before + 1
    row = AuditLog.objects.latest("id")
    assert (row.actor_id, row.action) == (staff.pk, f"report.{action}")
    assert (row.target_kind, row.target_id) == (report.target_kind, str(report.target_id))
    assert row.details["report"] == report.pk
    [told] = Notification.objects.filter(user=report.reporter, kind="report.decided")
    assert told.data == {
        "report": report.pk,
        "action": action,
        "target_kind": report.target_kind,
        "target_id": report.target_id,
    }
    assert told.body == note
    assert (resolved.status, resolved.action, resolved.resolved_by) == ("resolved", action, staff)
    return resolved


def test_hiding_a_tournament_takes_it_out_of_public_reads(staff: User) -> None:
    t = TournamentFactory()
    stranger = UserFactory()
    assert t in tournament_list(viewer=None, filters={})
    resolve(staff, file("tournament", t.pk), "hide")
    t.refresh_from_db()
    assert t.hidden_at is not None
    assert t not in tournament_list(viewer=None, filters={})
    assert t not in tournament_list(viewer=stranger, filters={})
    with pytest.raises(NotFound):
        tournament_get(viewer=stranger, pk=t.pk)
    assert tournament_get(viewer=t.host, pk=t.pk) == t  # its host and staff still see it
    assert tournament_get(viewer=staff, pk=t.pk) == t
    with pytest.raises(NotFound):  # what nobody sees cannot be reported again
        file("tournament", t.pk)


def test_hiding_a_team_a_profile_and_an_announcement(staff: User) -> None:
    team = team_with_roster(size=2)
    player = UserFactory()
    t = TournamentFactory()
    note = Announcement.objects.create(tournament=t, message="Buy cheats here", created_by=t.host)
    kept = Announcement.objects.create(tournament=t, message="Lobby at 8", created_by=t.host)
    for kind, pk in (("team", team.pk), ("profile", player.pk), ("announcement", note.pk)):
        resolve(staff, file(kind, pk), "hide")
    assert team not in team_list()
    with pytest.raises(NotFound):
        player_public_profile(user_id=player.pk)
    assert list(announcement_list(tournament=t)) == [kept]
    assert AuditLog.objects.count() == 3


def test_unpublishing_sends_the_tournament_back_to_draft(staff: User) -> None:
    t = TournamentFactory()
    resolve(staff, file("tournament", t.pk), "unpublish")
    t.refresh_from_db()
    assert t.status == Tournament.Status.DRAFT
    assert AuditLog.objects.get().details == {
        "report": Report.objects.get().pk,
        "note": "Checked",
        "previous_status": "registration_open",
    }
    assert t not in tournament_list(viewer=None, filters={})


def test_unpublishing_a_tournament_with_registrations_is_refused_and_nothing_changes(
    staff: User,
) -> None:
    team = team_with_roster(size=2)
    t = TournamentFactory(game=team.game)
    Registration.objects.create(
        tournament=t, team=team, registered_by=captain_of(team), status="confirmed"
    )
    report = file("tournament", t.pk)
    with pytest.raises(UnpublishRefused) as refused:
        report_resolve(actor=staff, report_id=report.pk, action="unpublish")
    assert refused.value.details == {"registrations": 1}
    report.refresh_from_db()
    t.refresh_from_db()
    assert (report.status, t.status) == ("open", "registration_open")
    assert AuditLog.objects.count() == 0 and Notification.objects.count() == 0


def test_unpublish_is_only_for_tournaments(staff: User) -> None:
    report = file("profile", UserFactory().pk)
    with pytest.raises(ValidationError):
        report_resolve(actor=staff, report_id=report.pk, action="unpublish")
    assert Report.objects.get().status == "open" and AuditLog.objects.count() == 0


def test_suspending_deactivates_the_responsible_user_and_revokes_their_sessions(
    staff: User,
) -> None:
    team = team_with_roster(size=2)
    captain = captain_of(team)
    pair = token_pair_for(captain)
    resolve(staff, file("team", team.pk), "suspend")
    captain.refresh_from_db()
    assert not captain.is_active
    assert AuditLog.objects.get().details["user"] == captain.pk
    with pytest.raises(TokenInvalid):
        refresh_rotate(raw_refresh=pair["refresh"])


def test_staff_accounts_are_not_suspended_through_reports(staff: User) -> None:
    other_staff = UserFactory(is_staff=True)
    report = file("profile", other_staff.pk)
    with pytest.raises(PermissionDenied):
        report_resolve(actor=staff, report_id=report.pk, action="suspend")
    other_staff.refresh_from_db()
    assert other_staff.is_active and AuditLog.objects.count() == 0


def test_dismissing_changes_nothing_but_the_report(staff: User) -> None:
    t = TournamentFactory()
    resolve(staff, file("tournament", t.pk), "dismiss", note="Within the rules")
    t.refresh_from_db()
    assert t.hidden_at is None and t.status == "registration_open"


def test_a_report_is_resolved_once(staff: User) -> None:
    report = file("profile", UserFactory().pk)
    resolve(staff, report, "dismiss")
    with pytest.raises(ReportAlreadyResolved):
        report_resolve(actor=UserFactory(is_staff=True), report_id=report.pk, action="hide")
    assert AuditLog.objects.count() == 1
    assert Notification.objects.filter(kind="report.decided").count() == 1


def test_only_staff_resolve(staff: User) -> None:
    report = file("profile", UserFactory().pk)
    with pytest.raises(PermissionDenied):
        report_resolve(actor=UserFactory(), report_id=report.pk, action="dismiss")
    with pytest.raises(NotFound):
        report_resolve(actor=staff, report_id=report.pk + 999, action="dismiss")
    assert AuditLog.objects.count() == 0


def test_an_open_report_is_filed_once_and_again_after_it_was_resolved(staff: User) -> None:
    reporter, target = UserFactory(), UserFactory()
    first = file("profile", target.pk, reporter)
    with pytest.raises(ReportAlreadyOpen) as refused:
        report_create(reporter=reporter, target_kind="profile", target_id=target.pk, reason="x")
    assert refused.value.details == {"report": first.pk}
    report_resolve(actor=staff, report_id=first.pk, action="dismiss")
    assert file("profile", target.pk, reporter) != first
    assert Report.objects.count() == 2


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("tournament", lambda: TournamentFactory(status="draft").pk),
        ("profile", lambda: UserFactory(is_active=False).pk),
        ("team", lambda: 987654),
        ("announcement", lambda: 987654),
    ],
)
def test_what_the_public_cannot_see_cannot_be_reported(kind: str, make: Any) -> None:
    with pytest.raises(NotFound):
        report_create(reporter=UserFactory(), target_kind=kind, target_id=make(), reason="spam")
    assert Report.objects.count() == 0
