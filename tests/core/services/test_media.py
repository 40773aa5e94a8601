"""The life of an uploaded image (core/services/media.py): replaced and deleted files go after
commit, a refused or rolled-back upload keeps the old one, a stale job changes nothing, and the
backfill and orphan commands."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from core.errors import ValidationError
from core.media.images import clean_image
from core.models import Team, Tournament
from core.services.media import image_put, image_variants_build, stored_names
from core.services.media_orphans import media_orphans_find
from core.services.teams import team_delete, team_update
from core.services.tournaments import tournament_delete, tournament_update
from tests.factories import (
    HostFactory,
    TournamentFactory,
    UserFactory,
    captain_of,
    team_with_roster,
)
from tests.support.api import client_as
from tests.support.media import image_upload
from tests.support.tournaments import create_body

pytestmark = pytest.mark.django_db


def _logo(team: Team, run: Any) -> list[str]:
    with run(execute=True):
        team_update(actor=captain_of(team), team=team, logo=clean_image(image_upload()))
    team.refresh_from_db()
    return stored_names(team, "logo")


def test_a_replaced_logo_and_its_variants_are_deleted_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    team = team_with_roster()
    first = _logo(team, django_capture_on_commit_callbacks)
    assert len(first) == 7 and all(default_storage.exists(n) for n in first)  # original + 6
    second = _logo(team, django_capture_on_commit_callbacks)
    assert not set(first) & set(second)
    assert all(default_storage.exists(n) for n in second)
    assert not any(default_storage.exists(n) for n in first)


def test_a_refused_upload_leaves_the_old_image_in_place(
    django_capture_on_commit_callbacks: Any,
) -> None:
    team = team_with_roster()
    first = _logo(team, django_capture_on_commit_callbacks)
    fake = ContentFile(b"not an image" * 10, name="x.png")
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        team_update(actor=captain_of(team), team=team, logo=clean_image(fake))
    team.refresh_from_db()
    assert stored_names(team, "logo") == first and all(default_storage.exists(n) for n in first)


def test_a_rolled_back_replacement_deletes_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    team = team_with_roster()
    first = _logo(team, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                image_put(team, "logo", clean_image(image_upload()))
                team.save()
                raise RuntimeError("later step fails")
        except RuntimeError:
            pass
    assert callbacks == []
    team.refresh_from_db()
    assert stored_names(team, "logo") == first and all(default_storage.exists(n) for n in first)


def test_deleting_a_team_or_a_tournament_deletes_their_images(
    django_capture_on_commit_callbacks: Any,
) -> None:
    team = team_with_roster()
    names = _logo(team, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        team_delete(actor=captain_of(team), team=team)
    assert not any(default_storage.exists(n) for n in names)

    tournament = TournamentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tournament_update(
            actor=tournament.host,
            tournament=tournament,
            changes={"banner": image_upload("PNG", (2000, 1000))},
        )
    tournament.refresh_from_db()
    banner = stored_names(tournament, "banner")
    assert len(banner) == 5  # original, 640 and 1280 as WebP and JPEG
    with django_capture_on_commit_callbacks(execute=True):
        tournament_delete(actor=tournament.host, tournament=tournament)
    assert not Tournament.objects.filter(pk=tournament.pk).exists()
    assert not any(default_storage.exists(n) for n in banner)


def test_a_new_tournament_and_a_new_team_get_their_variants(
    django_capture_on_commit_callbacks: Any,
) -> None:
    host = HostFactory()
    body = {**create_body(), "banner": image_upload("PNG", (1600, 800))}
    with django_capture_on_commit_callbacks(execute=True):
        created = client_as(host).post("/api/tournaments/", body, "multipart")
    assert created.status_code == 201, created.content
    tournament = Tournament.objects.get(pk=created.json()["id"])
    assert {e["width"] for e in tournament.banner_variants} == {640, 1280}
    team_body = {"game": "codm", "name": "Fresh", "tag": "FR", "logo": image_upload()}
    with django_capture_on_commit_callbacks(execute=True):
        made = client_as(UserFactory()).post("/api/accounts/teams/", team_body, "multipart")
    assert made.status_code == 201, made.content
    assert len(Team.objects.get(pk=made.json()["id"]).logo_variants) == 6


def test_a_job_for_a_replaced_image_changes_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    team = team_with_roster()
    _logo(team, django_capture_on_commit_callbacks)
    before = list(team.logo_variants)
    made = image_variants_build(model="team", pk=team.pk, field="logo", original="gone.png")
    team.refresh_from_db()
    assert made == 0 and team.logo_variants == before


def test_the_backfill_command_makes_missing_variants_once() -> None:
    team = team_with_roster()
    with transaction.atomic():  # no commit callbacks run here: the job never happened
        image_put(team, "logo", clean_image(image_upload()))
        team.save()
    assert len(team.logo_variants) == 1  # the original alone
    out = StringIO()
    call_command("image_variants", stdout=out)
    team.refresh_from_db()
    assert len(team.logo_variants) == 6 and "1 image(s)" in out.getvalue()
    again = StringIO()
    call_command("image_variants", stdout=again)
    assert "0 image(s)" in again.getvalue()


def test_orphans_are_listed_then_deleted_and_used_files_are_kept(
    django_capture_on_commit_callbacks: Any,
) -> None:
    team = team_with_roster()
    used = _logo(team, django_capture_on_commit_callbacks)
    orphan = default_storage.save("team_logos/2026/01/left-behind.png", ContentFile(b"x"))
    elsewhere = default_storage.save("static-copy/keep.png", ContentFile(b"x"))
    assert media_orphans_find(grace=timedelta(hours=1)) == []  # too young to be an orphan
    found = [o.name for o in media_orphans_find(grace=timedelta(0))]
    assert found == [orphan]
    out = StringIO()
    call_command("media_orphans", "--grace-seconds", "0", stdout=out)
    assert default_storage.exists(orphan) and "1 orphaned file(s)" in out.getvalue()
    call_command("media_orphans", "--grace-seconds", "0", "--delete", stdout=StringIO())
    assert not default_storage.exists(orphan)
    assert default_storage.exists(elsewhere) and all(default_storage.exists(n) for n in used)
