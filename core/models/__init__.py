from .games import Game
from .teams import Team, TeamInvite, TeamJoinRequest, TeamMembership
from .tournaments import Registration, RegistrationPlayer, Tournament
from .users import HostProfile, PlayerGameProfile, User

__all__ = [
    "Game",
    "HostProfile",
    "PlayerGameProfile",
    "Registration",
    "RegistrationPlayer",
    "Team",
    "TeamInvite",
    "TeamJoinRequest",
    "TeamMembership",
    "Tournament",
    "User",
]
