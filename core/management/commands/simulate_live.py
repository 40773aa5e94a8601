"""Play a tournament's scheduled matches as a host would: over the websocket, match by match.

Each match goes live, takes a provisional result midway, then its final result. Placements
are shuffled with a bias toward stronger teams, kills follow placement — a believable lobby.
With `--finish`, the host then completes the tournament over REST (select-winner: the final
round completes and the champion is crowned), so the room ends with its `winner`.
"""

import asyncio
import json
import os
import random
import time
from typing import Any

import httpx
import websockets
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework_simplejwt.tokens import AccessToken

from core.models import GroupTeam, Match, Tournament


def lobby_result(team_ids: list[int], strength: dict[int, float], rng: random.Random) -> list[dict]:
    """Placements biased by strength; kills higher for teams that lasted longer."""
    order = sorted(team_ids, key=lambda t: -strength[t] * rng.uniform(0.4, 1.6))
    rows = []
    for placement, team in enumerate(order, start=1):
        ceiling = max(1, 14 - placement)
        kills = min(99, int(rng.triangular(0, ceiling, ceiling * 0.35)))
        rows.append({"team": team, "placement": placement, "kills": kills})
    return rows


class Command(BaseCommand):
    help = "Play a live tournament's remaining matches over the websocket, as its host."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("tournament_id", type=int)
        parser.add_argument(
            "--url",
            default=f"ws://localhost:{os.environ.get('PORT', '8000')}",
            help="server websocket base (default %(default)s: localhost on $PORT, else 8000)",
        )
        parser.add_argument("--pause", type=float, default=4.0, help="seconds between steps")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--finish",
            action="store_true",
            help="then crown the winner over REST (POST …/select-winner/) as the host",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tournament = Tournament.objects.filter(pk=options["tournament_id"]).first()
        if tournament is None:
            raise CommandError(f"No tournament {options['tournament_id']}.")
        if tournament.status != Tournament.Status.LIVE:
            raise CommandError(f"{tournament.title} is {tournament.status}, not live.")
        matches = list(
            Match.objects.filter(tournament=tournament)
            .exclude(status__in=[Match.Status.COMPLETED, Match.Status.CANCELLED])
            .order_by("group__round__number", "number", "group__name")
        )
        if not matches:
            raise CommandError("Nothing to play: every match is completed or cancelled.")
        teams_by_group: dict[int, list[int]] = {}
        for group_id, team_id in GroupTeam.objects.filter(
            group_id__in={m.group_id for m in matches}
        ).values_list("group_id", "team_id"):
            teams_by_group.setdefault(group_id, []).append(team_id)
        token = str(AccessToken.for_user(tournament.host))
        plan = [(m.pk, m.number, m.map, teams_by_group.get(m.group_id, [])) for m in matches]
        asyncio.run(self._play(tournament.pk, token, plan, options))
        if options["finish"]:
            self._finish(tournament.pk, token, options["url"])

    def _finish(self, tournament_id: int, token: str, ws_url: str) -> None:
        base = ws_url.rstrip("/").replace("ws://", "http://", 1).replace("wss://", "https://", 1)
        response = httpx.post(
            f"{base}/api/tournaments/{tournament_id}/select-winner/",
            json={},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        body = response.json()
        if response.status_code != 200:
            raise CommandError(f"select-winner: {body.get('message', response.status_code)}")
        self.stdout.write(self.style.SUCCESS(f"tournament completed; winner team {body['winner']}"))

    async def _play(self, tournament_id: int, token: str, plan: list, options: dict) -> None:
        rng = random.Random(options["seed"])  # noqa: S311 - a demo, not cryptography
        pause = options["pause"]
        url = f"{options['url'].rstrip('/')}/ws/tournaments/{tournament_id}/"
        all_teams = {t for *_, teams in plan for t in teams}
        strength = {t: rng.uniform(0.5, 1.5) for t in all_teams}
        async with websockets.connect(
            url, additional_headers={"Authorization": f"Bearer {token}"}, compression=None
        ) as sock:
            snapshot = json.loads(await sock.recv())
            names = team_names(snapshot)
            self.stdout.write(
                f"connected at seq {snapshot.get('seq')}; playing {len(plan)} matches"
            )
            counter = 0

            async def command(frame: dict) -> dict:
                nonlocal counter
                counter += 1
                frame["id"] = f"sim-{int(time.time())}-{counter}"
                await sock.send(json.dumps(frame))
                while True:
                    answer = json.loads(await sock.recv())
                    if answer.get("id") == frame["id"]:
                        if answer["type"] == "error":
                            raise CommandError(f"{frame['type']}: {answer['message']}")
                        return answer

            for match_id, number, map_name, teams in plan:
                await command({"type": "match.status", "match": match_id, "status": "live"})
                self.stdout.write(f"match {number} ({map_name or 'map tbd'}) is live")
                await asyncio.sleep(pause)
                provisional = lobby_result(teams, strength, rng)
                await command({"type": "result.submit", "match": match_id, "results": provisional})
                self.stdout.write(f"match {number}: provisional result")
                await asyncio.sleep(pause)
                final = lobby_result(teams, strength, rng)
                ack = await command(
                    {"type": "result.submit", "match": match_id, "results": final, "final": True}
                )
                winner_id = next(r["team"] for r in final if r["placement"] == 1)
                winner = names.get(winner_id, f"team {winner_id}")
                self.stdout.write(f"match {number}: final (seq {ack['seq']}), won by {winner}")
                where = f" on {map_name}" if map_name else ""
                await command(
                    {
                        "type": "announce",
                        "message": f"Match {number}{where} is final: {winner} won.",
                    }
                )
                await asyncio.sleep(pause)
        self.stdout.write(self.style.SUCCESS("all matches played"))


def team_names(snapshot: dict) -> dict[int, str]:
    """Team id -> name, from the room snapshot's groups."""
    return {
        team["id"]: team["name"]
        for round_ in snapshot.get("rounds", [])
        for group in round_.get("groups", [])
        for team in group.get("teams", [])
    }
