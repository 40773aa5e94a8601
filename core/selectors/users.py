"""Reads for accounts: public profiles, the staff user list and the staff dashboard numbers."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from core.errors import NotFound
from core.models import (
    HostProfile,
    PlayerGameProfile,
    Registration,
    RegistrationPlayer,
    TeamMembership,
    Tournament,
    User,
)

from .ratings import host_rating_summary
from .stats import player_game_rows

# Tournaments that count on a public host profile (drafts and cancelled ones do not).
_SHOWN_STATUSES = [
    s
    for s in Tournament.Status.values
    if s not in (Tournament.Status.DRAFT, Tournament.Status.CANCELLED)
]


def own_profile(*, user: User) -> User:
    """The signed-in user with what the profile page shows, in three queries."""
    return (
        User.objects.select_related("host_profile")
        .prefetch_related(
            Prefetch(
                "game_profiles",
                queryset=PlayerGameProfile.objects.select_related("game").order_by("game__name"),
            )
        )
        .get(pk=user.pk)
    )


def player_public_profile(*, user_id: int) -> dict[str, Any]:
    """A player's public page: identity, in-game names, teams and career numbers."""
    user = (
        User.objects.filter(pk=user_id, is_active=True, hidden_at__isnull=True)
        .prefetch_related(
            Prefetch(
                "game_profiles",
                queryset=PlayerGameProfile.objects.select_related("game").order_by("game__name"),
            ),
            Prefetch(
                "team_memberships",
                queryset=TeamMembership.objects.select_related("team__game").order_by("team__name"),
            ),
        )
        .first()
    )
    if user is None:
        raise NotFound("No such player.")
    rosters = RegistrationPlayer.objects.filter(
        user=user, registration__status=Registration.Status.CONFIRMED
    )
    stats = {
        "tournaments_played": rosters.values("tournament").distinct().count(),
        "teams": len(user.team_memberships.all()),
        "games": player_game_rows(user_id=user.pk),
    }
    return {"user": user, "stats": stats}


def host_public_profile(*, user_id: int) -> dict[str, Any]:
    """A host's public page: identity, organisation, verification state and events hosted."""
    user = (
        User.objects.filter(pk=user_id, is_active=True, hidden_at__isnull=True, role=User.Role.HOST)
        .select_related("host_profile")
        .first()
    )
    if user is None:
        raise NotFound("No such host.")
    counts = Tournament.objects.filter(host=user, status__in=_SHOWN_STATUSES).aggregate(
        hosted=Count("id"),
        completed=Count("id", filter=Q(status=Tournament.Status.COMPLETED)),
        live=Count("id", filter=Q(status=Tournament.Status.LIVE)),
    )
    stats = {
        "tournaments_hosted": counts["hosted"],
        "tournaments_completed": counts["completed"],
        "tournaments_live": counts["live"],
    }
    return {
        "user": user,
        "profile": getattr(user, "host_profile", None),
        "stats": stats,
        "rating": host_rating_summary(host_id=user.pk),
    }


def staff_user_list(
    *,
    search: str = "",
    role: str = "",
    is_active: bool | None = None,
    email_verified: bool | None = None,
    host_status: str = "",
) -> QuerySet[User]:
    qs = User.objects.select_related("host_profile").order_by("-date_joined", "-id")
    if search:
        qs = qs.filter(
            Q(username__icontains=search)
            | Q(email__icontains=search)
            | Q(display_name__icontains=search)
        )
    if role == "staff":
        qs = qs.filter(is_staff=True)
    elif role:
        qs = qs.filter(role=role)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    if email_verified is not None:
        qs = qs.filter(email_verified_at__isnull=not email_verified)
    if host_status:
        qs = qs.filter(host_profile__status=host_status)
    return qs


def _by(qs: QuerySet, field: str, choices: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(choices, 0)
    for row in qs.values(field).annotate(n=Count("id")):
        counts[row[field]] = row["n"]
    return counts


def staff_stats() -> dict[str, Any]:
    """Dashboard numbers: a handful of aggregate queries, whatever the size of the site."""
    users = User.objects.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(is_active=True)),
        suspended=Count("id", filter=Q(is_active=False)),
        email_verified=Count("id", filter=Q(email_verified_at__isnull=False)),
        staff=Count("id", filter=Q(is_staff=True)),
    )
    hosts = _by(HostProfile.objects.all(), "status", HostProfile.Status.values)
    return {
        "users": {**users, "by_role": _by(User.objects.all(), "role", User.Role.values)},
        "hosts": {
            "by_status": hosts,
            # Awaiting a staff decision: details submitted, not yet approved or rejected.
            "pending_review": hosts[HostProfile.Status.SUBMITTED],
        },
        "tournaments": {
            "by_status": _by(Tournament.objects.all(), "status", Tournament.Status.values),
            "by_kind": _by(Tournament.objects.all(), "kind", Tournament.Kind.values),
        },
        "registrations": {
            "by_status": _by(Registration.objects.all(), "status", Registration.Status.values),
        },
    }


def host_document_name(*, actor: User, user_id: int) -> str:
    """The stored name of a host's identity document, for the host themselves or staff only.
    Anyone else, like a host with no document, gets NotFound: the answer tells nothing."""
    if not (actor.is_staff or actor.pk == user_id):
        raise NotFound("No such document.")
    # By the user's own primary key: an id past the column's range is simply not found.
    documents = User.objects.filter(pk=user_id).values_list("host_profile__document", flat=True)
    name = documents.first()
    if not name:
        raise NotFound("No such document.")
    return name
