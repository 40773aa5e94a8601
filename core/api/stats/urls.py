"""/api/stats/: the match statistics of players and teams."""

from django.urls import path

from . import views

urlpatterns = [
    path("players/<int:user_id>/", views.PlayerStatsView.as_view()),
    path("teams/<int:team_id>/", views.TeamStatsView.as_view()),
]
