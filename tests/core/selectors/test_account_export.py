"""core/selectors/account_export.py: the export holds every row that refers to the user, each
under its section (checked against every model's relations to User, so a new model fails until
it is given a section or a reasoned exclusion), as JSON, without secrets."""

import json

import pytest
from django.apps import apps

from core.selectors.account_export import EXCLUDED, SECTIONS, account_export_data
from tests.core.services.test_account_deletion import label, relations_to_user
from tests.support.account_data import MARK, account_world

pytestmark = pytest.mark.django_db


def test_every_relation_to_user_is_exported_or_excluded_with_a_reason() -> None:
    exported = {relation for relations in SECTIONS.values() for relation in relations}
    assert not exported & set(EXCLUDED)
    assert {label(f) for f in relations_to_user()} == exported | set(EXCLUDED)
    assert all(EXCLUDED.values())


def test_each_section_holds_exactly_the_rows_that_refer_to_the_user() -> None:
    world = account_world()
    data = account_export_data(user=world.user)
    filled = 0
    for section, relations in SECTIONS.items():
        for relation in relations:
            model_label, _, field = relation.rpartition(".")
            model = apps.get_model(model_label)
            ids = set(model._default_manager.filter(**{field: world.user.pk}).values_list("pk"))
            exported = {(row["id"],) for row in data[section]}
            assert ids <= exported, relation
        filled += bool(data[section])
    assert filled >= 13  # the world has rows of most kinds, so the check above bites
    assert data["profile"]["username"] == f"{MARK}user"
    assert "password" not in data["profile"]
    text = json.dumps(data)
    assert "s" * 40 not in text  # a webhook secret is not data
