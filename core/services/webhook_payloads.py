"""What each endpoint receives for a committed event (docs/webhooks.md, "Payloads").

A generic endpoint gets one envelope per event it subscribed to: `{id, type, created_at,
tournament {id, title}, data}`, `data` being the event's own data as the live room has it. A
Discord endpoint gets Discord's webhook JSON (core/rules/discord.py): after each final result one
message with the round's top 10, the winner, announcements and registrations; provisional
results are not posted (a channel is not a live feed).
"""

from dataclasses import dataclass
from typing import Any

from core.models import Match, Team, Tournament, WebhookEndpoint
from core.rules import discord


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One event as webhooks see it: a logged one (`evt_<tournament>_<seq>`) or a registration
    change (`reg_…`)."""

    id: str
    type: str
    at: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outgoing:
    event_id: str
    event_type: str
    payload: dict[str, Any]


def generic_payload(tournament: Tournament, event: WebhookEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type,
        "created_at": event.at,
        "tournament": {"id": tournament.pk, "title": tournament.title},
        "data": event.data,
    }


def final_matches(events: list[WebhookEvent]) -> dict[int, Match]:
    """The matches whose result in `events` is final: completed at that very result version."""
    versions = {e.data["match"]: e.data["version"] for e in events if e.type == "match.result"}
    if not versions:
        return {}
    matches = Match.objects.filter(pk__in=versions, status=Match.Status.COMPLETED)
    return {
        m.pk: m
        for m in matches.select_related("group__round")
        if m.result_version == versions[m.pk]
    }


def _round_rows(event: WebhookEvent, round_id: int) -> list[dict[str, Any]]:
    """The round's rows of a v2 `match.result` (which names teams by id), with each team's
    name and tag put back for the message (one query)."""
    data = event.data
    key = f"round:{round_id}"
    key = (data.get("scopes") or {}).get(key, key)
    rows = (data.get("standings") or {}).get(key) or []
    names = {
        pk: {"id": pk, "name": name, "tag": tag}
        for pk, name, tag in Team.objects.filter(pk__in=[r["team"] for r in rows]).values_list(
            "id", "name", "tag"
        )
    }
    return [{**row, "team": names.get(row["team"], {"id": row["team"]})} for row in rows]


def discord_messages(
    tournament: Tournament,
    events: list[WebhookEvent],
    subscribed: set[str],
    finals: dict[int, Match],
) -> list[Outgoing]:
    title, out = tournament.title, []
    for event in events:
        body = None
        if event.type == "match.result" and subscribed & {"match.result", "standings"}:
            match = finals.get(event.data["match"])
            if match is not None:
                label = f"match {match.number} ({match.group.round.name}, group {match.group.name})"
                rows = _round_rows(event, match.group.round_id)
                body = discord.standings_message(title, label, rows)
        elif event.type == "winner" and "winner" in subscribed:
            body = discord.winner_message(title, event.data)
        elif event.type == "announcement" and "announcement" in subscribed:
            body = discord.announcement_message(title, str(event.data.get("message", "")))
        elif event.type == "registration" and "registration" in subscribed:
            team = event.data.get("team") or {}
            body = discord.text_message(
                f"**{title}**: {team.get('name', '?')} — registration {event.data.get('status')}"
            )
        if body is not None:
            out.append(Outgoing(event.id, event.type, body))
    return out


def outgoing_for(
    endpoint: WebhookEndpoint,
    tournament: Tournament,
    events: list[WebhookEvent],
    finals: dict[int, Match],
) -> list[Outgoing]:
    subscribed = set(endpoint.events)
    if endpoint.kind == WebhookEndpoint.Kind.DISCORD:
        return discord_messages(tournament, events, subscribed, finals)
    if "standings" in subscribed:  # standings travel inside match.result (protocol v2)
        subscribed.add("match.result")
    return [
        Outgoing(e.id, e.type, generic_payload(tournament, e))
        for e in events
        if e.type in subscribed
    ]


def ping_payload(endpoint: WebhookEndpoint, event_id: str, at: str) -> dict[str, Any]:
    if endpoint.kind == WebhookEndpoint.Kind.DISCORD:
        return discord.text_message("Scrimverse test ping: this channel receives your webhooks.")
    return {"id": event_id, "type": "ping", "created_at": at, "tournament": None, "data": {}}
