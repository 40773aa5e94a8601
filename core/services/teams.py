"""Team writes: creation, profile edits, deletion, roster changes, join requests and invites.

Locks are always taken in this order, so two writers never wait on each other in a cycle:

1. the team row: every roster change takes it, so the size limits and the captain rule are
   checked against a roster nobody else is changing at the same time;
2. the joining player's user row: every path that adds a membership (create, accept a request,
   accept an invite) takes it, so "at most one team per game" holds even when two teams accept
   the same player at once. A database constraint would need the game copied onto every
   membership (and kept in step); a short row lock on the user keeps the model plain.
3. join-request and invite rows: joining cancels the player's other pending ones, which may be
   locked by another team's accept; that accept already waits on (2), so it holds none of them
   yet, and the two never wait on each other.

Every roster change is refused while the team plays in a live tournament (`team_is_locked`).
"""

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import (
    Game,
    Registration,
    Team,
    TeamInvite,
    TeamJoinRequest,
    TeamMembership,
    User,
)
from core.selectors.teams import active_teams, team_has_active_registration, team_is_locked

from .locks import lock_invite, lock_join_request, lock_team, lock_user
from .media import files_delete_after_commit, image_put, stored_names
from .notify import notify_join_decided, notify_team_invite

Role = TeamMembership.Role
JOINABLE_ROLES = (Role.MEMBER, Role.SUBSTITUTE)


# --- helpers ----------------------------------------------------------------------------------


def _require_captain(team: Team, actor: User) -> TeamMembership:
    membership = TeamMembership.objects.filter(team=team, user=actor).first()
    if membership is None or membership.role != Role.CAPTAIN:
        raise PermissionDenied("Only the team captain can do this.")
    return membership


def _ensure_unlocked(team: Team) -> None:
    if team_is_locked(team):
        raise Conflict(
            "The team is playing in a live tournament; its roster cannot change until it ends.",
            details={"team": team.pk},
        )


def _ensure_player(user: User) -> None:
    if user.role != User.Role.PLAYER:
        raise ValidationError("Only player accounts can be on a team.", details={"user": user.pk})


def _ensure_no_team_in_game(*, user: User, game: Game) -> None:
    existing = active_teams().filter(game=game, memberships__user=user).values("pk", "name").first()
    if existing:
        raise Conflict(
            f"{user.username} is already on a {game.name} team ({existing['name']}); "
            "a player can be on one team per game.",
            details={"team": existing["pk"]},
        )


def _ensure_room(*, team: Team, role: str) -> None:
    counts = dict(
        TeamMembership.objects.filter(team=team)
        .order_by()  # no default ordering in the GROUP BY
        .values_list("role")
        .annotate(n=Count("id"))
    )
    game = team.game
    if role == Role.SUBSTITUTE:
        if counts.get(Role.SUBSTITUTE, 0) >= game.max_substitutes:
            raise Conflict(
                f"The team already has {game.max_substitutes} substitute(s), the most "
                f"{game.name} allows.",
                details={"role": role},
            )
    elif counts.get(Role.CAPTAIN, 0) + counts.get(Role.MEMBER, 0) >= game.squad_size:
        raise Conflict(
            f"The squad is full ({game.squad_size} players for {game.name}); "
            "add the player as a substitute instead.",
            details={"role": role},
        )


def _ensure_name_free(*, game: Game, name: str, exclude_pk: int | None = None) -> None:
    if active_teams().filter(game=game, name__iexact=name).exclude(pk=exclude_pk).exists():
        raise _name_taken(game, name)


def _name_taken(game: Game, name: str) -> Conflict:
    message = f"A {game.name} team named {name!r} already exists."
    return Conflict(message, details={"name": [message]})


def _save_checking_name(team: Team, *, update_fields: list[str] | None = None) -> None:
    # The pre-check above answers the usual case; the unique index settles a race.
    try:
        with transaction.atomic():
            team.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise _name_taken(team.game, team.name) from exc


def _join(*, team: Team, user: User, role: str) -> TeamMembership:
    """Add a player to a team; the caller holds the team's and then the user's row locks."""
    _ensure_unlocked(team)
    _ensure_player(user)
    if TeamMembership.objects.filter(team=team, user=user).exists():
        raise Conflict(f"{user.username} is already on this team.")
    _ensure_no_team_in_game(user=user, game=team.game)
    _ensure_room(team=team, role=role)
    membership = TeamMembership.objects.create(team=team, user=user, role=role)
    # The player's other pending requests and invites in this game can never be accepted now.
    now = timezone.now()
    TeamJoinRequest.objects.filter(
        user=user, status=TeamJoinRequest.Status.PENDING, team__game=team.game
    ).update(status=TeamJoinRequest.Status.CANCELLED, decided_at=now)
    TeamInvite.objects.filter(
        invited_user=user, status=TeamInvite.Status.PENDING, team__game=team.game
    ).update(status=TeamInvite.Status.CANCELLED, decided_at=now)
    return membership


def team_disband(team: Team) -> bool:
    """Delete a locked team (the caller holds its lock: deleting it, its last member leaving,
    their account deleted); returns False when it was kept as a disbanded row instead."""
    if team_has_active_registration(team):
        raise Conflict(
            "The team is registered in a tournament that has not finished; withdraw first.",
            details={"team": team.pk},
        )
    if not Registration.objects.filter(team=team).exists():
        files_delete_after_commit(stored_names(team, "logo"))
        team.delete()
        return True
    # Past registrations protect the row (results and exports name the team): hide it instead.
    now = timezone.now()
    TeamMembership.objects.filter(team=team).delete()
    TeamJoinRequest.objects.filter(team=team, status=TeamJoinRequest.Status.PENDING).update(
        status=TeamJoinRequest.Status.CANCELLED, decided_at=now
    )
    TeamInvite.objects.filter(team=team, status=TeamInvite.Status.PENDING).update(
        status=TeamInvite.Status.CANCELLED, decided_at=now
    )
    team.disbanded_at = now
    team.save(update_fields=["disbanded_at"])
    return False


# --- the team ---------------------------------------------------------------------------------


@transaction.atomic
def team_create(
    *,
    actor: User,
    game: Game,
    name: str,
    tag: str,
    bio: str = "",
    logo: File | None = None,
) -> Team:
    """Create a team with `actor` as its captain."""
    name, tag = name.strip(), tag.strip()
    user = lock_user(actor.pk)
    _ensure_player(user)
    _ensure_no_team_in_game(user=user, game=game)
    _ensure_name_free(game=game, name=name)
    team = Team(game=game, name=name, tag=tag, bio=bio, created_by=user)
    if logo is not None:
        image_put(team, "logo", logo)
    _save_checking_name(team)
    TeamMembership.objects.create(team=team, user=user, role=Role.CAPTAIN)
    return team


@transaction.atomic
def team_update(
    *,
    actor: User,
    team: Team,
    name: str | None = None,
    tag: str | None = None,
    bio: str | None = None,
    logo: File | None = None,
) -> Team:
    """Edit the team's profile (captain only). None leaves a field unchanged; the game, the
    captain and the stats are not editable here."""
    team = lock_team(team.pk)
    _require_captain(team, actor)
    fields: list[str] = []
    if name is not None and name.strip() != team.name:
        team.name = name.strip()
        _ensure_name_free(game=team.game, name=team.name, exclude_pk=team.pk)
        fields.append("name")
    if tag is not None:
        team.tag = tag.strip()
        fields.append("tag")
    if bio is not None:
        team.bio = bio
        fields.append("bio")
    if logo is not None:
        image_put(team, "logo", logo)
        fields += ["logo", "logo_variants"]
    if fields:
        _save_checking_name(team, update_fields=fields)
    return team


@transaction.atomic
def team_delete(*, actor: User, team: Team) -> None:
    """Captain only; refused while the team holds a seat in a tournament that is not over."""
    team = lock_team(team.pk)
    _require_captain(team, actor)
    team_disband(team)


# --- join requests ----------------------------------------------------------------------------


@transaction.atomic
def team_join_request_create(*, actor: User, team: Team, message: str = "") -> TeamJoinRequest:
    _ensure_player(actor)
    if TeamMembership.objects.filter(team=team, user=actor).exists():
        raise Conflict("You are already on this team.")
    _ensure_no_team_in_game(user=actor, game=team.game)
    already = Conflict("You already have a pending request to join this team.")
    pending = TeamJoinRequest.objects.filter(
        team=team, user=actor, status=TeamJoinRequest.Status.PENDING
    )
    if pending.exists():
        raise already
    try:
        with transaction.atomic():
            return TeamJoinRequest.objects.create(team=team, user=actor, message=message)
    except IntegrityError as exc:  # the same request sent twice at once
        raise already from exc


@transaction.atomic
def team_join_request_accept(
    *, actor: User, join_request: TeamJoinRequest, role: str = Role.MEMBER
) -> TeamMembership:
    """The captain accepts; the limits are re-checked under the team's row lock."""
    if role not in JOINABLE_ROLES:
        raise ValidationError("Role must be member or substitute.", details={"role": [role]})
    team = lock_team(join_request.team_id)
    _require_captain(team, actor)
    user = lock_user(join_request.user_id)  # before the request row: see the module docstring
    request = lock_join_request(join_request.pk)
    if request.status != TeamJoinRequest.Status.PENDING:
        raise Conflict(f"This join request is already {request.status}.")
    request.status = TeamJoinRequest.Status.ACCEPTED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    return notify_join_decided(request, _join(team=team, user=user, role=role))


@transaction.atomic
def team_join_request_reject(*, actor: User, join_request: TeamJoinRequest) -> TeamJoinRequest:
    _require_captain(join_request.team, actor)
    # Conditional update: a request accepted or rejected meanwhile is not overwritten.
    updated = TeamJoinRequest.objects.filter(
        pk=join_request.pk, status=TeamJoinRequest.Status.PENDING
    ).update(status=TeamJoinRequest.Status.REJECTED, decided_at=timezone.now())
    join_request.refresh_from_db()
    if not updated:
        raise Conflict(f"This join request is already {join_request.status}.")
    return notify_join_decided(join_request, join_request)


@transaction.atomic
def team_invite_create(
    *, actor: User, team: Team, invitee: User, role: str = Role.MEMBER
) -> TeamInvite:
    """The captain invites a player; limits are checked now for quick feedback and again when
    the player accepts."""
    if role not in JOINABLE_ROLES:
        raise ValidationError("Role must be member or substitute.", details={"role": [role]})
    _require_captain(team, actor)
    _ensure_player(invitee)
    if TeamMembership.objects.filter(team=team, user=invitee).exists():
        raise Conflict(f"{invitee.username} is already on this team.")
    _ensure_no_team_in_game(user=invitee, game=team.game)
    _ensure_room(team=team, role=role)
    already = Conflict(f"{invitee.username} already has a pending invite to this team.")
    if TeamInvite.objects.filter(
        team=team, invited_user=invitee, status=TeamInvite.Status.PENDING
    ).exists():
        raise already
    try:
        with transaction.atomic():
            return notify_team_invite(
                TeamInvite.objects.create(
                    team=team, invited_user=invitee, invited_by=actor, role=role
                )
            )
    except IntegrityError as exc:
        raise already from exc


@transaction.atomic
def team_invite_accept(*, actor: User, invite: TeamInvite) -> TeamMembership:
    if invite.invited_user_id != actor.pk:
        raise NotFound("Invite not found.")
    team = lock_team(invite.team_id)
    user = lock_user(actor.pk)  # before the invite row: see the module docstring
    locked = lock_invite(invite.pk)
    if locked.status != TeamInvite.Status.PENDING:
        raise Conflict(f"This invite is already {locked.status}.")
    locked.status = TeamInvite.Status.ACCEPTED
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    return _join(team=team, user=user, role=locked.role)


@transaction.atomic
def team_invite_decline(*, actor: User, invite: TeamInvite) -> TeamInvite:
    if invite.invited_user_id != actor.pk:
        raise NotFound("Invite not found.")
    updated = TeamInvite.objects.filter(pk=invite.pk, status=TeamInvite.Status.PENDING).update(
        status=TeamInvite.Status.DECLINED, decided_at=timezone.now()
    )
    invite.refresh_from_db()
    if not updated:
        raise Conflict(f"This invite is already {invite.status}.")
    return invite


# --- roster changes ---------------------------------------------------------------------------


@transaction.atomic
def team_leave(*, actor: User, team: Team) -> bool:
    """Leave the team. The captain must hand over the captaincy first, unless they are the last
    member: then the team is deleted (by the same rules as `team_delete`). Returns True when the
    team is gone."""
    team = lock_team(team.pk)
    membership = TeamMembership.objects.filter(team=team, user=actor).first()
    if membership is None:
        raise PermissionDenied("You are not on this team.")
    if membership.role == Role.CAPTAIN:
        if TeamMembership.objects.filter(team=team).exclude(pk=membership.pk).exists():
            raise Conflict("Transfer the captaincy to another member before leaving the team.")
        team_disband(team)
        return True
    _ensure_unlocked(team)
    membership.delete()
    return False


def _member(team: Team, user_id: int, message: str) -> TeamMembership:
    membership = TeamMembership.objects.filter(team=team, user_id=user_id).first()
    if membership is None:
        raise ValidationError(message, details={"user": [message]})
    return membership


@transaction.atomic
def team_member_remove(*, actor: User, team: Team, user_id: int) -> None:
    team = lock_team(team.pk)
    _require_captain(team, actor)
    if user_id == actor.pk:
        message = "The captain cannot remove themselves; transfer the captaincy or leave."
        raise ValidationError(message, details={"user": [message]})
    membership = _member(team, user_id, "That player is not on this team.")
    _ensure_unlocked(team)
    membership.delete()


@transaction.atomic
def team_captaincy_transfer(*, actor: User, team: Team, user_id: int) -> None:
    """Swap roles: the new captain's old role (member or substitute) goes to the old captain,
    so the roster's size limits still hold afterwards."""
    team = lock_team(team.pk)
    current = _require_captain(team, actor)
    if user_id == actor.pk:
        raise ValidationError(
            "You are already the captain.", details={"user": ["Already captain."]}
        )
    new = _member(team, user_id, "The new captain must be a member of this team.")
    _ensure_unlocked(team)
    # Demote first: the one-captain index is checked per statement, never deferred.
    current.role, new.role = new.role, Role.CAPTAIN
    current.save(update_fields=["role"])
    new.save(update_fields=["role"])
