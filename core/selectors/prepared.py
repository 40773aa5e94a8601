"""A `values()` query the ORM compiles once per thread and runs many times with new parameters.

Building the SQL of a rich query (joins, a correlated subquery, forty columns) costs the ORM a
few milliseconds, far more than the database takes to answer it; on a public read that misses
the cache that was most of the request. A prepared query is built once from sample parameters
(sentinels no real call passes), its SQL and parameter list kept with the compiler that made
them, and each call swaps its own values in for the sentinels and converts the rows as the ORM
would (datetimes, JSON). It goes through the connection's cursor, so the execute wrappers (the
read cache's write watcher, query counts in tests) see it like any other query.

Per thread, because a compiler belongs to the connection of the thread that made it.
"""

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler


class PreparedValues:
    """`build(**params)` returns the values() queryset; `params` names each parameter's kind:
    "int", "str" or "datetime" (each passed to the database as a parameter, never folded into
    the SQL, so its sentinel can be found in the parameter list)."""

    def __init__(self, build: Callable[..., QuerySet], **params: str) -> None:
        self.build = build
        self.params = params
        self._local = threading.local()

    def rows(self, **values: Any) -> list[dict[str, Any]]:
        compiler, sql, template, slots, names = self._compiled()
        params = list(template)
        for index, name in slots:
            params[index] = self._adapt(compiler, name, values[name])
        with compiler.connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return [dict(zip(names, row, strict=True)) for row in compiler.results_iter([fetched])]

    def _sentinels(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for i, (name, kind) in enumerate(self.params.items()):
            if kind == "int":
                out[name] = 7_391_000_000_017 + i
            elif kind == "str":
                out[name] = f"prepared-sentinel-{i}-7391"
            elif kind == "datetime":
                out[name] = datetime(1901, 2, 3, 4, 5, 6, 700_001 + i, tzinfo=UTC)
            else:
                raise ValueError(f"unknown parameter kind {kind!r}")
        return out

    def _adapt(self, compiler: SQLCompiler, name: str, value: Any) -> Any:
        if self.params[name] == "datetime":
            return compiler.connection.ops.adapt_datetimefield_value(value)
        return str(value) if self.params[name] == "str" else int(value)

    def _compiled(self) -> tuple[SQLCompiler, str, tuple, list[tuple[int, str]], list[str]]:
        compiled = getattr(self._local, "compiled", None)
        if compiled is None or compiled[0].connection is not connections[compiled[0].using]:
            compiled = self._local.compiled = self._compile()
        return compiled

    def _compile(self) -> tuple[SQLCompiler, str, tuple, list[tuple[int, str]], list[str]]:
        samples = self._sentinels()
        qs = self.build(**samples)
        compiler = qs.query.get_compiler(using=qs.db)
        sql, params = compiler.as_sql()
        slots = []
        for name, sample in samples.items():
            adapted = self._adapt(compiler, name, sample)
            found = [i for i, p in enumerate(params) if p in (adapted, sample)]
            if len(found) != 1:  # a sentinel folded into the SQL, or used twice: not preparable
                raise ValueError(f"parameter {name!r} appears {len(found)} times in {sql}")
            slots.append((found[0], name))
        query = qs.query
        # The row's column order, as django.db.models.query.ValuesIterable reads it.
        if query.selected:
            names = list(query.selected)
        else:
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
        return compiler, sql, tuple(params), slots, names
