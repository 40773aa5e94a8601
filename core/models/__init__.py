from .audience import TournamentAudience
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
from .exports import AccountExport
from .games import Game
from .matchday import MatchDispute, ResultChange
from .moderation import AuditLog, Report, TargetKind
from .notifications import NotificationEmailWindow, NotificationPreference
from .ratings import HostRating, HostRatingReport
from .stats import MatchStatLine, StatTotal
from .teams import Team, TeamInvite, TeamJoinRequest, TeamMembership
from .tournaments import Registration, RegistrationPlayer, Tournament
from .users import HostProfile, PlayerGameProfile, User
from .webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "AccountExport",
    "Announcement",
    "AuditLog",
    "EventSequence",
    "Game",
    "Group",
    "GroupTeam",
    "HostProfile",
    "HostRating",
    "HostRatingReport",
    "IdempotencyRecord",
    "Match",
    "MatchDispute",
    "MatchResult",
    "MatchStatLine",
    "Notification",
    "NotificationEmailWindow",
    "NotificationPreference",
    "PlayerGameProfile",
    "PlayerMatchKills",
    "PlayerStats",
    "Registration",
    "RegistrationPlayer",
    "Report",
    "ResultChange",
    "Round",
    "SentEmail",
    "StatTotal",
    "TargetKind",
    "Team",
    "TeamInvite",
    "TeamJoinRequest",
    "TeamMembership",
    "Tournament",
    "TournamentAudience",
    "TournamentEvent",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
]
