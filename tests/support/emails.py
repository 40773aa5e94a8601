"""Reading the emails a test made Django send (django.core.mail.outbox)."""

import re
from urllib.parse import parse_qs, urlparse

from django.core import mail


def sent_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def link_in(message: mail.EmailMultiAlternatives) -> str:
    """The first http(s) link in the plain-text body; it must also be in the HTML part."""
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    link = match.group(0)
    html = message.alternatives[0][0]
    assert link.replace("&", "&amp;") in html or link in html
    return link


def query_of(link: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(link).query).items()}
