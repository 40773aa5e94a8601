"""Private files through the API's own check (docs/api.md, "Private files").

`GET /api/accounts/hosts/<id>/document/` answers the host themselves and staff with a link that
works for PRIVATE_URL_SECONDS: S3's presigned URL, or on local disk this server's signed link,
which `private_file_page` streams. No other URL reaches the file. The admin's link goes through
the same check (core/admin/accounts.py).
"""

import mimetypes
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.images import absolute
from core.api.schema import error
from core.media.storage import private_name_from_token, private_storage, private_url
from core.selectors.users import host_document_name

NO_STORE = "private, no-store"


class PrivateLinkSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Absolute; stops working after `expires_in` seconds")
    expires_in = serializers.IntegerField(help_text="PRIVATE_URL_SECONDS (default 300)")


def private_link(request: HttpRequest, name: str) -> dict[str, Any]:
    url = private_url(name)
    return {"url": absolute(request, url), "expires_in": settings.PRIVATE_URL_SECONDS}


class HostDocumentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["accounts"],
        summary="A short-lived link to a host's identity document (the host and staff only)",
        responses={
            200: PrivateLinkSerializer,
            **error(404, "`not_found`: no document, or not yours to see"),
        },
    )
    def get(self, request: Request, user_id: int) -> Response:
        name = host_document_name(actor=request.user, user_id=user_id)
        response = Response(PrivateLinkSerializer(private_link(request, name)).data)
        response["Cache-Control"] = NO_STORE
        return response


@require_http_methods(["GET"])
def private_file_page(request: HttpRequest, token: str) -> FileResponse:
    """A signed local link (private_url): the file while the link lasts, 404 after."""
    name = private_name_from_token(token)
    if name is None or not private_storage.exists(name):
        raise Http404("This link has expired.")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        private_storage.open(name, "rb"), as_attachment=True, content_type=content_type
    )
    response["Cache-Control"] = NO_STORE
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
