from .competition import (
    Group,
    GroupTeam,
    Match,
    MatchResult,
    PlayerMatchKills,
    PlayerStats,
    Round,
)
from .emails import SentEmail
from .events import Announcement, EventSequence, IdempotencyRecord, Notification, TournamentEvent
from .games import Game
from .matchday import MatchDispute, ResultChange
from .teams import Team, TeamInvite, TeamJoinRequest, TeamMembership
from .tournaments import Registration, RegistrationPlayer, Tournament
from .users import HostProfile, PlayerGameProfile, User

__all__ = [
    "Announcement",
    "EventSequence",
    "Game",
    "Group",
    "GroupTeam",
    "HostProfile",
    "IdempotencyRecord",
    "Match",
    "MatchDispute",
    "MatchResult",
    "Notification",
    "PlayerGameProfile",
    "PlayerMatchKills",
    "PlayerStats",
    "Registration",
    "RegistrationPlayer",
    "ResultChange",
    "Round",
    "SentEmail",
    "Team",
    "TeamInvite",
    "TeamJoinRequest",
    "TeamMembership",
    "Tournament",
    "TournamentEvent",
    "User",
]
