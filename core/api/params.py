"""Query parameters, parsed one way everywhere and declared to the schema the same way.

A value outside a parameter's type or choices is 400 `validation_error` (details name the
parameter), never quietly read as the default: `?unread=null` is not "all", `?kind=bogus` is not
"teams". An absent parameter takes its default; an empty one (`?kind=`) is a value like any other.
Each `*_parameter` builder documents exactly what its `query_*` parser accepts.
"""

import re
from collections.abc import Iterable, Mapping, Sequence

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from core.errors import ValidationError

TRUE_VALUES = ("true", "1")
FALSE_VALUES = ("false", "0")
# Ids are bigint primary keys: anything larger cannot name a row.
MAX_ID = 2**63 - 1
# A game by its slug ("bgmi") or its id ("3"), a host by username or id: no spaces, no symbols
# beyond what usernames allow.
REF_PATTERN = r"^[A-Za-z0-9_.@+-]{1,150}$"
_REF = re.compile(REF_PATTERN)


def _invalid(name: str, message: str) -> ValidationError:
    return ValidationError(f"{name}: {message}", details={name: [message]})


def query_bool(params: Mapping[str, str], name: str, default: bool | None = None) -> bool | None:
    """true/false or 1/0 (any case)."""
    raw = params.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise _invalid(name, "Must be true or false (or 1 or 0).")


def query_choice(
    params: Mapping[str, str], name: str, choices: Sequence[str], default: str | None = None
) -> str | None:
    raw = params.get(name)
    if raw is None:
        return default
    if raw not in choices:
        raise _invalid(name, f"Must be one of: {', '.join(choices)}.")
    return raw


def query_int(
    params: Mapping[str, str],
    name: str,
    *,
    minimum: int = 1,
    maximum: int = MAX_ID,
    default: int | None = None,
) -> int | None:
    """A whole number in ASCII digits (no sign, no spaces, no "²") within [minimum, maximum]."""
    raw = params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not minimum <= int(raw) <= maximum:
        raise _invalid(name, f"Must be a whole number from {minimum} to {maximum}.")
    return int(raw)


def query_ref(params: Mapping[str, str], name: str) -> str | None:
    """A slug, username or id (the selector decides which): letters, digits and _ . @ + -."""
    raw = params.get(name)
    if raw is None:
        return None
    if not _REF.match(raw):
        raise _invalid(name, "Must be a slug, a username or an id.")
    return raw


def query_text(params: Mapping[str, str], name: str) -> str:
    """Free text such as a search: whatever was sent, trimmed ("" when absent)."""
    return params.get(name, "").strip()


# --- the same, for the schema -------------------------------------------------------------


def bool_parameter(name: str, description: str = "") -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.BOOL, description=description or "true or false (also 1 or 0)"
    )


def choice_parameter(
    name: str, choices: Iterable[str], description: str = "", default: str | None = None
) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, enum=list(choices), default=default, description=description
    )


def int_parameter(
    name: str, description: str = "", *, minimum: int = 1, maximum: int = MAX_ID
) -> OpenApiParameter:
    schema = {"type": "integer", "minimum": minimum, "maximum": maximum}
    return OpenApiParameter(name, schema, description=description)


def ref_parameter(name: str, description: str) -> OpenApiParameter:
    schema = {"type": "string", "pattern": REF_PATTERN, "maxLength": 150}
    return OpenApiParameter(name, schema, description=description)


def text_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, description=description)
