"""core/services/audit.py and the staff actions that call it: each one leaves exactly one audit
row, written in the action's transaction (an action that is refused or does nothing writes
none)."""

from typing import Any

import pytest

from core.errors import Conflict
from core.models import AuditLog, User
from core.services.audit import audit_record
from core.services.competition import group_create, match_create, round_complete, round_create
from core.services.hosts import host_approve, host_reject
from core.services.results import match_result_submit
from core.services.users import user_set_active
from tests.factories import UserFactory
from tests.support.accounts import submitted_host
from tests.support.events import submission
from tests.support.tournaments import live_tournament

pytestmark = pytest.mark.django_db


def rows_of(action: str) -> list[tuple[int, str, str, dict[str, Any]]]:
    return list(
        AuditLog.objects.filter(action=action).values_list(
            "actor_id", "target_kind", "target_id", "details"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction() -> None:
    """An audit row committed on its own could outlive a rolled-back action."""
    staff = UserFactory(is_staff=True)
    with pytest.raises(RuntimeError):
        audit_record(actor=staff, action="x", target=("user", 1))
    assert AuditLog.objects.count() == 0


def test_host_approve_and_reject_leave_one_row_each(staff: User) -> None:
    host = submitted_host()
    host_approve(actor=staff, host_user_id=host.pk)
    assert rows_of("host.approve") == [(staff.pk, "user", str(host.pk), {})]
    with pytest.raises(Conflict):
        host_approve(actor=staff, host_user_id=host.pk)  # refused: no second row
    host_reject(actor=staff, host_user_id=host.pk, reason="Fake org")
    assert rows_of("host.reject") == [(staff.pk, "user", str(host.pk), {"reason": "Fake org"})]
    assert AuditLog.objects.count() == 2


def test_suspend_and_reinstate_leave_one_row_each_and_a_no_op_none(staff: User) -> None:
    user = UserFactory()
    user_set_active(actor=staff, user_id=user.pk, is_active=False)
    user_set_active(actor=staff, user_id=user.pk, is_active=False)  # already suspended
    assert rows_of("user.suspend") == [(staff.pk, "user", str(user.pk), {})]
    user_set_active(actor=staff, user_id=user.pk, is_active=True)
    assert rows_of("user.reinstate") == [(staff.pk, "user", str(user.pk), {})]
    assert AuditLog.objects.count() == 2


def test_a_result_correction_after_the_round_completed_leaves_one_row() -> None:
    t, field = live_tournament(teams=3)
    round_ = round_create(actor=t.host, tournament=t, name="Final", is_final=True)
    group = group_create(
        actor=t.host, tournament=t, round_=round_, name="A", team_ids=[f.pk for f in field]
    )
    match = match_create(actor=t.host, tournament=t, group=group)

    def rows(order: list[int]) -> Any:
        body = [{"team": field[i].pk, "placement": p, "kills": 0} for p, i in enumerate(order, 1)]
        return submission(body, final=True)

    match_result_submit(actor=t.host, match_id=match.pk, submission=rows([0, 1, 2]))
    assert AuditLog.objects.count() == 0  # the host's own result is not a staff action
    round_complete(actor=t.host, tournament=t, round_=round_)
    staff = UserFactory(is_staff=True)
    match_result_submit(actor=staff, match_id=match.pk, submission=rows([2, 1, 0]))
    details = {"round": round_.pk, "version": 2}
    assert rows_of("result.correct") == [(staff.pk, "match", str(match.pk), details)]
    assert AuditLog.objects.count() == 1
