"""Shapes of /api/webhooks/ (docs/api.md, docs/webhooks.md)."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core.api import strict
from core.api.params import MAX_ID
from core.api.schema import example
from core.models import WebhookDelivery, WebhookEndpoint

EVENTS = serializers.ListField(
    child=serializers.ChoiceField(choices=list(WebhookEndpoint.EVENTS)),
    min_length=1,
    max_length=len(WebhookEndpoint.EVENTS),
    help_text="Any of: " + ", ".join(WebhookEndpoint.EVENTS),
)


@extend_schema_serializer(
    examples=[
        example(
            "A Discord channel for one tournament",
            {
                "url": "https://discord.com/api/webhooks/123/abc",
                "kind": "discord",
                "events": ["match.result", "winner", "announcement"],
                "tournament": 1,
            },
        ),
        example(
            "Every event of every tournament I host",
            {
                "url": "https://bot.example.com/scrimverse",
                "events": ["registration", "match.result", "standings", "winner", "announcement"],
            },
        ),
    ]
)
class EndpointCreateSerializer(strict.Serializer):
    url = serializers.CharField(max_length=500, help_text="http(s); a public host in production")
    kind = serializers.ChoiceField(
        choices=WebhookEndpoint.Kind.values, default=WebhookEndpoint.Kind.GENERIC
    )
    events = EVENTS
    tournament = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="One of your tournaments; left out or null: all of them",
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)


@extend_schema_serializer(
    examples=[
        example("Enable again after a fix", {"enabled": True}),
        example("Fewer events", {"events": ["winner"]}),
    ]
)
class EndpointUpdateSerializer(strict.Serializer):
    url = serializers.CharField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=list(WebhookEndpoint.EVENTS)),
        min_length=1,
        max_length=len(WebhookEndpoint.EVENTS),
        required=False,
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)
    enabled = serializers.BooleanField(required=False)


ENDPOINT_FIELDS = [
    "id",
    "url",
    "kind",
    "events",
    "tournament",
    "description",
    "enabled",
    "consecutive_failures",
    "failing_since",
    "disabled_reason",
    "paused_until",
    "created_at",
    "updated_at",
]


class EndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = WebhookEndpoint
        fields = ENDPOINT_FIELDS


class EndpointWithSecretSerializer(EndpointSerializer):
    """The owner's view of one endpoint: with the signing secret."""

    class Meta:
        model = WebhookEndpoint
        fields = [*ENDPOINT_FIELDS, "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "created_at",
            "payload",
        ]
