"""Public profiles: what anyone may read about a player or a host (no e-mail, no in-game ids)."""

from rest_framework import serializers

from core.api.accounts.serializers import GameProfileSerializer
from core.api.images import ImageVariantsField
from core.api.schema import FileUrlField
from core.api.stats.serializers import GameStatsSerializer


class PublicGameProfileSerializer(GameProfileSerializer):
    """In-game names are public; in-game ids (what a host needs to invite into a custom room) are
    shown only to hosts, through their tournaments' registrations."""

    class Meta(GameProfileSerializer.Meta):
        fields = ["game", "game_name", "in_game_name"]


class PublicTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="team.id")
    name = serializers.CharField(source="team.name")
    tag = serializers.CharField(source="team.tag")
    game = serializers.CharField(source="team.game.slug")
    role = serializers.CharField()


class PlayerStatsSerializer(serializers.Serializer):
    tournaments_played = serializers.IntegerField()
    teams = serializers.IntegerField()
    games = GameStatsSerializer(many=True, help_text="match statistics, one row per game")


class PublicPlayerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.display_name")
    avatar = FileUrlField(source="user.avatar")
    avatar_variants = ImageVariantsField(source="user.avatar_variants")
    bio = serializers.CharField(source="user.bio")
    date_joined = serializers.DateTimeField(source="user.date_joined")
    game_profiles = PublicGameProfileSerializer(source="user.game_profiles", many=True)
    teams = PublicTeamSerializer(source="user.team_memberships", many=True)
    stats = PlayerStatsSerializer()


class HostStatsSerializer(serializers.Serializer):
    tournaments_hosted = serializers.IntegerField()
    tournaments_completed = serializers.IntegerField()
    tournaments_live = serializers.IntegerField()


class HostRatingSummarySerializer(serializers.Serializer):
    average = serializers.FloatField(
        allow_null=True, help_text="1..5, two decimals; null before the first rating"
    )
    count = serializers.IntegerField()


class PublicHostSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.display_name")
    avatar = FileUrlField(source="user.avatar")
    avatar_variants = ImageVariantsField(source="user.avatar_variants")
    bio = serializers.CharField(source="user.bio")
    organization = serializers.CharField(source="profile.organization", default="")
    website = serializers.CharField(source="profile.website", default="", help_text='a URL, or ""')
    verified = serializers.BooleanField(source="user.is_verified_host")
    stats = HostStatsSerializer()
    rating = HostRatingSummarySerializer()
