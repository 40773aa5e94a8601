"""/ws/me/ — the signed-in user's notifications as they are created."""

from realtime import closecodes
from realtime.broadcast import user_group
from realtime.consumers.base import QueuedSocket, error_frame
from realtime.limits import MAX_FRAME_BYTES, TokenBucket


class MeConsumer(QueuedSocket):
    group: str | None = None

    async def connect(self) -> None:
        await self.accept()
        user = self.scope.get("user")
        if self.scope.get("auth_failed") or user is None or not user.is_authenticated:
            return await self.close_with(closecodes.AUTH_FAILED)
        self.bucket = TokenBucket()
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.resume_output()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def user_notification(self, event: dict) -> None:
        self.enqueue(event["frame"])

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        raw = text_data if text_data is not None else bytes_data
        if raw is not None and len(raw) > MAX_FRAME_BYTES:
            return await self.close_with(closecodes.TOO_BIG)
        if not self.bucket.take():
            return await self.send_now(error_frame("rate_limited", "Too many messages."))
        if text_data and text_data.strip().replace(" ", "") == '{"type":"ping"}':
            return await self.send_now('{"type":"pong"}')
        await self.send_now(error_frame("bad_message", "only ping is accepted here"))
