"""/ws/me/ — the signed-in user's notifications as they are created."""

import json
from typing import Any

from core.observability import metrics
from realtime import broadcast, closecodes, frames
from realtime.consumers.base import QueuedSocket
from realtime.limits import MAX_FRAME_BYTES, TokenBucket


class MeConsumer(QueuedSocket):
    user_id: int | None = None

    async def connect(self) -> None:
        await self.accept()
        user = self.scope.get("user")
        if self.scope.get("auth_failed") or user is None or not user.is_authenticated:
            return await self.close_with(closecodes.AUTH_FAILED)
        self.bucket = TokenBucket()
        self.user_id = user.pk
        metrics.WS_ME.inc()  # with user_id set: disconnect takes it back whatever happens next
        await broadcast.user_subscribe(user.pk, self.channel_name)
        self.resume_output()

    async def disconnect(self, code: int) -> None:
        if self.user_id is not None:
            metrics.WS_ME.dec()
            await broadcast.user_unsubscribe(self.user_id, self.channel_name)

    async def user_notification(self, event: dict[str, Any]) -> None:
        self.enqueue(event["frame"])

    async def user_close(self, event: dict[str, Any]) -> None:
        """The account was deleted: this socket's credentials no longer hold."""
        await self.close_with(closecodes.AUTH_FAILED)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        raw = text_data if text_data is not None else bytes_data
        if raw is not None and len(raw) > MAX_FRAME_BYTES:
            return await self.close_with(closecodes.TOO_BIG)
        if not self.bucket.take():
            return await self.send_now(frames.error_frame("rate_limited", "Too many messages."))
        if _is_ping(text_data):
            return await self.send_now(frames.PONG)
        await self.send_now(frames.error_frame("bad_message", "only ping is accepted here"))


def _is_ping(text: str | None) -> bool:
    if not text:
        return False
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(message, dict) and message.get("type") == "ping"
