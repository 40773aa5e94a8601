"""Host verification: a host submits details; staff approve or reject (REST and Django admin)."""

import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, PermissionDenied, ValidationError
from core.media.images import clean_image
from core.models import HostProfile, User
from core.services.notifications import notifications_send

from .audit import audit_record
from .locks import lock_host_profile, lock_or_create_host_profile
from .media import files_delete_after_commit

log = logging.getLogger(__name__)


def _clean_document(upload: UploadedFile) -> ContentFile:
    """A PDF (kept as is, after a size and magic-number check) or an image (re-encoded)."""
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        message = f"The file is larger than {limit // 1024} KiB."
        raise ValidationError(message, details={"document": [message]})
    upload.seek(0)
    head = upload.read(5)
    if head == b"%PDF-":
        upload.seek(0)
        data = upload.read(limit + 1)
        if len(data) > limit:
            message = f"The file is larger than {limit // 1024} KiB."
            raise ValidationError(message, details={"document": [message]})
        return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf")
    upload.seek(0)
    try:
        return clean_image(upload, field="document")
    except ValidationError:
        message = "Upload a PDF or an image (JPEG, PNG, WebP)."
        raise ValidationError(message, details={"document": [message]}) from None


@transaction.atomic
def host_verification_submit(
    *,
    actor: User,
    organization: str,
    contact_name: str,
    details: str = "",
    website: str = "",
    document: UploadedFile | None = None,
) -> HostProfile:
    """Submit (or resubmit after a rejection) verification details for review."""
    if not actor.is_host:
        raise PermissionDenied("Only host accounts can submit host verification.")
    profile = lock_or_create_host_profile(actor)
    if profile.status == HostProfile.Status.APPROVED:
        raise Conflict("Your host account is already verified.")
    profile.organization = organization.strip()
    profile.contact_name = contact_name.strip()
    profile.details = details
    profile.website = website
    if document is not None:
        cleaned = _clean_document(document)
        old = profile.document.name
        profile.document.save(cleaned.name, cleaned, save=False)
        files_delete_after_commit([old] if old else [], storage=profile.document.storage)
    profile.status = HostProfile.Status.SUBMITTED
    profile.submitted_at = timezone.now()
    profile.rejection_reason = ""
    profile.save()
    return profile


@transaction.atomic
def host_approve(*, actor: User, host_user_id: int) -> HostProfile:
    """Approve a host (staff only) and email them. Approving twice is a 409."""
    if not actor.is_staff:
        raise PermissionDenied("Only staff can approve hosts.")
    profile = lock_host_profile(host_user_id)
    if profile.status == HostProfile.Status.APPROVED:
        raise Conflict("This host is already approved.")
    profile.status = HostProfile.Status.APPROVED
    profile.reviewed_at = timezone.now()
    profile.reviewed_by = actor
    profile.rejection_reason = ""
    profile.save(update_fields=["status", "reviewed_at", "reviewed_by", "rejection_reason"])
    user = profile.user
    notifications_send(
        users=[user],
        kind="host.approved",
        title="You are a verified host",
        body="You can now create and publish tournaments.",
        email_context={
            "name": user.display_name or user.username,
            "organization": profile.organization,
        },
    )
    audit_record(actor=actor, action="host.approve", target=("user", user.pk))
    log.info("host %s approved by %s", user.pk, actor.pk)
    return profile


@transaction.atomic
def host_reject(*, actor: User, host_user_id: int, reason: str) -> HostProfile:
    """Reject (or revoke) a host's verification with a reason they are emailed."""
    if not actor.is_staff:
        raise PermissionDenied("Only staff can reject hosts.")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give a reason.", details={"reason": ["This field is required."]})
    profile = lock_host_profile(host_user_id)
    if profile.status == HostProfile.Status.REJECTED:
        raise Conflict("This host is already rejected.")
    profile.status = HostProfile.Status.REJECTED
    profile.reviewed_at = timezone.now()
    profile.reviewed_by = actor
    profile.rejection_reason = reason
    profile.save(update_fields=["status", "reviewed_at", "reviewed_by", "rejection_reason"])
    user = profile.user
    notifications_send(
        users=[user],
        kind="host.rejected",
        title="Host verification declined",
        body=reason,
        email_context={"name": user.display_name or user.username, "reason": reason},
    )
    audit_record(
        actor=actor, action="host.reject", target=("user", user.pk), details={"reason": reason}
    )
    log.info("host %s rejected by %s", user.pk, actor.pk)
    return profile
