"""What each flow says when it notifies (docs/notifications.md, the kinds table): recipients,
title, body and email context per kind, so the flows stay one line and the wording in one place.
Everything goes through notifications_send, so preferences, grouping and after-commit hold."""

from typing import Any, TypeVar

from core.models import (
    Match,
    Registration,
    RegistrationPlayer,
    TeamInvite,
    TeamJoinRequest,
    Tournament,
    User,
)

from .notifications import notifications_send

T = TypeVar("T")


def registration_people(registration: Registration) -> list[User]:
    """The captain who registered and the players on the team's roster for the tournament."""
    user_ids = RegistrationPlayer.objects.filter(registration=registration).values("user_id")
    players = list(User.objects.filter(pk__in=user_ids, is_active=True))
    return [registration.registered_by, *players]


def tournament_people(tournament: Tournament, *, checked_in: bool | None = None) -> list[User]:
    """Captains and active players of the tournament's confirmed registrations (optionally only
    the teams (not) checked in)."""
    regs = Registration.objects.filter(tournament=tournament, status=Registration.Status.CONFIRMED)
    if checked_in is not None:
        regs = regs.filter(checked_in_at__isnull=not checked_in)
    player_ids = RegistrationPlayer.objects.filter(registration__in=regs, active=True).values(
        "user_id"
    )
    captain_ids = regs.values("registered_by_id")
    return list(
        User.objects.filter(is_active=True).filter(pk__in=player_ids)
        | User.objects.filter(is_active=True, pk__in=captain_ids)
    )


def _tournament_context(t: Tournament, **extra: Any) -> dict[str, Any]:
    return {"tournament": t.title, "tournament_id": t.pk, **extra}


REGISTRATION_TITLES = {
    "registration.confirmed": "{team} is confirmed for {tournament}",
    "registration.waitlisted": "{team} is on the waitlist of {tournament}",
    "registration.rejected": "{team}'s registration for {tournament} was declined",
    "registration.disqualified": "{team} was disqualified from {tournament}",
}


def notify_registration(
    registration: Registration, t: Tournament, kind: str, *, reason: str = ""
) -> None:
    """registration.confirmed / waitlisted / rejected / disqualified: captain and roster."""
    team = registration.team
    notifications_send(
        users=registration_people(registration),
        kind=kind,
        title=REGISTRATION_TITLES[kind].format(team=team.name, tournament=t.title),
        body=reason or f"The tournament starts at {t.starts_at.isoformat()} (UTC).",
        data={"tournament": t.pk, "registration": registration.pk},
        email_context=_tournament_context(
            t,
            team=team.name,
            username=registration.registered_by.username,
            starts_at=t.starts_at.isoformat(),
        ),
    )


def notify_match(
    match: Match, users: list[User], kind: str, title: str, body: str, **kw: Any
) -> None:
    """A match's kinds (starting, rescheduled, cancelled): the group's players."""
    t = match.tournament
    return notifications_send(
        users=users,
        kind=kind,
        title=title,
        body=body,
        data={"tournament": t.pk, "match": match.pk},
        email_context=_tournament_context(t, match_number=match.number, map=match.map),
        **kw,
    )


def notify_announcement(tournament: Tournament, message: str) -> None:
    """tournament.announcement: every registered (confirmed) team's captain and players."""
    notifications_send(
        users=tournament_people(tournament),
        kind="tournament.announcement",
        title=f"{tournament.title}: message from the host",
        body=message,
        data={"tournament": tournament.pk},
        email_context=_tournament_context(tournament),
    )


def team_people(tournament: Tournament, team_id: int) -> list[User]:
    """The captain and active players of one team's confirmed registration."""
    reg = (
        Registration.objects.filter(
            tournament=tournament, team_id=team_id, status=Registration.Status.CONFIRMED
        )
        .select_related("registered_by")
        .first()
    )
    if reg is None:
        return []
    ids = RegistrationPlayer.objects.filter(registration=reg, active=True).values("user_id")
    return [reg.registered_by, *User.objects.filter(pk__in=ids, is_active=True)]


def notify_round_completed(t: Tournament, round_name: str, rows: list[dict[str, Any]]) -> None:
    """round.qualified / round.eliminated: each team of the round's standings, every member."""
    for row in rows:
        team = row["team"]
        kind = "round.qualified" if row["qualified"] else "round.eliminated"
        verb = "qualified from" if row["qualified"] else "is out after"
        notifications_send(
            users=team_people(t, team["id"]),
            kind=kind,
            title=f"{team['name']} {verb} {round_name} of {t.title}",
            body=f"Rank {row['rank']} with {row['total']} points.",
            data={"tournament": t.pk, "team": team["id"]},
            email_context=_tournament_context(t, team=team["name"]),
        )


def notify_winner(t: Tournament, team: dict[str, Any]) -> None:
    """tournament.winner: every confirmed team's captain and players (the winners among them)."""
    notifications_send(
        users=tournament_people(t),
        kind="tournament.winner",
        title=f"{team['name']} won {t.title}",
        body="The tournament is complete: see the final standings.",
        data={"tournament": t.pk, "team": team["id"]},
        email_context=_tournament_context(t, team=team["name"]),
    )


def notify_team_invite(invite: TeamInvite) -> TeamInvite:
    """team.invite: the invited player. Returns the invite (the flow returns it on)."""
    team = invite.team
    notifications_send(
        users=[invite.invited_user],
        kind="team.invite",
        title=f"{invite.invited_by.username} invites you to {team.name}",
        body=f"As {invite.role}: accept or decline it in your invites.",
        data={"team": team.pk, "invite": invite.pk},
        email_context={"team": team.name},
    )
    return invite


def notify_join_decided(request: TeamJoinRequest, result: T) -> T:
    """team.join_decided: the player who asked. Returns `result` (the flow's own answer)."""
    team = request.team
    notifications_send(
        users=[request.user],
        kind="team.join_decided",
        title=f"Your request to join {team.name} was {request.status}",
        data={"team": team.pk, "join_request": request.pk, "status": request.status},
        email_context={"team": team.name},
    )
    return result
