"""One user with a row of every kind that refers to them, each personal value carrying MARK
(account deletion and export tests)."""

import dataclasses
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from social_django.models import UserSocialAuth

from billing.models import Payment
from core.models import (
    HostProfile,
    HostRating,
    HostRatingReport,
    IdempotencyRecord,
    Notification,
    NotificationEmailWindow,
    NotificationPreference,
    PlayerGameProfile,
    RegistrationPlayer,
    Report,
    SentEmail,
    Team,
    TeamInvite,
    TeamJoinRequest,
    TeamMembership,
    Tournament,
    User,
    WebhookEndpoint,
)
from core.services.competition import group_create, match_create, round_create
from core.services.results import match_result_submit
from core.services.tokens import token_pair_for
from tests.factories import HostFactory, UserFactory, game, team_with_roster
from tests.support.events import submission
from tests.support.tournaments import live_tournament

MARK = "zqmark"
PHONE = "+919812345678"
IN_GAME_ID = "5199887766"


@dataclasses.dataclass
class AccountWorld:
    user: User
    tournament: Tournament
    kept_team: Team  # the user captained it alone: disbanded, kept for its history
    shared_team: Team  # the user captained it with a mate: the mate becomes captain
    mate: User
    tokens: dict[str, str]


def _personal(user: User) -> None:
    user.username, user.email = f"{MARK}user", f"{MARK}mail@example.com"
    user.first_name, user.last_name = f"{MARK}First", f"{MARK}Last"
    user.display_name, user.bio, user.phone = f"{MARK} Display", f"{MARK} bio", PHONE
    user.avatar = f"avatars/{MARK}.png"
    user.avatar_variants = [{"name": f"avatars/{MARK}-64.webp", "width": 64}]
    user.save()


def _played_and_finished() -> tuple[Tournament, Team, User]:
    """A completed tournament with a final result; returns its first team's captain."""
    tournament, field = live_tournament(teams=2, prefix="Kept")
    host = tournament.host
    round_ = round_create(actor=host, tournament=tournament, name="Final", is_final=True)
    group = group_create(
        actor=host, tournament=tournament, round_=round_, name="A", team_ids=[t.pk for t in field]
    )
    match = match_create(actor=host, tournament=tournament, group=group, map_name="Erangel")
    rows = [{"team": t.pk, "placement": i, "kills": 3} for i, t in enumerate(field, start=1)]
    match_result_submit(actor=host, match_id=match.pk, submission=submission(rows, final=True))
    Tournament.objects.filter(pk=tournament.pk).update(status=Tournament.Status.COMPLETED)
    tournament.refresh_from_db()
    team = field[0]
    return tournament, team, team.memberships.get(role="captain").user


def account_world() -> AccountWorld:
    tournament, kept_team, user = _played_and_finished()
    _personal(user)
    RegistrationPlayer.objects.filter(user=user).update(
        in_game_name=f"{MARK}IGN", in_game_id=IN_GAME_ID
    )
    PlayerGameProfile.objects.filter(user=user).update(
        in_game_name=f"{MARK}IGN", in_game_id=IN_GAME_ID
    )
    other_game = game("freefire")
    PlayerGameProfile.objects.create(
        user=user, game=other_game, in_game_name=f"{MARK}FF", in_game_id="5100000001"
    )
    shared = team_with_roster(size=1, game_obj=other_game, name="Shared")
    old_captain = shared.memberships.get(role="captain")
    mate = old_captain.user
    old_captain.role = TeamMembership.Role.MEMBER
    old_captain.save()
    TeamMembership.objects.create(team=shared, user=user, role=TeamMembership.Role.CAPTAIN)
    _links(user, tournament, shared)
    return AccountWorld(user, tournament, kept_team, shared, mate, token_pair_for(user))


def _links(user: User, tournament: Tournament, shared: Team) -> None:
    """Every other kind of row that names the user."""
    HostProfile.objects.create(
        user=user,
        organization=f"{MARK} Org",
        contact_name=f"{MARK} Contact",
        details=f"{MARK} details",
        website=f"https://{MARK}.example.com/",
        document=ContentFile(b"%PDF-1.4 id", name=f"{MARK}.pdf"),
    )
    HostRating.objects.create(
        tournament=tournament, host=tournament.host, rater=user, score=4, comment=f"{MARK} ok"
    )
    rating = HostRating.objects.create(
        tournament=tournament,
        host=tournament.host,
        rater=UserFactory(),
        score=1,
        comment="bad",
    )
    HostRatingReport.objects.create(rating=rating, reporter=user, reason=f"{MARK} abuse")
    Report.objects.create(
        reporter=user,
        target_kind="tournament",
        target_id=tournament.pk,
        reason="spam",
        text=f"{MARK} it is a scam",
    )
    other = team_with_roster(size=1, name="Elsewhere")
    TeamJoinRequest.objects.create(team=other, user=user, message=f"{MARK} let me in")
    TeamInvite.objects.create(team=shared, invited_user=UserFactory(), invited_by=user)
    TeamInvite.objects.create(
        team=other, invited_user=user, invited_by=other.memberships.get().user
    )
    Notification.objects.create(user=user, kind="team", title=f"{MARK} title", body="hi")
    NotificationPreference.objects.create(user=user, kind="team.invite", email=False)
    NotificationEmailWindow.objects.create(user=user, key="results:t1:1")
    IdempotencyRecord.objects.create(
        user=user, key=f"{MARK}-key", fingerprint="f", outcome={"u": f"{MARK}user"}
    )
    WebhookEndpoint.objects.create(
        owner=user, url=f"https://{MARK}.example.com/hook", secret="s" * 40, events=["winner"]
    )
    UserSocialAuth.objects.create(user=user, provider="google-oauth2", uid=f"{MARK}-sub")
    SentEmail.objects.create(key=f"k-{user.pk}", template="welcome", to=user.email)
    Payment.objects.create(
        purpose=Payment.Purpose.ENTRY_FEE,
        tournament=tournament,
        user=user,
        amount=5000,
        merchant_order_id=f"ORD-{user.pk}",
        state=Payment.State.COMPLETED,
        completed_at=timezone.now() - timedelta(days=1),
    )
    HostFactory()  # another account, untouched
