"""Match statistics kept incrementally (docs/scoring.md, "Statistics"): a final result adds its
contribution lines to the running totals; a correction (or a provisional re-submit) first
subtracts the match's old lines. Runs inside the result's transaction, under its match lock."""

from collections import defaultdict

from django.db import transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, Least

from core.models import (
    Match,
    MatchResult,
    MatchStatLine,
    PlayerMatchKills,
    Registration,
    RegistrationPlayer,
    StatTotal,
    Tournament,
)

from .locks import lock_stat_totals

Subject = tuple[int | None, int | None]  # (team_id, None) or (None, user_id)
FIELDS = ("matches", "wins", "kills", "placement_sum", "points")


def _subject(line: MatchStatLine | StatTotal) -> Subject:
    return (None, line.user_id) if line.user_id else (line.team_id, None)


def _delta(line: MatchStatLine, sign: int) -> dict[str, int]:
    return {
        "matches": sign,
        "wins": sign * (line.placement == 1),
        "kills": sign * line.kills,
        "placement_sum": sign * line.placement,
        "points": sign * line.points,
    }


def _tournament_subjects(tournament_id: int, subjects: set[Subject]) -> set[Subject]:
    """Which of `subjects` have a line in the tournament."""
    rows = MatchStatLine.objects.filter(tournament_id=tournament_id).values_list(
        "team_id", "user_id"
    )
    teams = {t for t, _ in subjects if t}
    users = {u for _, u in subjects if u}
    found = set(rows.filter(user__isnull=True, team_id__in=teams)) | set(
        rows.filter(user_id__in=users)
    )
    return {(None, u) if u else (t, None) for t, u in found}


def stats_replace_match(*, match: Match, tournament: Tournament, final: bool) -> None:
    """Replace the match's contribution: subtract its old lines, add the lines of its current
    result when it is final. Totals are locked in a fixed order (no deadlocks), then written in one
    UPDATE."""
    old = list(MatchStatLine.objects.filter(match=match))
    new = _lines(match, tournament) if final else []
    if not old and not new:
        return  # a provisional result replacing a provisional one: no stats either side
    subjects = {_subject(x) for x in old + new}
    totals = _lock_totals(tournament.game_id, subjects)
    before = _tournament_subjects(tournament.pk, subjects)
    MatchStatLine.objects.filter(match=match).delete()
    MatchStatLine.objects.bulk_create(new)
    after = _tournament_subjects(tournament.pk, subjects)
    deltas: dict[Subject, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for sign, lines in ((-1, old), (1, new)):
        for line in lines:
            for name, value in _delta(line, sign).items():
                deltas[_subject(line)][name] += value
    for s in subjects:
        deltas[s]["tournaments"] = (s in after) - (s in before)
    _apply(totals, deltas)


def _order(s: Subject) -> tuple[bool, int, int]:
    """Teams by id, then players by id (the lock order, as PostgreSQL sorts NULL team ids last)."""
    return (s[0] is None, s[0] or 0, s[1] or 0)


def _lock_totals(game_id: int, subjects: set[Subject]) -> dict[Subject, StatTotal]:
    """Create the missing totals, then lock them all (teams, then players, by id): a result of
    another match touching the same totals waits here until this one commits, so it reads this
    one's lines when it counts tournaments."""
    ordered = sorted(subjects, key=_order)
    StatTotal.objects.bulk_create(
        [StatTotal(game_id=game_id, team_id=t, user_id=u) for t, u in ordered],
        ignore_conflicts=True,
    )
    teams = [t for t, _ in ordered if t]
    rows = lock_stat_totals(game_id=game_id, team_ids=teams, user_ids=[u for _, u in ordered if u])
    return {_subject(r): r for r in rows}


def _apply(totals: dict[Subject, StatTotal], deltas: dict[Subject, dict[str, int]]) -> None:
    """The deltas onto the locked rows, written in one UPDATE: the rows are held by this
    transaction since `_lock_totals`, so no other writer's change falls between read and write."""
    changed, names = [], set()
    for subject in sorted(deltas, key=_order):
        moves = {k: v for k, v in deltas[subject].items() if v}
        if moves:
            total = totals[subject]
            for name, value in moves.items():
                setattr(total, name, getattr(total, name) + value)
            changed.append(total)
            names.update(moves)
    if changed:
        StatTotal.objects.bulk_update(changed, sorted(names))


def _total(game_id: int, team_id: int | None, user_id: int | None) -> QuerySet[StatTotal]:
    if user_id:
        return StatTotal.objects.filter(game_id=game_id, user_id=user_id)
    return StatTotal.objects.filter(game_id=game_id, team_id=team_id, user__isnull=True)


def _lines(match: Match, tournament: Tournament) -> list[MatchStatLine]:
    """A team line per result row and a line per player of its confirmed, active roster (kills
    from the per-player lines, 0 when the host gave none)."""
    results = list(MatchResult.objects.filter(match=match))
    kills = {
        (k.result_id, k.user_id): k.kills
        for k in PlayerMatchKills.objects.filter(result__match=match)
    }
    roster: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in RegistrationPlayer.objects.filter(
        tournament=tournament,
        active=True,
        registration__status=Registration.Status.CONFIRMED,
        registration__team_id__in=[r.team_id for r in results],
    ).values_list("registration__team_id", "user_id"):
        roster[team_id].append(user_id)
    base = {
        "match": match,
        "tournament": tournament,
        "game_id": tournament.game_id,
        "version": match.result_version,
        "played_at": match.completed_at or match.updated_at,
    }
    lines = []
    for r in results:
        common = {**base, "team_id": r.team_id, "placement": r.placement, "points": r.total}
        lines.append(MatchStatLine(**common, kills=r.kills))
        for user_id in sorted(roster[r.team_id]):
            lines.append(
                MatchStatLine(**common, user_id=user_id, kills=kills.get((r.pk, user_id), 0))
            )
    return lines


def stats_record_finish(*, tournament: Tournament, places: dict[int, int]) -> None:
    """A completed tournament's places ({team_id: place}) improve best_finish of the teams and
    of their players in it."""
    players: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in RegistrationPlayer.objects.filter(
        tournament=tournament, registration__team_id__in=list(places), active=True
    ).values_list("registration__team_id", "user_id"):
        players[team_id].append(user_id)
    for team_id, place in sorted(places.items()):
        subjects = [(team_id, None)] + [(None, u) for u in sorted(players[team_id])]
        StatTotal.objects.bulk_create(
            [StatTotal(game_id=tournament.game_id, team_id=t, user_id=u) for t, u in subjects],
            ignore_conflicts=True,
        )
        for t, u in subjects:
            _total(tournament.game_id, t, u).update(
                best_finish=Least(Coalesce(F("best_finish"), Value(place)), Value(place))
            )


def stats_rebuild() -> int:
    """Recompute every line and total from the stored results (existing data, repair): the
    final matches' current results, then the completed tournaments' placings. One transaction;
    run it when no results are being entered. Returns the number of matches counted."""
    with transaction.atomic():
        MatchStatLine.objects.all().delete()
        StatTotal.objects.all().delete()
        matches = Match.objects.filter(status=Match.Status.COMPLETED).select_related("tournament")
        count = 0
        for match in matches.order_by("id").iterator():
            stats_replace_match(match=match, tournament=match.tournament, final=True)
            count += 1
        for tournament in Tournament.objects.filter(status=Tournament.Status.COMPLETED):
            places = {p["team"]["id"]: p["place"] for p in tournament.placings}
            if places:
                stats_record_finish(tournament=tournament, places=places)
        return count
