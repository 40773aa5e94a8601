"""Delivering an account's export: a request makes one pending export (a unique constraint, so
two at once make one), a Celery task writes the zip into private storage and emails a signed link
valid for EXPORT_LINK_HOURS (24), and a beat job deletes archives once their link has expired.

The link is the credential, like a password-reset link: it opens without signing in (the email is
read where no token lives), names one export, and stops working when the export expires."""

import io
import json
import logging
import secrets
import zipfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.emailing import email_send_after_commit
from core.models import AccountExport, User
from core.models.storage import private_storage
from core.selectors.account_export import account_export_data

log = logging.getLogger(__name__)
_SALT = "core.account-export"
README = """This archive holds everything {site} keeps about your account, one JSON file per
section (profile.json, teams, registrations, results, payments, notifications, ratings, ...).
Times are UTC (ISO 8601); money is in integer paise (100 paise = 1 rupee). Secrets such as your
password hash are never included. Made {made} for user {user_id}.
"""


def export_request(*, user: User) -> AccountExport:
    """The user's pending export, or a new one queued for the task after commit."""
    pending = AccountExport.objects.filter(user=user, status=AccountExport.Status.PENDING).first()
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            export = AccountExport.objects.create(user=user)
    except IntegrityError:  # another request made it a moment ago
        return AccountExport.objects.get(user=user, status=AccountExport.Status.PENDING)
    jobs.enqueue_after_commit(jobs.ACCOUNT_EXPORT_BUILD, export_id=export.pk)
    return export


def export_latest(*, user: User) -> AccountExport | None:
    return AccountExport.objects.filter(user=user).first()


def archive_bytes(user: User, now: datetime) -> bytes:
    """The zip: README.txt and one <section>.json per section, in a fixed order."""
    data = account_export_data(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        site = getattr(settings, "SITE_NAME", "Scrimverse")
        readme = README.format(site=site, made=now.isoformat(), user_id=user.pk)
        archive.writestr("README.txt", readme)
        for section, rows in data.items():
            text = json.dumps(rows, indent=2, sort_keys=True, default=str, ensure_ascii=False)
            archive.writestr(f"{section}.json", text)
    return buffer.getvalue()


def export_build(*, export_id: int) -> str:
    """The task's work: write the archive, mark it ready, email the link. A repeat delivery of
    the task finds it no longer pending and does nothing."""
    export = AccountExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != AccountExport.Status.PENDING:
        return "skipped"
    now = timezone.now()
    content = archive_bytes(export.user, now)
    name = f"exports/{export.user_id}/{export.pk}-{secrets.token_hex(8)}.zip"
    saved = private_storage.save(name, ContentFile(content))
    expires = now + timedelta(hours=settings.EXPORT_LINK_HOURS)
    with transaction.atomic():
        claimed = AccountExport.objects.filter(
            pk=export.pk, status=AccountExport.Status.PENDING
        ).update(
            status=AccountExport.Status.READY,
            file_name=saved,
            size=len(content),
            ready_at=now,
            expires_at=expires,
        )
        if not claimed:  # a concurrent run won: ours is not referenced, remove it
            transaction.on_commit(lambda: private_storage.delete(saved))
            return "skipped"
        if export.user.email:
            email_send_after_commit(
                template="account_export_ready",
                to=export.user.email,
                context={
                    "user_name": export.user.display_name or export.user.username,
                    "download_url": settings.FRONTEND_URL.rstrip("/") + download_path(export.pk),
                    "expires_at": expires.strftime("%Y-%m-%d %H:%M UTC"),
                    "size_kb": max(1, len(content) // 1024),
                },
            )
    return "ready"


def download_path(export_id: int) -> str:
    token = signing.dumps({"e": export_id}, salt=_SALT)
    return reverse("account-export-download", kwargs={"token": token})


class ExportLinkError(Exception):
    """`bad` for a token that is not ours, `expired` for one whose export has gone."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def export_for_token(token: str, *, now: datetime | None = None) -> AccountExport:
    try:
        export_id = int(signing.loads(token, salt=_SALT)["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ExportLinkError("bad") from exc
    export = AccountExport.objects.filter(pk=export_id, status=AccountExport.Status.READY).first()
    now = now or timezone.now()
    if export is None or export.expires_at is None or export.expires_at <= now:
        raise ExportLinkError("expired")
    return export


def exports_purge(*, now: datetime | None = None) -> int:
    """Delete the archives whose link expired (the beat job; also what account deletion calls)."""
    now = now or timezone.now()
    expired = list(AccountExport.objects.filter(expires_at__lte=now))
    for export in expired:
        _delete_file(export)
    AccountExport.objects.filter(pk__in=[e.pk for e in expired]).delete()
    return len(expired)


def exports_delete_for(*, user: User) -> None:
    """Account deletion: every export row now, their files after commit."""
    exports = list(AccountExport.objects.filter(user=user))
    AccountExport.objects.filter(user=user).delete()
    transaction.on_commit(lambda: [_delete_file(e) for e in exports])


def _delete_file(export: AccountExport) -> None:
    if export.file_name:
        try:
            private_storage.delete(export.file_name)
        except OSError:
            log.warning("export %s: could not delete %s", export.pk, export.file_name)
