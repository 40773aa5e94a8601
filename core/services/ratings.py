"""Host ratings: after a tournament completes, each player who played in it (on a confirmed
roster) may rate its host once, 1..5 with an optional comment, and change it for 7 days; the
host cannot rate themself. Anyone signed in may report a rating to staff (the Django admin),
who can hide it: a hidden rating is neither shown nor counted."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import (
    HostRating,
    HostRatingReport,
    Registration,
    RegistrationPlayer,
    Tournament,
    User,
)

EDIT_WINDOW = timedelta(days=7)
MAX_COMMENT = 1000
MAX_REASON = 500


class AlreadyRated(Conflict):
    code = "already_rated"


class RatingClosed(Conflict):
    code = "invalid_status"


def _score(score: int) -> int:
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError("score: 1 to 5.", details={"score": ["A whole number from 1 to 5."]})
    return score


def _comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            f"comment: at most {MAX_COMMENT} characters.",
            details={"comment": [f"At most {MAX_COMMENT} characters."]},
        )
    return comment


def _played(actor: User, tournament: Tournament) -> bool:
    return RegistrationPlayer.objects.filter(
        tournament=tournament, user=actor, registration__status=Registration.Status.CONFIRMED
    ).exists()


def host_rating_create(
    *, actor: User, tournament_id: int, score: int, comment: str = ""
) -> HostRating:
    score, comment = _score(score), _comment(comment)
    tournament = Tournament.objects.filter(pk=tournament_id).first()
    if tournament is None or tournament.status == Tournament.Status.DRAFT:
        raise NotFound("No such tournament.")
    if tournament.host_id == actor.pk:
        raise PermissionDenied("A host cannot rate themself.")
    if tournament.status != Tournament.Status.COMPLETED:
        raise RatingClosed("A host is rated once the tournament has completed.")
    if not _played(actor, tournament):
        raise PermissionDenied("Only the players who played in the tournament rate its host.")
    try:
        with transaction.atomic():
            return HostRating.objects.create(
                tournament=tournament,
                host_id=tournament.host_id,
                rater=actor,
                score=score,
                comment=comment,
            )
    except IntegrityError:
        raise AlreadyRated("You have rated this tournament's host already: edit it.") from None


def host_rating_update(
    *,
    actor: User,
    rating_id: int,
    score: int | None = None,
    comment: str | None = None,
    now: datetime | None = None,
) -> HostRating:
    """The rater changes score and/or comment within 7 days of rating."""
    rating = HostRating.objects.filter(pk=rating_id, rater=actor).first()
    if rating is None:
        raise NotFound("No such rating of yours.")
    if (now or timezone.now()) > rating.created_at + EDIT_WINDOW:
        raise RatingClosed("A rating can be changed for 7 days after it was given.")
    fields = []
    if score is not None:
        rating.score, fields = _score(score), [*fields, "score"]
    if comment is not None:
        rating.comment, fields = _comment(comment), [*fields, "comment"]
    if fields:
        rating.save(update_fields=[*fields, "updated_at"])
    return rating


def host_rating_report(*, actor: User, rating_id: int, reason: str) -> HostRatingReport:
    """A report for staff; reporting the same rating again answers the first report."""
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValidationError(
            f"reason: 1..{MAX_REASON} characters.",
            details={"reason": [f"1..{MAX_REASON} characters."]},
        )
    rating = HostRating.objects.filter(pk=rating_id, hidden=False).first()
    if rating is None:
        raise NotFound("No such rating.")
    report, _ = HostRatingReport.objects.get_or_create(
        rating=rating, reporter=actor, defaults={"reason": reason}
    )
    return report


def host_rating_hide(*, rating_ids: list[int], hidden: bool = True) -> int:
    """Staff (admin action): hide or show ratings again; their reports are resolved."""
    with transaction.atomic():
        changed = HostRating.objects.filter(pk__in=rating_ids).update(hidden=hidden)
        HostRatingReport.objects.filter(rating_id__in=rating_ids).update(resolved=True)
    return changed
