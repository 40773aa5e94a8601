"""Inbound limits of one socket (docs/protocol.md, Limits and closing)."""

import time

MAX_FRAME_BYTES = 64 * 1024
MAX_COMMAND_ID = 64
RATE_PER_SECOND = 20.0
RATE_BURST = 40.0
# Refusals in a row after which a socket that keeps on sending is closed with 4429.
RATE_STRIKES_BEFORE_CLOSE = 20
MAX_UNSENT_FRAMES = 100


class TokenBucket:
    __slots__ = ("capacity", "rate", "stamp", "tokens")

    def __init__(self, rate: float = RATE_PER_SECOND, capacity: float = RATE_BURST) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
