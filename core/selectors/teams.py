"""Team reads shaped for the API: every list and detail is a fixed number of queries."""

from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from core.errors import NotFound, PermissionDenied
from core.models import (
    PlayerGameProfile,
    Registration,
    Team,
    TeamInvite,
    TeamJoinRequest,
    TeamMembership,
    Tournament,
    User,
)

from .stats import team_game_rows

# Tournaments in these states are over: a registration in them no longer ties the team down.
FINISHED_TOURNAMENT_STATUSES = (Tournament.Status.COMPLETED, Tournament.Status.CANCELLED)


def _live_registrations(team_ref: Any) -> QuerySet[Registration]:
    # `team_ref`: a Team, its id, or OuterRef("pk") inside an annotation.
    return Registration.objects.filter(
        team=team_ref,
        status__in=Registration.SEAT_HOLDING,
        tournament__status=Tournament.Status.LIVE,
    )


def team_is_locked(team: Team | int) -> bool:
    """True while the team holds a seat in a live tournament: its roster must not change then
    (the host is entering results for the players on it)."""
    return _live_registrations(team).exists()


def team_has_active_registration(team: Team | int) -> bool:
    """A seat-holding registration in a tournament that is not over (blocks deleting the team)."""
    return (
        Registration.objects.filter(team=team, status__in=Registration.SEAT_HOLDING)
        .exclude(tournament__status__in=FINISHED_TOURNAMENT_STATUSES)
        .exists()
    )


def active_teams() -> QuerySet[Team]:
    return Team.objects.filter(disbanded_at__isnull=True)


def team_get(*, team_id: int) -> Team:
    """The team for a write (services lock it again); disbanded teams are gone for the API."""
    team = active_teams().select_related("game").filter(pk=team_id).first()
    if team is None:
        raise NotFound("Team not found.")
    return team


def team_role_of(*, team: Team, user: User) -> str | None:
    if not user.is_authenticated:
        return None
    return (
        TeamMembership.objects.filter(team=team, user=user).values_list("role", flat=True).first()
    )


def team_require_captain(*, team: Team, user: User) -> None:
    if team_role_of(team=team, user=user) != TeamMembership.Role.CAPTAIN:
        raise PermissionDenied("Only the team captain can do this.")


def team_list(
    *, search: str = "", game_slug: str = "", member: User | None = None
) -> QuerySet[Team]:
    """One query per page (plus the paginator's count): game joined, captain and member count
    annotated."""
    captain = TeamMembership.objects.filter(team=OuterRef("pk"), role=TeamMembership.Role.CAPTAIN)
    qs = (
        active_teams()
        .filter(hidden_at__isnull=True)
        .select_related("game")
        .annotate(
            member_count=Count("memberships", distinct=True),
            captain_id=Subquery(captain.values("user_id")[:1]),
            captain_username=Subquery(captain.values("user__username")[:1]),
        )
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(tag__icontains=search))
    if game_slug:
        qs = qs.filter(game__slug=game_slug)
    if member is not None:
        # A subquery, not a join, so the member count above still counts the whole roster.
        qs = qs.filter(pk__in=TeamMembership.objects.filter(user=member).values("team_id"))
    return qs.order_by("name", "id")


def _roster_queryset() -> QuerySet[TeamMembership]:
    in_game_name = PlayerGameProfile.objects.filter(
        user=OuterRef("user_id"), game=OuterRef("team__game_id")
    ).values("in_game_name")[:1]
    return (
        TeamMembership.objects.select_related("user")
        .annotate(
            in_game_name=Subquery(in_game_name),
            role_order=Case(
                When(role=TeamMembership.Role.CAPTAIN, then=Value(0)),
                When(role=TeamMembership.Role.MEMBER, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("role_order", "joined_at", "id")
    )


def team_detail(*, team_id: int) -> Team:
    """The public team page in three queries: the team (with game and the live-lock flag), the
    roster with users and each player's in-game name for the team's game, and its match
    statistics (running totals: no scan of its matches)."""
    team = (
        active_teams()
        .filter(hidden_at__isnull=True)
        .select_related("game")
        .annotate(is_locked=Exists(_live_registrations(OuterRef("pk"))))
        .prefetch_related(Prefetch("memberships", queryset=_roster_queryset()))
        .filter(pk=team_id)
        .first()
    )
    if team is None:
        raise NotFound("Team not found.")
    team.stats = {"games": team_game_rows(team_id=team.pk)}
    return team


def team_join_requests(*, team: Team, status: str = "pending") -> QuerySet[TeamJoinRequest]:
    qs = TeamJoinRequest.objects.filter(team=team).select_related("user", "team__game")
    if status != "all":
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def team_join_request_get(*, team: Team, request_id: int) -> TeamJoinRequest:
    # Scoped to the team in the URL: another team's request id is simply not found.
    join_request = (
        TeamJoinRequest.objects.select_related("user", "team__game").filter(
            pk=request_id, team=team
        )
    ).first()
    if join_request is None:
        raise NotFound("Join request not found.")
    return join_request


def team_invites(*, team: Team, status: str = "pending") -> QuerySet[TeamInvite]:
    qs = TeamInvite.objects.filter(team=team).select_related(
        "team__game", "invited_user", "invited_by"
    )
    if status != "all":
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def invites_for_user(*, user: User, status: str = "pending") -> QuerySet[TeamInvite]:
    qs = TeamInvite.objects.filter(
        invited_user=user, team__disbanded_at__isnull=True
    ).select_related("team__game", "invited_user", "invited_by")
    if status != "all":
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def invite_get_for_user(*, user: User, invite_id: int) -> TeamInvite:
    # Another player's invite is reported as missing, never as forbidden: ids reveal nothing.
    invite = invites_for_user(user=user, status="all").filter(pk=invite_id).first()
    if invite is None:
        raise NotFound("Invite not found.")
    return invite


def user_find_for_invite(*, username: str = "", email: str = "") -> User:
    qs = User.objects.filter(is_active=True)
    if username:
        qs = qs.filter(username__iexact=username)
    elif email:
        qs = qs.filter(email__iexact=email)
    else:
        raise NotFound("No player given.")
    user = qs.first()
    if user is None:
        raise NotFound("No player with that username or email.")
    return user
