"""core/emailing.py: templates render into a one-line subject, a text and an HTML part; an email
queued in a transaction goes out after commit and never after a rollback; the development
backend prints each message and keeps a copy."""

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction

from core.emailing import (
    ConsoleAndFileBackend,
    deliver_email,
    email_send_after_commit,
    render_email,
)


def test_a_template_renders_subject_text_and_html(settings: Any) -> None:
    settings.SITE_NAME, settings.FRONTEND_URL = "Arena", "https://arena.example.com"
    subject, text, html = render_email("welcome", {"name": "Ravi <3"})
    assert subject == "Welcome to Arena" and "\n" not in subject
    assert "Hi Ravi <3," in text and "https://arena.example.com" in text
    assert "Ravi &lt;3" in html  # the HTML part escapes what the text part keeps as is


def test_deliver_sends_both_parts_from_the_default_address(settings: Any) -> None:
    deliver_email(template="welcome", to="a@example.com", context={"name": "A"})
    [message] = mail.outbox
    assert (message.to, message.from_email) == (["a@example.com"], settings.DEFAULT_FROM_EMAIL)
    assert message.alternatives[0][1] == "text/html"
    assert "Hi A," in message.body


@pytest.mark.django_db(transaction=True)
def test_an_email_goes_out_after_commit_only() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        email_send_after_commit(template="welcome", to="no@example.com", context={"name": "N"})
        raise RuntimeError("rolled back")
    with transaction.atomic():
        email_send_after_commit(template="welcome", to="yes@example.com", context={"name": "Y"})
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [["yes@example.com"]]


def test_the_development_backend_prints_and_keeps_a_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backend = ConsoleAndFileBackend(file_path=str(tmp_path))
    message = EmailMessage("Verify", "Open http://x/verify", "from@example.com", ["to@example.com"])
    assert backend.send_messages([message]) == 1
    assert "Open http://x/verify" in capsys.readouterr().out
    (copy,) = tmp_path.iterdir()
    assert "Open http://x/verify" in copy.read_text()
