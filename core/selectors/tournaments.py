"""Tournament and registration reads, shaped for the API with a fixed number of queries.

Statuses between publishing and going live follow the clock (tournament_rules.status_from_schedule),
so filters on them are written against the registration window, not the stored value, which the
periodic task may not have caught up with yet.
"""

from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.errors import NotFound, PermissionDenied, ValidationError
from core.models import Registration, RegistrationPlayer, Tournament, User
from core.rules.tournaments import SCHEDULED_STATUSES
from core.selectors.prepared import PreparedValues

Status = Tournament.Status
# A scheduled tournament whose start is this far behind was never started: not "coming up".
ABANDONED_AFTER = timedelta(hours=12)

ORDERINGS = {
    "starts_at",
    "-starts_at",
    "created_at",
    "-created_at",
    "prize_pool",
    "-prize_pool",
    "entry_fee",
    "-entry_fee",
}


def _seats(now: Any) -> Coalesce:
    """The seats held now, as one correlated subquery: a COUNT over a join would group the outer
    query by every column it selects, which costs more to build than the query costs to run.
    A hold past its expiry no longer holds a seat, even before a sweep has marked it expired."""
    held = (
        Registration.objects.filter(tournament=OuterRef("pk"))
        .filter(
            Q(status=Registration.Status.CONFIRMED)
            | Q(status=Registration.Status.PENDING_PAYMENT, hold_expires_at__gt=now)
        )
        .order_by()
        .values("tournament")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(held), 0)


def with_seats(qs: QuerySet[Tournament], now: Any = None) -> QuerySet[Tournament]:
    now = timezone.now() if now is None else now
    return qs.select_related("game", "host").annotate(seats_taken=_seats(now))


def status_q(status: str, now: Any) -> Q:
    """Rows whose status, as the clock has it now, is `status`."""
    scheduled = Q(status__in=SCHEDULED_STATUSES)
    if status == Status.PUBLISHED:
        return scheduled & Q(registration_opens_at__gt=now)
    if status == Status.REGISTRATION_OPEN:
        return scheduled & Q(registration_opens_at__lte=now, registration_closes_at__gt=now)
    if status == Status.REGISTRATION_CLOSED:
        return scheduled & Q(registration_closes_at__lte=now)
    return Q(status=status)


def _visible_to(viewer: User | None) -> Q:
    """Lists show public, published-or-later tournaments staff have not hidden; a host also
    sees all of their own."""
    listed = (
        Q(visibility=Tournament.Visibility.PUBLIC)
        & ~Q(status=Status.DRAFT)
        & Q(hidden_at__isnull=True)
    )
    if viewer is not None and viewer.is_authenticated:
        return listed | Q(host=viewer)
    return listed


def tournament_list(
    *, viewer: User | None, filters: dict[str, str], kind: str | None = None
) -> QuerySet[Tournament]:
    """?game=<slug|id>&status=&kind=&host=<username|id>&search=&ordering=; plans first."""
    now = timezone.now()
    qs = Tournament.objects.filter(_visible_to(viewer))
    kind = kind or filters.get("kind") or None
    if kind:
        if kind not in Tournament.Kind.values:
            raise ValidationError(
                "Unknown kind.", details={"kind": [f"One of {Tournament.Kind.values}."]}
            )
        qs = qs.filter(kind=kind)
    if game := filters.get("game"):
        qs = qs.filter(game_id=int(game)) if game.isdigit() else qs.filter(game__slug=game)
    if status := filters.get("status"):
        if status not in Status.values:
            raise ValidationError(
                "Unknown status.", details={"status": [f"One of {Status.values}."]}
            )
        qs = qs.filter(status_q(status, now))
    if host := filters.get("host"):
        qs = (
            qs.filter(host_id=int(host))
            if host.isdigit()
            else qs.filter(host__username__iexact=host)
        )
    if search := filters.get("search", "").strip():
        qs = qs.filter(
            Q(title__icontains=search)
            | Q(game__name__icontains=search)
            | Q(host__username__icontains=search)
        )
    ordering = filters.get("ordering") or "starts_at"
    if ordering not in ORDERINGS:
        raise ValidationError(
            "Unknown ordering.", details={"ordering": [f"One of {sorted(ORDERINGS)}."]}
        )
    # Paid placement always leads; the chosen ordering sorts within each plan.
    return with_seats(qs).order_by("-plan_rank", ordering, "id")


def tournaments_for_landing(*, limit: int = 12) -> dict[str, list[Tournament]]:
    """The front page's lists of public tournaments: live now, coming up (published, in or
    before registration), just finished. Three queries."""
    public = Tournament.objects.filter(
        visibility=Tournament.Visibility.PUBLIC, hidden_at__isnull=True
    ).select_related("game")
    now = timezone.now()
    return {
        "live": list(public.filter(status=Status.LIVE).order_by("-plan_rank", "starts_at")[:limit]),
        "upcoming": list(
            public.filter(status__in=SCHEDULED_STATUSES)
            .filter(starts_at__gt=now - ABANDONED_AFTER)
            .order_by("-plan_rank", "starts_at")[:limit]
        ),
        "finished": list(
            public.filter(status=Status.COMPLETED).order_by("-updated_at", "-id")[:limit]
        ),
    }


def tournament_get(*, viewer: User | None, pk: int, kind: str | None = None) -> Tournament:
    """One tournament by id (unlisted and private ones too: their link is their address);
    a draft exists only for its host, one staff hid only for its host and staff."""
    qs = with_seats(Tournament.objects.filter(pk=pk))
    if kind:
        qs = qs.filter(kind=kind)
    tournament = qs.first()
    if tournament is None or not _exists_for(viewer, tournament):
        raise NotFound("No such tournament.")
    return tournament


def tournament_visible_to(
    viewer: User | None, *, status: str, hidden: bool, host_id: int | None
) -> bool:
    """A draft exists only for its host; one staff hid, for its host and staff too."""
    if status != Status.DRAFT and not hidden:
        return True
    if viewer is None or not viewer.is_authenticated:
        return False
    return host_id == viewer.pk or (viewer.is_staff and status != Status.DRAFT)


def _exists_for(viewer: User | None, tournament: Tournament) -> bool:
    return tournament_visible_to(
        viewer,
        status=tournament.status,
        hidden=tournament.hidden_at is not None,
        host_id=tournament.host_id,
    )


PRIVATE_MESSAGE = (
    "This tournament is private: only its host, staff and registered players see its rounds, "
    "matches, standings, announcements and registrations."
)


def may_see_private(viewer: Any, *, tournament_id: int, host_id: int) -> bool:
    """A private tournament's competition (its live room, pages and REST reads) is for its host,
    staff and the players of its seat-holding registrations."""
    if viewer is None or not viewer.is_authenticated:
        return False
    if viewer.is_staff or viewer.pk == host_id:
        return True
    return RegistrationPlayer.objects.filter(
        registration__status__in=Registration.SEAT_HOLDING,
        tournament_id=tournament_id,
        user_id=viewer.pk,
    ).exists()


def tournament_competition_get(*, viewer: User | None, pk: int) -> Tournament:
    """The tournament whose rounds, matches, standings, announcements or registrations are read."""
    tournament = tournament_get(viewer=viewer, pk=pk)
    check_competition_visible(viewer, tournament)
    return tournament


def tournament_competition_brief(*, viewer: User | None, pk: int) -> Tournament:
    """`tournament_competition_get` for a read that needs only who may see the tournament (its
    standings): the row's five deciding columns, no seat count, no joins, and a query compiled
    once (core/selectors/prepared.py). The instance carries those five columns only."""
    rows = _BRIEF.rows(pk=pk)
    found = Tournament(**rows[0]) if rows else None
    if found is None or not _exists_for(viewer, found):
        raise NotFound("No such tournament.")
    check_competition_visible(viewer, found)
    return found


_DECIDING = ("id", "status", "visibility", "host_id", "hidden_at")
_BRIEF = PreparedValues(
    lambda pk: Tournament.objects.filter(pk=pk).values(*_DECIDING)[:1],
    pk="int",
)


def check_competition_visible(viewer: User | None, tournament: Tournament) -> None:
    """A tournament's detail stays open to whoever has its id (the link a host shares to invite
    teams); what happens inside a private one is for the people in it, as in its live room."""
    if tournament.visibility == Tournament.Visibility.PRIVATE and not may_see_private(
        viewer, tournament_id=tournament.pk, host_id=tournament.host_id
    ):
        raise PermissionDenied(PRIVATE_MESSAGE)


def _waitlist_ahead() -> Coalesce:
    """How many waitlisted teams of the same tournament joined before this one (one subquery,
    whatever the list's length)."""
    ahead = (
        Registration.objects.filter(
            tournament=OuterRef("tournament"), status=Registration.Status.WAITLISTED
        )
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("tournament")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(ahead), 0)


def _registration_qs() -> QuerySet[Registration]:
    return (
        Registration.objects.select_related("team", "registered_by")
        .annotate(waitlist_ahead=_waitlist_ahead())
        .prefetch_related(
            Prefetch(
                "players",
                queryset=RegistrationPlayer.objects.select_related("user").order_by(
                    "is_substitute", "id"
                ),
            )
        )
        .order_by("created_at", "id")
    )


def registration_list(*, viewer: User | None, tournament: Tournament) -> QuerySet[Registration]:
    """The host sees every registration; everyone else the confirmed ones."""
    qs = _registration_qs().filter(tournament=tournament)
    if viewer is None or not viewer.is_authenticated or viewer.pk != tournament.host_id:
        qs = qs.filter(status=Registration.Status.CONFIRMED)
    return qs


def registrations_of_user(*, user: User) -> QuerySet[Registration]:
    """ "My registrations": those the user made or plays on, newest first."""
    on_roster = RegistrationPlayer.objects.filter(registration=OuterRef("pk"), user=user)
    return (
        _registration_qs()
        .select_related("tournament", "tournament__game")
        .filter(Q(registered_by=user) | Exists(on_roster))
        .order_by("-created_at", "-id")
    )


def registration_detail(*, pk: int) -> Registration:
    return _registration_qs().get(pk=pk)
