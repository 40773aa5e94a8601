"""Delivering an account's export (core/services/account_exports.py) through the API: one export
per request (two at once make one), a zip with every section of the user's data, an emailed
signed link that works without signing in until it expires, and nothing left after deletion."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from core.models import AccountExport
from core.models.storage import private_storage
from core.selectors.account_export import SECTIONS
from core.services.account_exports import exports_purge
from tests.factories import PASSWORD, UserFactory
from tests.support.account_data import MARK, account_world
from tests.support.api import client_as

pytestmark = pytest.mark.django_db(transaction=True)


def _link(address: str) -> str:
    [message] = [m for m in mail.outbox if address in m.to and "export" in m.subject]
    line = next(ln for ln in message.body.splitlines() if "/account-export/" in ln)
    return "/account-export/" + line.split("/account-export/")[1].strip()


def test_export_is_emailed_as_a_link_to_a_zip_of_every_section() -> None:
    world = account_world()
    api = client_as(world.user)
    assert api.get("/api/accounts/me/export/").status_code == 404  # none asked yet
    started = api.post("/api/accounts/me/export/")
    assert started.status_code == 202
    state = api.get("/api/accounts/me/export/").json()  # eager Celery: built already
    assert state["status"] == "ready" and state["size"] > 0
    assert state["id"] == started.json()["id"]

    response = Client().get(_link(world.user.email))  # no credentials: the link is enough
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    expected = {f"{s}.json" for s in SECTIONS} | {"profile.json", "refunds.json", "README.txt"}
    assert names == expected
    profile = json.loads(archive.read("profile.json"))
    assert profile["username"] == f"{MARK}user" and "password" not in profile
    filled = [n for n in names if n.endswith(".json") and json.loads(archive.read(n))]
    assert len(filled) >= 13


def test_a_tampered_link_is_400_and_an_expired_one_410_and_purged() -> None:
    world = account_world()
    client_as(world.user).post("/api/accounts/me/export/")
    link = _link(world.user.email)
    assert Client().get(link[:-3] + "xx/").status_code == 400
    assert Client().get("/account-export/not-a-token/").status_code == 400
    export = AccountExport.objects.get(user=world.user)
    assert private_storage.exists(export.file_name)
    assert export.expires_at - export.ready_at == timedelta(hours=24)
    AccountExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert Client().get(link).status_code == 410
    assert exports_purge() == 1
    assert not private_storage.exists(export.file_name)
    assert not AccountExport.objects.filter(pk=export.pk).exists()


def test_a_second_request_while_one_is_pending_returns_it() -> None:
    world = account_world()
    pending = AccountExport.objects.create(user=world.user)
    again = client_as(world.user).post("/api/accounts/me/export/")
    assert again.status_code == 202 and again.json()["id"] == pending.pk
    assert AccountExport.objects.filter(user=world.user).count() == 1


def test_deleting_the_account_removes_its_exports_and_their_files() -> None:
    user = UserFactory()
    client_as(user).post("/api/accounts/me/export/")
    export = AccountExport.objects.get(user=user)
    deleted = client_as(user).delete("/api/accounts/me/", {"password": PASSWORD}, format="json")
    assert deleted.status_code == 204, deleted.json()
    assert not AccountExport.objects.filter(user=user).exists()
    assert not private_storage.exists(export.file_name)
