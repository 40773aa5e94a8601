"""What every socket of ours shares: a bounded outgoing queue.

The write path is the fan-out's hot loop (bench/README.md has the profiles): a frame for a socket
with nothing queued is written at once, by driving the ASGI send coroutine synchronously, and only
a send that really has to wait (the transport is above its high-water mark) becomes a task that
then drains the queue in order. No task per socket per frame, no queue object until one is needed.
"""

import asyncio
import contextlib
import logging
import types
from collections import deque
from collections.abc import Coroutine, Generator
from typing import Any

from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.sessions import InstanceSessionWrapper

from core.observability import metrics
from realtime import closecodes
from realtime.limits import MAX_UNSENT_FRAMES

log = logging.getLogger(__name__)


def _server_send(send: Any) -> Any:
    """The server's own ASGI send under Channels' session wrappers. They act only on HTTP
    responses (`save_message_types`), yet cost ~10% of a broadcast in lazy-object lookups per
    websocket frame (bench/README.md profile)."""
    while isinstance(getattr(send, "__self__", None), InstanceSessionWrapper):
        send = send.__self__.real_send
    return send


@types.coroutine
def _resume(coro: Coroutine, pending: Any) -> Generator[Any, Any, Any]:
    """Carry on a coroutine that was started by hand and suspended on `pending`, inside a task
    (exactly what `await` would have done had it been awaited from the start)."""
    while True:
        try:
            value = yield pending
        except GeneratorExit:
            coro.close()
            raise
        except BaseException as exc:  # thrown into the task (e.g. cancelled): hand it on
            try:
                pending = coro.throw(exc)
            except StopIteration as stop:
                return stop.value
        else:
            try:
                pending = coro.send(value)
            except StopIteration as stop:
                return stop.value


class QueuedOutput:
    """Frames are written in order; a backlog exists only while a send has to wait, and a drain
    task only while there is a backlog. A socket whose backlog passes MAX_UNSENT_FRAMES is closed
    with 4408: its client resumes with `since` and loses nothing (docs/protocol.md).

    Mixed into a socket class that provides `send(text_data=...)` and `close(code=...)`. The
    state starts as class attributes, so an idle socket's instance holds none of it."""

    _out: deque[str] | None = None  # created on the first backlog (memory per socket)
    _draining = False
    _paused = True  # until the first snapshot/replay is written
    _closing = False
    _task: asyncio.Future | None = None

    def enqueue(self, text: str) -> None:
        if self._closing:
            return
        if not self._draining and not self._paused and not self._out:
            self._write(text)
            return
        out = self._out
        if out is None:
            out = self._out = deque()
        out.append(text)
        if len(out) > MAX_UNSENT_FRAMES:
            out.clear()
            self._closing = True
            metrics.SLOW_CONSUMER_CLOSES.inc()
            # Keep a reference: the loop holds tasks only weakly.
            self._task = asyncio.ensure_future(self.close(code=closecodes.TOO_SLOW))
            return
        self._kick()

    def _write(self, text: str) -> None:
        """Write now; if the send has to wait, finish it in a task that then drains the queue."""
        coro = self.send(text_data=text)
        try:
            pending = coro.send(None)
        except StopIteration:
            return
        except Exception:  # the peer is gone: never let one socket stop a room's fan-out loop
            coro.close()
            self._closing = True
            self.clear_output()
            return
        self._draining = True
        self._task = asyncio.ensure_future(self._finish_then_drain(coro, pending))

    async def _finish_then_drain(self, coro: Coroutine, pending: Any) -> None:
        try:
            await _resume(coro, pending)
            await self._drain_queue()
        finally:
            self._draining = False

    def resume_output(self) -> None:
        self._paused = False
        self._kick()

    def _kick(self) -> None:
        if not self._draining and not self._paused and self._out:
            self._draining = True
            self._task = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        try:
            await self._drain_queue()
        finally:
            self._draining = False

    async def _drain_queue(self) -> None:
        out = self._out
        while out and not self._paused and not self._closing:
            await self.send(text_data=out.popleft())

    def clear_output(self) -> None:
        if self._out:
            self._out.clear()

    def backlog(self) -> deque[str]:
        if self._out is None:
            self._out = deque()
        return self._out

    async def send_now(self, text: str) -> None:
        """Write ahead of the queue (handshake-time frames, command answers)."""
        if not self._closing:
            await self.send(text_data=text)

    async def close_with(self, code: int) -> None:
        self._closing = True
        self.clear_output()
        await self.close(code=code)


class QueuedSocket(QueuedOutput, AsyncWebsocketConsumer):
    """A Channels consumer with the queued output: /ws/me/, whose socket needs its own channel
    (it joins the user's group). Room sockets are RawSocket (realtime/consumers/raw.py)."""

    async def send(
        self, text_data: str | None = None, bytes_data: bytes | None = None, close: bool = False
    ) -> None:
        if text_data is not None and not close:
            await self.base_send({"type": "websocket.send", "text": text_data})
            return
        await super().send(text_data=text_data, bytes_data=bytes_data, close=close)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        # Below Channels' session wrappers: they save sessions on HTTP responses only, yet look
        # the lazy session up on every message we send (~10% of a broadcast or of a connect).
        await super().__call__(scope, receive, _server_send(send))

    async def dispatch(self, message: dict) -> None:
        """Channels' dispatch, minus its `aclose_old_connections()` thread hop before every
        message (docs/fanout.md, trap 2). Our handlers reach the database only through
        database_sync_to_async, which closes old connections in its own thread."""
        kind = message["type"]
        handler = None if kind.startswith("_") else getattr(self, kind.replace(".", "_"), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        try:
            await handler(message)
        except StopConsumer:
            raise
        except Exception:
            # Logged once, the socket closed with 1011 (the client reconnects), never dropped.
            log.exception(
                "websocket %s: unexpected error; closing with 1011", self.scope.get("path")
            )
            with contextlib.suppress(Exception):
                await self.close(code=closecodes.SERVER_ERROR)
            with contextlib.suppress(Exception):  # leave its groups as a disconnect would
                await self.disconnect(closecodes.SERVER_ERROR)
            raise StopConsumer from None

    async def websocket_disconnect(self, message: dict) -> None:
        """Channels' version, minus its `aclose_old_connections()` thread hop per disconnect
        (5,000 spectators leaving at once queue 5,000 hops on one thread). Our consumers leave
        their groups in `disconnect`, through realtime/broadcast.py (Channels' `groups` stays
        empty)."""
        await self.disconnect(message["code"])
        raise StopConsumer
