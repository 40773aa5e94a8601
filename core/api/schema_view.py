"""The OpenAPI document's view: drf-spectacular's, with generation one request at a time.

drf-spectacular's generator is not thread-safe (its lazily imported extension classes and its
GENERATOR_STATS singleton are shared: tfranzel/drf-spectacular#1123 and #1368). Under ASGI two
first requests for /api/schema/ at once answered 500 (`'NoneType' object has no attribute
'startswith'`), as CI's concurrent schemathesis roles showed. Generating takes a fraction of a
second and the document is read rarely, so a process-wide lock is the whole fix.
"""

import threading

from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response

_generation = threading.Lock()


class SchemaView(SpectacularAPIView):
    def _get_schema_response(self, request: Request) -> Response:
        with _generation:
            return super()._get_schema_response(request)
