"""What every socket of ours shares: a bounded outgoing queue drained by one task at a time,
the inbound limits, and the error frame."""

import asyncio
import json
from collections import deque
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer

from realtime import closecodes
from realtime.limits import MAX_UNSENT_FRAMES


def error_frame(code: str, message: str, *, id: Any = None, details: Any = None) -> str:
    return json.dumps(
        {"type": "error", "id": id, "code": code, "message": message, "details": details or {}},
        separators=(",", ":"),
    )


class QueuedSocket(AsyncWebsocketConsumer):
    """Frames are queued as text and written in order by a drain task that exists only while
    there is a backlog. A socket whose backlog passes MAX_UNSENT_FRAMES is closed with 4408: its
    client resumes with `since` and loses nothing (PROTOCOL.md)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._out: deque[str] = deque()
        self._draining = False
        self._paused = True  # until the first snapshot/replay is written
        self._closing = False
        self._task: asyncio.Future | None = None

    def enqueue(self, text: str) -> None:
        if self._closing:
            return
        self._out.append(text)
        if len(self._out) > MAX_UNSENT_FRAMES:
            self._out.clear()
            self._closing = True
            # Keep a reference: the loop holds tasks only weakly.
            self._task = asyncio.ensure_future(self.close(code=closecodes.TOO_SLOW))
            return
        self._kick()

    def resume_output(self) -> None:
        self._paused = False
        self._kick()

    def _kick(self) -> None:
        if not self._draining and not self._paused and self._out:
            self._draining = True
            self._task = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        try:
            while self._out and not self._paused and not self._closing:
                await self.send(text_data=self._out.popleft())
        finally:
            self._draining = False

    async def send_now(self, text: str) -> None:
        """Write ahead of the queue (handshake-time frames, command answers)."""
        if not self._closing:
            await self.send(text_data=text)

    async def close_with(self, code: int) -> None:
        self._closing = True
        self._out.clear()
        await self.close(code=code)
