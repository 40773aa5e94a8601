"""A host's webhook endpoints: register, change, remove, re-enable (docs/webhooks.md).

A URL is http(s) with a host name and no credentials; unless WEBHOOK_ALLOW_PRIVATE_HOSTS is on
it may not name (nor, when delivered, resolve to) a loopback, private, link-local, multicast or
reserved address, so a webhook cannot reach into the server's own network.
"""

import ipaddress
import secrets
import socket
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import Tournament, User, WebhookEndpoint

from .locks import lock_user

MAX_URL = 500
_LOCAL_NAMES = ("localhost", "localhost.localdomain")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(f"{field}: {message}", details={field: [message]})


def _public_ip(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def webhook_url_check(url: str) -> str:
    """The URL as stored, or 400: http(s), a host, no user:password, public unless allowed."""
    url = (url or "").strip()
    if not url or len(url) > MAX_URL:
        raise _invalid("url", f"A URL of 1..{MAX_URL} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _invalid("url", "Not a valid URL.") from None
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise _invalid("url", "Must be an http:// or https:// URL with a host.")
    if parts.username is not None or parts.password is not None:
        raise _invalid("url", "Must not carry a user name or password.")
    if port == 0 or any(c.isspace() for c in url):
        raise _invalid("url", "Not a valid URL.")
    if settings.WEBHOOK_ALLOW_PRIVATE_HOSTS:
        return url
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None and not _public_ip(str(literal)):
        raise _invalid("url", "Must be a public address.")
    if host in _LOCAL_NAMES or host.endswith(_LOCAL_SUFFIXES) or "." not in host:
        raise _invalid("url", "Must be a public host name.")
    return url


def webhook_url_resolves_public(url: str) -> str | None:
    """At delivery: None when the URL's host resolves only to public addresses (or private ones
    are allowed), else why not."""
    return webhook_url_pin(url)[1]


def webhook_url_pin(url: str) -> tuple[str | None, str | None]:
    """At delivery: resolve the URL's host once and check every address; returns (the address
    to connect to, None), or (None, why not). The caller connects to that very address, so a
    DNS answer that changes after the check (rebinding) cannot redirect the request. With
    private hosts allowed: (None, None), the client resolves as usual."""
    if settings.WEBHOOK_ALLOW_PRIVATE_HOSTS:
        return None, None
    parts = urlsplit(url)
    default_port = 443 if parts.scheme == "https" else 80
    try:
        infos = socket.getaddrinfo(
            parts.hostname, parts.port or default_port, type=socket.SOCK_STREAM
        )
    except (OSError, UnicodeError) as exc:
        return None, f"cannot resolve host: {exc}"
    if not infos or not all(_public_ip(info[4][0]) for info in infos):
        return None, "host resolves to a non-public address"
    return infos[0][4][0], None


def _events(events: Any) -> list[str]:
    if not isinstance(events, list) or not events:
        raise _invalid("events", f"A non-empty list of: {', '.join(WebhookEndpoint.EVENTS)}.")
    unknown = [e for e in events if e not in WebhookEndpoint.EVENTS]
    if unknown:
        raise _invalid("events", f"Unknown events: {', '.join(map(str, unknown))}.")
    return [e for e in WebhookEndpoint.EVENTS if e in events]


def _own_tournament(actor: User, tournament_id: int | None) -> Tournament | None:
    if tournament_id is None:
        return None
    tournament = Tournament.objects.filter(pk=tournament_id, host=actor).first()
    if tournament is None:
        raise _invalid("tournament", "Not one of your tournaments.")
    return tournament


def _require_host(actor: User) -> None:
    if not actor.is_host:
        raise PermissionDenied("Only host accounts have webhooks.")


def webhook_endpoint_create(
    *,
    actor: User,
    url: str,
    events: list[str],
    kind: str = WebhookEndpoint.Kind.GENERIC,
    tournament_id: int | None = None,
    description: str = "",
) -> WebhookEndpoint:
    """Register an endpoint; its signing secret is generated here (shown to its owner)."""
    _require_host(actor)
    if kind not in WebhookEndpoint.Kind.values:
        raise _invalid("kind", f"One of: {', '.join(WebhookEndpoint.Kind.values)}.")
    url, events = webhook_url_check(url), _events(events)
    with transaction.atomic():
        lock_user(actor.pk)  # counts and creates one at a time per host
        if WebhookEndpoint.objects.filter(owner=actor).count() >= settings.WEBHOOK_MAX_ENDPOINTS:
            raise Conflict(f"At most {settings.WEBHOOK_MAX_ENDPOINTS} endpoints per host.")
        return WebhookEndpoint.objects.create(
            owner=actor,
            tournament=_own_tournament(actor, tournament_id),
            url=url,
            kind=kind,
            events=events,
            description=description.strip()[:200],
            secret="whsec_" + secrets.token_urlsafe(32),
        )


def webhook_endpoint_get(*, actor: User, endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, owner=actor).first()
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


def webhook_endpoint_update(
    *, actor: User, endpoint_id: int, changes: dict[str, Any]
) -> WebhookEndpoint:
    """Change url, events, description or enabled; enabling again clears the failure count."""
    endpoint = webhook_endpoint_get(actor=actor, endpoint_id=endpoint_id)
    fields = []
    if "url" in changes:
        endpoint.url, fields = webhook_url_check(changes["url"]), [*fields, "url"]
    if "events" in changes:
        endpoint.events, fields = _events(changes["events"]), [*fields, "events"]
    if "description" in changes:
        endpoint.description = str(changes["description"]).strip()[:200]
        fields.append("description")
    if "enabled" in changes:
        endpoint.enabled = bool(changes["enabled"])
        fields.append("enabled")
        if endpoint.enabled:
            endpoint.consecutive_failures, endpoint.failing_since = 0, None
            endpoint.disabled_reason, endpoint.paused_until = "", None
            fields += ["consecutive_failures", "failing_since", "disabled_reason", "paused_until"]
    if fields:
        endpoint.save(update_fields=[*fields, "updated_at"])
    return endpoint


def webhook_endpoint_rotate_secret(*, actor: User, endpoint_id: int) -> WebhookEndpoint:
    endpoint = webhook_endpoint_get(actor=actor, endpoint_id=endpoint_id)
    endpoint.secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint


def webhook_endpoint_delete(*, actor: User, endpoint_id: int) -> None:
    webhook_endpoint_get(actor=actor, endpoint_id=endpoint_id).delete()
