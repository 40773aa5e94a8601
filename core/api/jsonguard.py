"""Limits every decoded JSON document (REST bodies, websocket frames) must keep: nesting depth,
and no NUL character in any key or string (PostgreSQL refuses NUL in text, and no field of ours
has a use for one). Walked without recursion, so a hostile document cannot exhaust the stack."""

from typing import Any

MAX_DEPTH = 64
NUL = "\x00"


def first_problem(document: Any, *, max_depth: int = MAX_DEPTH) -> tuple[str, str] | None:
    """(where, what) of the first broken limit, or None. `where` is a dotted path ("results.0.
    team"); the top level is "body"."""
    stack: list[tuple[Any, str, int]] = [(document, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > max_depth:
                return path or "body", f"JSON nested deeper than {max_depth} levels"
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and NUL in key:
                    return _join(
                        path, key.replace(NUL, "\\u0000")
                    ), "NUL characters are not allowed"
                stack.append((item, _join(path, str(key)), depth + 1))
        elif isinstance(value, str) and NUL in value:
            return path or "body", "NUL characters are not allowed"
    return None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
