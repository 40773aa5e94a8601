"""Shapes of the host dashboard and the staff analytics (money in integer paise)."""

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers


class DayCountSerializer(serializers.Serializer):
    date = serializers.DateField()
    count = serializers.IntegerField()


class HostTournamentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    max_teams = serializers.IntegerField()
    seats_taken = serializers.IntegerField()
    fill_rate = serializers.FloatField(help_text="seats_taken / max_teams")
    registrations = serializers.IntegerField(help_text="made in the period")
    registrations_by_day = DayCountSerializer(many=True)
    checked_in = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    results_entered = serializers.IntegerField(help_text="completed matches")
    disputes = serializers.IntegerField()
    disputes_open = serializers.IntegerField()
    spectators_now = serializers.IntegerField(
        help_text="Watching the live room now (the room hubs report every 2-10 s)"
    )
    spectators_peak = serializers.IntegerField(help_text="Most spectators at once, ever")
    takings = serializers.IntegerField(help_text="entry fees paid in the period, paise")
    refunds = serializers.IntegerField(help_text="paise")
    plan_fees = serializers.IntegerField(help_text="paise")
    net = serializers.IntegerField(help_text="takings - refunds - plan_fees, paise")


class HostTotalsSerializer(serializers.Serializer):
    registrations = serializers.IntegerField()
    checked_in = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    results_entered = serializers.IntegerField()
    disputes = serializers.IntegerField()
    takings = serializers.IntegerField()
    refunds = serializers.IntegerField()
    plan_fees = serializers.IntegerField()
    net = serializers.IntegerField()


_DAY = {"date": "2026-11-02", "count": 1}
_TOURNAMENT = {
    "id": 7,
    "title": "Weekend Cup",
    "status": "registration_open",
    "max_teams": 16,
    "seats_taken": 4,
    "fill_rate": 0.25,
    "registrations": 4,
    "registrations_by_day": [_DAY],
    "checked_in": 0,
    "no_shows": 0,
    "results_entered": 0,
    "disputes": 0,
    "disputes_open": 0,
    "spectators_now": 0,
    "spectators_peak": 0,
    "takings": 20000,
    "refunds": 5000,
    "plan_fees": 19900,
    "net": -4900,
}


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "One tournament, one day",
            response_only=True,
            value={
                "from": "2026-11-02",
                "to": "2026-11-02",
                "tournaments": [_TOURNAMENT],
                "totals": {k: _TOURNAMENT[k] for k in HostTotalsSerializer().fields},
            },
        )
    ]
)
class HostDashboardSerializer(serializers.Serializer):
    tournaments = HostTournamentSerializer(many=True)
    totals = HostTotalsSerializer()

    def get_fields(self) -> dict:
        fields = super().get_fields()
        # `from` is a Python keyword: declared here rather than as an attribute.
        return {"from": serializers.DateField(), "to": serializers.DateField(), **fields}


class MoneySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    gross = serializers.IntegerField()
    refunds = serializers.IntegerField()
    net = serializers.IntegerField()


class PlanMoneySerializer(MoneySerializer):
    plan = serializers.CharField()


class RevenueSerializer(serializers.Serializer):
    gross = serializers.IntegerField(help_text="paise")
    refunds = serializers.IntegerField(help_text="paise")
    net = serializers.IntegerField(help_text="paise")
    by_plan = PlanMoneySerializer(many=True, help_text="plan fees by plan")
    entry_fees = MoneySerializer()


class DayValueSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.IntegerField()


class SeriesSerializer(serializers.Serializer):
    signups = DayValueSerializer(many=True)
    tournaments = DayValueSerializer(many=True)
    registrations = DayValueSerializer(many=True)
    revenue = DayValueSerializer(many=True, help_text="net paise per day")
