"""The request id every log line carries, and the JSON log format (LOG_FORMAT=json).

The id is set per request by core.api.observability's middleware (the client's X-Request-ID, or
a new one) and per Celery task from the header the enqueueing code attached
(core.observability.task_signals): a task's lines carry the id of the request that enqueued it.
It lives in a contextvar, so concurrent requests on one event loop or in threads keep their own.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar, Token
from datetime import UTC, datetime

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_task: ContextVar[str | None] = ContextVar("task", default=None)

# What a client may choose as its id: short, and nothing that could forge a log line.
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def new_request_id() -> str:
    return uuid.uuid4().hex


def acceptable_request_id(value: str | None) -> str | None:
    return value if value and _ACCEPTABLE_ID.fullmatch(value) else None


def current_request_id() -> str | None:
    return _request_id.get()


def bind_request_id(value: str | None) -> Token:
    return _request_id.set(value)


def unbind_request_id(token: Token) -> None:
    _request_id.reset(token)


def bind_task(name: str | None) -> Token:
    return _task.set(name)


def unbind_task(token: Token) -> None:
    _task.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request id (and task name) on every record, whatever logger wrote it,
    so both formats can show them. Installed on the handler, not on loggers: propagated records
    pass through it too."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        record.task = _task.get()
        return True


class PlainFormatter(logging.Formatter):
    """The terminal's format, with ` [request id]` after the level while there is one."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s%(rid)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.rid = f" [{request_id}]" if request_id else ""
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what log shippers parse without a grok pattern."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _request_id.get(),
            "process": record.process,
        }
        task = getattr(record, "task", None) or _task.get()
        if task:
            line["task"] = task
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
