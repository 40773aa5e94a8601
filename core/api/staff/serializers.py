from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core.api import strict
from core.api.dashboards.serializers import RevenueSerializer, SeriesSerializer
from core.api.schema import example
from core.models import HostProfile, User


class StaffUserSerializer(serializers.ModelSerializer):
    email_verified = serializers.BooleanField(source="is_email_verified", read_only=True)
    host_status = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "display_name",
            "role",
            "is_active",
            "is_staff",
            "email_verified",
            "host_status",
            "date_joined",
            "last_login",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(choices=HostProfile.Status.choices, allow_null=True)
    )
    def get_host_status(self, user: User) -> str | None:
        profile = getattr(user, "host_profile", None)
        return profile.status if profile else None


@extend_schema_serializer(
    examples=[example("Suspend", {"is_active": False}), example("Reinstate", {"is_active": True})]
)
class StaffUserUpdateSerializer(strict.Serializer):
    """Only suspension is decided here; role and staff flags are not editable over the API."""

    whole_on_patch = True

    is_active = serializers.BooleanField(help_text="false suspends the account, true reinstates it")


@extend_schema_serializer(
    examples=[
        example(
            "A reason the host is emailed",
            {"reason": "The registration document is unreadable: upload a clearer scan."},
        )
    ]
)
class RejectHostSerializer(strict.Serializer):
    reason = serializers.CharField(max_length=2000)


class HostDecisionSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    status = serializers.CharField()
    reviewed_at = serializers.DateTimeField()
    rejection_reason = serializers.CharField()


class CountsSerializer(serializers.Serializer):
    by_status = serializers.DictField(child=serializers.IntegerField())


class UserCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    active = serializers.IntegerField()
    suspended = serializers.IntegerField()
    email_verified = serializers.IntegerField()
    staff = serializers.IntegerField()
    by_role = serializers.DictField(child=serializers.IntegerField())


class HostCountsSerializer(CountsSerializer):
    pending_review = serializers.IntegerField()


class TournamentCountsSerializer(CountsSerializer):
    by_kind = serializers.DictField(child=serializers.IntegerField())


class StatsSerializer(serializers.Serializer):
    revenue = RevenueSerializer(help_text="over the period, paise")
    series = SeriesSerializer(help_text="one value per day of the period")
    users = UserCountsSerializer()
    hosts = HostCountsSerializer()
    tournaments = TournamentCountsSerializer()
    registrations = CountsSerializer()
