"""The `?from=&to=` period of the dashboards, parsed one way (the style of core/api/params.py).

Both are ISO dates (YYYY-MM-DD, UTC days, both included, from 2000-01-01 to 2999-12-31).
Absent: the last `DEFAULT_DAYS` days ending today. A bad date, `from` after `to` or a range
longer than `MAX_DAYS` is 400 `validation_error` naming the parameter, never quietly replaced
by the default.
"""

import datetime as dt
import re
from collections.abc import Mapping

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter

from core.errors import ValidationError

DEFAULT_DAYS = 30
MAX_DAYS = 366
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_DATE = re.compile(DATE_PATTERN)
# Far enough for any record, and clear of date.min/max: a default `from` 30 days before
# 0001-01-01, or the day after 9999-12-31, would overflow into a 500.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2999, 12, 31)


def _invalid(name: str, message: str) -> ValidationError:
    return ValidationError(f"{name}: {message}", details={name: [message]})


def _date(params: Mapping[str, str], name: str) -> dt.date | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        # fromisoformat alone would also take "20260101" and week dates.
        if not _DATE.match(raw):
            raise ValueError
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise _invalid(name, "Must be a date, YYYY-MM-DD.") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _invalid(name, f"Must be from {FIRST_DAY} to {LAST_DAY}.")
    return day


def query_period(params: Mapping[str, str]) -> tuple[dt.date, dt.date]:
    """(first day, last day), both included."""
    end = _date(params, "to") or timezone.now().date()
    start = _date(params, "from") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise _invalid("from", "Must not be after `to`.")
    if (end - start).days + 1 > MAX_DAYS:
        raise _invalid("to", f"The period is at most {MAX_DAYS} days.")
    return start, end


def period_parameters() -> list[OpenApiParameter]:
    schema = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    schema["description"] = f"{FIRST_DAY} to {LAST_DAY}"
    return [
        OpenApiParameter(
            "from", schema, description=f"first day (UTC), default: {DEFAULT_DAYS} days to `to`"
        ),
        OpenApiParameter(
            "to", schema, description=f"last day (UTC), default today; at most {MAX_DAYS} days"
        ),
    ]
