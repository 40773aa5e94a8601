"""core/services/hosts.py: a host submits (or resubmits) verification details with a PDF or an
image; staff approve or reject with a reason; the host is emailed and notified after commit."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.errors import Conflict, PermissionDenied, ValidationError
from core.models import HostProfile, Notification, User
from core.services.hosts import host_approve, host_reject, host_verification_submit
from tests.factories import HostFactory, UserFactory
from tests.support.accounts import submitted_host
from tests.support.emails import sent_to

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


def submit(host: User, **changes: Any) -> HostProfile:
    details = {"organization": "  Lan Kings ", "contact_name": " Ravi ", **changes}
    return host_verification_submit(actor=host, **details)


def test_a_submission_waits_for_review_and_a_resubmission_clears_the_rejection() -> None:
    host = UserFactory(role=User.Role.HOST)
    HostProfile.objects.create(user=host, status=HostProfile.Status.REJECTED, rejection_reason="x")
    profile = submit(host, website="https://lankings.example.com")
    assert (profile.status, profile.organization, profile.contact_name) == (
        HostProfile.Status.SUBMITTED,
        "Lan Kings",
        "Ravi",
    )
    assert profile.submitted_at is not None and profile.rejection_reason == ""
    new_host = UserFactory(role=User.Role.HOST)
    assert submit(new_host).status == HostProfile.Status.SUBMITTED  # the profile is created


def test_only_unapproved_hosts_submit() -> None:
    with pytest.raises(PermissionDenied):
        submit(UserFactory())
    with pytest.raises(Conflict, match="already verified"):
        submit(HostFactory())


def test_the_document_is_a_pdf_kept_as_is_or_a_re_encoded_image(settings: Any) -> None:
    host = UserFactory(role=User.Role.HOST)
    pdf = submit(host, document=SimpleUploadedFile("kyc.pdf", PDF, "application/pdf"))
    assert pdf.document.name.endswith(".pdf") and pdf.document.read() == PDF
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PNG")
    scan = submit(host, document=SimpleUploadedFile("id.png", buffer.getvalue(), "image/png"))
    assert scan.document.name.endswith(".png")
    with pytest.raises(ValidationError, match="Upload a PDF or an image") as caught:
        submit(host, document=SimpleUploadedFile("x.pdf", b"MZ\x90\x00exe", "application/pdf"))
    assert list(caught.value.details) == ["document"]
    settings.MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="larger than"):
        submit(host, document=SimpleUploadedFile("big.pdf", PDF, "application/pdf"))


def test_staff_approve_once_and_the_host_hears_of_it(
    staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    host = submitted_host()
    with pytest.raises(PermissionDenied):
        host_approve(actor=UserFactory(), host_user_id=host.pk)
    with django_capture_on_commit_callbacks(execute=True):
        profile = host_approve(actor=staff, host_user_id=host.pk)
    assert (profile.status, profile.reviewed_by) == (HostProfile.Status.APPROVED, staff)
    assert profile.reviewed_at is not None
    [message] = sent_to(host.email)
    assert "approved" in message.subject
    assert Notification.objects.get(user=host).kind == "host.approved"
    with pytest.raises(Conflict, match="already approved"):
        host_approve(actor=staff, host_user_id=host.pk)


def test_staff_reject_with_a_reason_the_host_is_told(
    staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    host = submitted_host()
    with pytest.raises(ValidationError, match="Give a reason"):
        host_reject(actor=staff, host_user_id=host.pk, reason="   ")
    with pytest.raises(PermissionDenied):
        host_reject(actor=HostFactory(), host_user_id=host.pk, reason="no")
    with django_capture_on_commit_callbacks(execute=True):
        profile = host_reject(actor=staff, host_user_id=host.pk, reason=" Blurry ID ")
    assert (profile.status, profile.rejection_reason) == (HostProfile.Status.REJECTED, "Blurry ID")
    assert "Blurry ID" in sent_to(host.email)[0].body
    assert Notification.objects.get(user=host).body == "Blurry ID"
    with pytest.raises(Conflict, match="already rejected"):
        host_reject(actor=staff, host_user_id=host.pk, reason="again")
