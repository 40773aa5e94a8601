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


urlpatterns = [
    path("__bench__/bare/", bare),
    path("__bench__/queries/", queries),
    *project_urlpatterns,
]
