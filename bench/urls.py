"""The project's URLs plus two bench-only views: the bare Django JSON view that the REST numbers
are compared with, and the database-query counter the connect storm reads."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from bench import querycount
from config.urls import handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def bare(request: HttpRequest) -> JsonResponse:
    """The floor for REST: Django's request/response cycle and middleware, no DRF, no database."""
    return JsonResponse({"id": 1, "title": "bare", "status": "live", "teams": 25})


def queries(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"queries": querycount.total(), "top": querycount.top()})


def memory(request: HttpRequest) -> JsonResponse:
    """Top allocation sites (BENCH_TRACEMALLOC=1 only): where memory per socket goes.
    ?mark=1 takes the baseline; later calls report growth since the baseline."""
    import tracemalloc

    global _baseline
    if not tracemalloc.is_tracing():
        return JsonResponse({"error": "start the server with BENCH_TRACEMALLOC=1"}, status=400)
    snap = tracemalloc.take_snapshot()
    if request.GET.get("mark") or _baseline is None:
        _baseline = snap
        return JsonResponse({"marked": True})
    key = request.GET.get("by", "lineno")
    stats = snap.compare_to(_baseline, key)[:40]
    return JsonResponse({"top": [str(s) for s in stats]})


_baseline = None

urlpatterns = [
    path("__bench__/memory/", memory),
    path("__bench__/bare/", bare),
    path("__bench__/queries/", queries),
    *project_urlpatterns,
]
