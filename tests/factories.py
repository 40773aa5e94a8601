"""factory_boy factories shared by the whole suite. Add to it; keep each factory minimal."""

from datetime import timedelta

import factory
from django.utils import timezone

from core.models import (
    Game,
    HostProfile,
    PlayerGameProfile,
    Team,
    TeamMembership,
    Tournament,
    User,
)

PASSWORD = "S3cure-pass-for-tests"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = User.Role.PLAYER
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(PASSWORD)


class HostFactory(UserFactory):
    """A host whose verification was approved."""

    role = User.Role.HOST
    host_profile = factory.RelatedFactory(
        "tests.factories.HostProfileFactory", factory_related_name="user"
    )


class HostProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostProfile

    user = factory.SubFactory(UserFactory, role=User.Role.HOST)
    status = HostProfile.Status.APPROVED
    organization = "Test Org"


def game(slug: str = "bgmi") -> Game:
    """Games come from the catalog migration; this returns one (creating it if absent)."""
    defaults = {
        "name": slug.upper(),
        "squad_size": 4,
        "max_substitutes": 1,
        "lobby_size": 25,
        "default_points_preset": "pubgm_2023",
    }
    return Game.objects.get_or_create(slug=slug, defaults=defaults)[0]


class GameProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlayerGameProfile

    user = factory.SubFactory(UserFactory)
    game = factory.LazyFunction(game)
    in_game_name = factory.LazyAttribute(lambda p: p.user.username.title())
    in_game_id = factory.Sequence(lambda n: f"51{n:08d}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    game = factory.LazyFunction(game)
    name = factory.Sequence(lambda n: f"Team {n:03d}")
    tag = factory.Sequence(lambda n: f"T{n:03d}")


def team_with_roster(*, size: int = 4, game_obj: Game | None = None, **kwargs) -> Team:
    """A team whose first member is captain, every member verified with a game profile."""
    g = game_obj or game()
    team = TeamFactory(game=g, **kwargs)
    for i in range(size):
        user = UserFactory()
        GameProfileFactory(user=user, game=g)
        role = TeamMembership.Role.CAPTAIN if i == 0 else TeamMembership.Role.MEMBER
        TeamMembership.objects.create(team=team, user=user, role=role)
    return team


def captain_of(team: Team) -> User:
    return team.memberships.get(role=TeamMembership.Role.CAPTAIN).user


class TournamentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tournament

    game = factory.LazyFunction(game)
    host = factory.SubFactory(HostFactory)
    title = factory.Sequence(lambda n: f"Cup {n}")
    status = Tournament.Status.REGISTRATION_OPEN
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    max_teams = 25
    points_table = factory.LazyFunction(
        lambda: {"preset": "pubgm_2023", "placement": [10, 6, 5, 4, 3, 2, 1, 1], "per_kill": 1}
    )
