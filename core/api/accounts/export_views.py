"""The account's data export (docs/api.md, "Account rights"): POST starts one, GET reads the
latest; the archive itself downloads from the emailed signed link, `account_export_download`.

Starting is a POST, not the GET the export is read with: a GET must be safe to repeat, and link
prefetchers and crawlers would otherwise start exports."""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error
from core.errors import NotFound
from core.models import AccountExport
from core.models.storage import private_storage
from core.services.account_exports import (
    ExportLinkError,
    export_for_token,
    export_latest,
    export_request,
)

TAGS = ["accounts"]


class AccountExportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AccountExport.Status.choices)
    created_at = serializers.DateTimeField()
    ready_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(
        allow_null=True, help_text="When the emailed link stops working and the archive goes"
    )
    size = serializers.IntegerField(help_text="Bytes of the zip (0 until ready)")


EXAMPLE = OpenApiExample(
    "ready",
    value={
        "id": 7,
        "status": "ready",
        "created_at": "2026-12-02T10:00:00Z",
        "ready_at": "2026-12-02T10:00:02Z",
        "expires_at": "2026-12-03T10:00:02Z",
        "size": 18342,
    },
    response_only=True,
)


def _body(export: AccountExport) -> dict:
    return AccountExportSerializer(export).data


class AccountExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        responses={200: AccountExportSerializer, **error(404, "`not_found`: no export asked yet")},
        examples=[EXAMPLE],
        summary="The latest data export and its state (the link itself is emailed)",
    )
    def get(self, request: Request) -> Response:
        export = export_latest(user=request.user)
        if export is None:
            raise NotFound("No export has been asked for yet.")
        return Response(_body(export))

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={202: AccountExportSerializer},
        examples=[EXAMPLE],
        summary="Ask for an archive of everything about the account, emailed as a one-day link",
    )
    def post(self, request: Request) -> Response:
        export = export_request(user=request.user)
        return Response(_body(export), status=status.HTTP_202_ACCEPTED)


@require_GET
def account_export_download(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: works without signing in (the link is the credential), for one
    export, until it expires."""
    try:
        export = export_for_token(token)
    except ExportLinkError as exc:
        if exc.reason == "bad":
            return HttpResponse("This download link is not valid.", status=400)
        return HttpResponse("This download link has expired; ask for a new export.", status=410)
    response = FileResponse(
        private_storage.open(export.file_name, "rb"),
        as_attachment=True,
        filename=f"scrimverse-export-{export.user_id}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response
