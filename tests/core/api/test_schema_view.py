"""The schema view under concurrent first requests (drf-spectacular's generator is not
thread-safe: core/api/schema_view.py)."""

import json

from django.test import Client

from core.api import schema_view
from tests.support.concurrency import run_at_once


def test_concurrent_schema_requests_all_get_the_same_document() -> None:
    def fetch() -> tuple[int, str]:
        response = Client().get("/api/schema/?format=json")
        return response.status_code, response.content.decode()

    results = run_at_once([fetch] * 4)
    assert [status for status, _ in results] == [200] * 4
    documents = {json.dumps(json.loads(body), sort_keys=True) for _, body in results}
    assert len(documents) == 1


def test_generation_holds_the_process_lock(monkeypatch) -> None:
    seen: list[bool] = []
    original = schema_view.SpectacularAPIView._get_schema_response

    def spy(self, request):
        seen.append(schema_view._generation.locked())
        return original(self, request)

    monkeypatch.setattr(schema_view.SpectacularAPIView, "_get_schema_response", spy)
    assert Client().get("/api/schema/?format=json").status_code == 200
    assert seen == [True]
