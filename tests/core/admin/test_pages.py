"""core/admin/: every admin changelist and change page renders for staff (no broken
list_display or filters)."""

from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import TournamentFactory, UserFactory, team_with_roster


@pytest.mark.django_db
def test_every_registered_admin_page_renders(client: Any) -> None:
    staff = UserFactory(is_staff=True, is_superuser=True)
    TournamentFactory()
    team_with_roster(size=2)
    client.force_login(staff)
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, info
        first = model._default_manager.first()
        if first is not None:
            change = client.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            assert change.status_code == 200, info
