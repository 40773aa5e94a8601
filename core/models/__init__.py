from .games import Game
from .users import HostProfile, PlayerGameProfile, User

__all__ = ["Game", "HostProfile", "PlayerGameProfile", "User"]
