"""The one pagination of the API: `{count, next, previous, results}` with `?page=` and
`?page_size=` (1..100, default 20). A page or page size that is not such a number is 400; a page
past the last is 404 `not_found` (docs/api.md, Conventions)."""

from typing import Any

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination as _Base
from rest_framework.request import Request

from core.api.params import MAX_ID, int_parameter, query_int

# For a view whose paginated answer is documented by hand (payment history).
PAGE_PARAMETERS = [
    int_parameter("page", "A page number from 1 (404 past the last page)."),
    int_parameter("page_size", "Results per page (default 20).", maximum=100),
]


class PageNumberPagination(_Base):
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()

    def get_page_size(self, request: Request) -> int:
        params, name = request.query_params, self.page_size_query_param
        return query_int(params, name, maximum=self.max_page_size) or self.page_size

    def get_page_number(self, request: Request, paginator: Paginator) -> int:
        return query_int(request.query_params, self.page_query_param) or 1

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        envelope = super().get_paginated_response_schema(schema)
        envelope["required"] = ["count", "next", "previous", "results"]
        envelope["properties"]["count"]["minimum"] = 0
        return envelope

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        page, size = super().get_schema_operation_parameters(view)
        page["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        page["description"] = "A page number from 1 (404 past the last page)."
        size["schema"] = {
            "type": "integer",
            "minimum": 1,
            "maximum": self.max_page_size,
            "default": self.page_size,
        }
        return [page, size]
