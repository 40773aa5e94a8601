"""USE_S3 against a real S3-compatible server over HTTP (moto's standalone server, started on a
free port): uploads, variants, replacement, public-read images and private documents that answer
only a presigned URL (docs/quality.md). The storages are the settings' own (s3_storages)."""

import io
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from config.settings.storage import s3_storages
from core.models import HostProfile, Team, User
from core.services.media_orphans import media_orphans_find
from tests.factories import UserFactory, captain_of, team_with_roster
from tests.support.api import client_as
from tests.support.media import PDF, image_upload, pdf_upload
from tests.support.s3 import CREDENTIALS, REGION, client, keys, moto_server

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@dataclass
class Buckets:
    s3: Any
    endpoint: str
    public: str
    private: str


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_server() as url:
        yield url


@pytest.fixture
def s3(endpoint: str, settings: Any, monkeypatch: Any) -> Buckets:
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    tag = uuid.uuid4().hex[:8]
    buckets = Buckets(client(endpoint), endpoint, f"public-{tag}", f"private-{tag}")
    for bucket in (buckets.public, buckets.private):
        buckets.s3.create_bucket(Bucket=bucket)
    settings.STORAGES = s3_storages(
        bucket=buckets.public, private_bucket=buckets.private, endpoint_url=endpoint, region=REGION
    )
    return buckets


def _upload_logo(team: Team, capture: Any) -> dict[str, Any]:
    url = f"/api/accounts/teams/{team.pk}/"
    with capture(execute=True):
        answer = client_as(captain_of(team)).patch(url, {"logo": image_upload()}, "multipart")
    assert answer.status_code == 200, answer.content
    return client_as().get(url).json()


def test_an_upload_and_its_variants_are_public_read_objects(
    s3: Buckets, django_capture_on_commit_callbacks: Any
) -> None:
    team = team_with_roster()
    body = _upload_logo(team, django_capture_on_commit_callbacks)
    team.refresh_from_db()
    stored = keys(s3.s3, s3.public)
    assert stored == {team.logo.name, *(e["name"] for e in team.logo_variants)}
    assert len(stored) == 7  # the original, and 64, 96 and 256 px as WebP and JPEG
    assert len(body["logo_variants"]) == 6
    assert {(v["width"], v["height"]) for v in body["logo_variants"]} == {
        (64, 43),
        (96, 64),
        (256, 171),
    }
    for variant in body["logo_variants"]:
        assert variant["url"].startswith(f"{s3.endpoint}/{s3.public}/team_logos/")
        fetched = httpx.get(variant["url"])  # anonymous, unsigned
        assert fetched.status_code == 200, variant["url"]
        with Image.open(io.BytesIO(fetched.content)) as image:
            assert image.size == (variant["width"], variant["height"])
            assert image.format.lower() == variant["format"]
        assert "immutable" in fetched.headers["cache-control"]
    grants = s3.s3.get_object_acl(Bucket=s3.public, Key=team.logo.name)["Grants"]
    assert any(g["Grantee"].get("URI") == ALL_USERS and g["Permission"] == "READ" for g in grants)


def test_a_replacement_removes_the_old_objects(
    s3: Buckets, django_capture_on_commit_callbacks: Any
) -> None:
    team = team_with_roster()
    _upload_logo(team, django_capture_on_commit_callbacks)
    first = keys(s3.s3, s3.public)
    old_url = client_as().get(f"/api/accounts/teams/{team.pk}/").json()["logo"]
    _upload_logo(team, django_capture_on_commit_callbacks)
    second = keys(s3.s3, s3.public)
    assert len(second) == 7 and not first & second
    assert httpx.get(old_url).status_code in (403, 404)


def test_a_private_document_answers_only_its_presigned_url(s3: Buckets) -> None:
    host = UserFactory(role=User.Role.HOST)
    details = {"organization": "Org", "contact_name": "Arjun", "document": pdf_upload()}
    submitted = client_as(host).post("/api/accounts/host-verification/", details, "multipart")
    assert submitted.status_code == 200, submitted.content
    name = HostProfile.objects.get(user=host).document.name
    key = f"private/{name}"
    assert keys(s3.s3, s3.private) == {key} and keys(s3.s3, s3.public) == set()
    assert httpx.get(f"{s3.endpoint}/{s3.private}/{key}").status_code == 403  # no signature
    endpoint = submitted.json()["document"]
    assert client_as().get(endpoint).status_code == 401  # signed out
    for who in (UserFactory(), UserFactory(role=User.Role.HOST)):  # a player, another host
        assert client_as(who).get(endpoint).status_code == 404
    staff = client_as(UserFactory(is_staff=True)).get(endpoint).json()["url"]
    assert httpx.get(staff).content == PDF
    link = client_as(host).get(endpoint).json()["url"]
    query = parse_qs(urlsplit(link).query)
    assert query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query
    assert httpx.get(link).content == PDF
    assert httpx.get(link.split("?")[0]).status_code == 403  # the signature is what opens it
    grants = s3.s3.get_object_acl(Bucket=s3.private, Key=key)["Grants"]
    assert not any(g["Grantee"].get("URI") == ALL_USERS for g in grants)


def test_orphans_are_found_on_s3(s3: Buckets, django_capture_on_commit_callbacks: Any) -> None:
    team = team_with_roster()
    _upload_logo(team, django_capture_on_commit_callbacks)
    orphan = default_storage.save("team_logos/2026/01/orphan.png", ContentFile(b"x"))
    assert [o.name for o in media_orphans_find(grace=timedelta(0))] == [orphan]


def test_use_s3_and_the_endpoint_setting_select_the_server(s3: Buckets, tmp_path: Path) -> None:
    env = {
        **os.environ,
        **CREDENTIALS,
        "USE_S3": "true",
        "AWS_STORAGE_BUCKET_NAME": s3.public,
        "AWS_PRIVATE_BUCKET_NAME": s3.private,
        "AWS_S3_ENDPOINT_URL": s3.endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "VAR_DIR": str(tmp_path),
    }
    code = (
        "from django.core.files.base import ContentFile as F;"
        "from django.core.files.storage import default_storage as d;"
        "from core.models.storage import private_storage as p;"
        "print(d.url(d.save('banners/a.txt', F(b'public'))));"
        "print(p.save('host_documents/b.txt', F(b'secret')))"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    public_url, private_name = done.stdout.split()[-2:]
    assert public_url == f"{s3.endpoint}/{s3.public}/banners/a.txt"
    assert httpx.get(public_url).content == b"public"
    assert keys(s3.s3, s3.private) == {f"private/{private_name}"}
