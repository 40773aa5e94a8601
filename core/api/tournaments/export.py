"""The host's CSV of a tournament's registrations."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.text import slugify

from core.models import Registration, Tournament

HEADER = ["team", "tag", "captain", "players", "status", "paid"]


def _cell(value: str) -> str:
    # Spreadsheets run cells starting with these as formulas; a team name must stay text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _players(registration: Registration) -> str:
    return "; ".join(
        f"{p.in_game_name} ({p.in_game_id}){' [sub]' if p.is_substitute else ''}"
        for p in registration.players.all()
    )


def registrations_csv_response(
    tournament: Tournament, registrations: Iterable[Registration]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(tournament.title) or f"tournament-{tournament.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}-registrations.csv"'
    writer = csv.writer(response)
    writer.writerow(HEADER)
    for r in registrations:
        writer.writerow(
            [
                _cell(r.team.name),
                _cell(r.team.tag),
                _cell(r.registered_by.username),
                _cell(_players(r)),
                r.status,
                "yes" if r.is_paid else "no",
            ]
        )
    return response
