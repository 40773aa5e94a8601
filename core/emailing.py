"""Email: templates under templates/emails/<name>.{txt,html,subject.txt}, sent by a Celery task
enqueued after commit, so a rolled-back transaction sends nothing."""

import sys
import uuid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.template.loader import render_to_string

from core import jobs

MESSAGE_ID_DOMAIN = "scrimverse.mail"


class ConsoleAndFileBackend(FileBackend):
    """Development backend: prints each message and keeps a copy in EMAIL_FILE_PATH, so a
    newcomer can open the verification link from a file."""

    def send_messages(self, email_messages: list[EmailMessage]) -> int:
        ConsoleBackend(stream=sys.stdout).send_messages(email_messages)
        return super().send_messages(email_messages)


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    ctx = {"site_name": settings.SITE_NAME, "frontend_url": settings.FRONTEND_URL, **context}
    subject = render_to_string(f"emails/{template}.subject.txt", ctx).strip()
    text = render_to_string(f"emails/{template}.txt", ctx)
    html = render_to_string(f"emails/{template}.html", ctx)
    return " ".join(subject.splitlines()), text, html


def deliver_email(
    *, template: str, to: str, context: dict[str, Any], message_id: str | None = None
) -> None:
    """Render and send now (core/services/emails.py, once per key). The Message-ID follows the
    key, so a message sent twice is recognisably one message."""
    subject, text, html = render_email(template, context)
    headers = {"Message-ID": f"<{message_id}@{MESSAGE_ID_DOMAIN}>"} if message_id else {}
    if context.get("unsubscribe_url"):
        # RFC 8058: mail clients show their own unsubscribe button and POST to this URL.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    message.send()


def email_send_after_commit(*, template: str, to: str, context: dict[str, Any]) -> None:
    """Queue an email once the current transaction commits (immediately outside one), with the
    idempotency key that makes its delivery happen once however often the task is delivered."""
    jobs.enqueue_after_commit(
        jobs.SEND_EMAIL, key=uuid.uuid4().hex, template=template, to=to, context=context
    )
