"""config/urls.py: the OpenAPI schema and its docs are served, and the schema is valid."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_and_docs_are_served(client: Any) -> None:
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_openapi_schema_is_valid_without_warnings(tmp_path: Path) -> None:
    # --fail-on-warn: a name collision between components silently documents the wrong body.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "/api/tournaments/{id}/register/" in (tmp_path / "s.yml").read_text()
