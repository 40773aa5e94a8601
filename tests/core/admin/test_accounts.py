"""core/admin/accounts.py: the host-verification actions in the Django admin go through the same
services as the staff REST endpoints (approval emailed; rejection asks for a reason first)."""

from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client

from core.models import HostProfile, User
from tests.support.accounts import submitted_host
from tests.support.emails import sent_to

pytestmark = pytest.mark.django_db


def test_django_admin_actions_use_the_same_service(
    staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    staff.is_superuser = True
    staff.save()
    approve_me, reject_me = submitted_host(), submitted_host()
    browser = Client()
    browser.force_login(staff)
    url = "/admin/core/hostprofile/"
    assert browser.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(
            url,
            {"action": "approve_selected", ACTION_CHECKBOX_NAME: [approve_me.host_profile.pk]},
        )
    assert HostProfile.objects.get(user=approve_me).status == "approved"
    assert len(sent_to(approve_me.email)) == 1

    picked = {"action": "reject_selected", ACTION_CHECKBOX_NAME: [reject_me.host_profile.pk]}
    ask = browser.post(url, picked)
    assert ask.status_code == 200 and b"Reason" in ask.content
    assert HostProfile.objects.get(user=reject_me).status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(url, {**picked, "apply": "1", "reason": "Not a real org"})
    profile = HostProfile.objects.get(user=reject_me)
    assert profile.status == "rejected" and profile.rejection_reason == "Not a real org"
    assert "Not a real org" in sent_to(reject_me.email)[0].body
