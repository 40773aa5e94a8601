"""core's /api/ routes; each area keeps its own url module (config/urls.py mounts the other
apps' routes beside these)."""

from django.urls import include, path

from core.api.games import GameListView

urlpatterns = [
    path("accounts/teams/", include("core.api.teams.urls")),
    path("accounts/", include("core.api.competition.account_urls")),  # leaderboard, notifications
    path("accounts/", include("core.api.accounts.urls")),
    path("", include("core.api.moderation.urls")),  # reports/ and admin/reports/
    path("admin/", include("core.api.staff.urls")),
    path("hosts/me/", include("core.api.dashboards.urls")),
    path("games/", GameListView.as_view(), name="game-list"),
    path("matches/", include("core.api.competition.match_urls")),
    path("ratings/", include("core.api.ratings.urls")),
    path("webhooks/", include("core.api.webhooks.urls")),
    path("tournaments/<int:tournament_id>/", include("core.api.competition.tournament_urls")),
    path("scrims/<int:tournament_id>/", include("core.api.competition.tournament_urls")),
    path("", include("core.api.tournaments.urls")),  # tournaments/ and scrims/
]
