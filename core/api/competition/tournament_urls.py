"""Mounted at tournaments/<id>/ and scrims/<id>/ ahead of the tournaments area's own routes."""

from django.urls import path

from core.api.stats.views import TournamentMvpView

from . import host_tools_views, matchday_views, views

urlpatterns = [
    path("rounds/", views.RoundListView.as_view()),
    path("rounds/<int:round_id>/complete/", views.RoundCompleteView.as_view()),
    path("rounds/<int:round_id>/matches/", host_tools_views.BulkMatchesView.as_view()),
    path("groups/", views.GroupListView.as_view()),
    path("groups/<int:group_id>/release-credentials/", host_tools_views.GroupReleaseView.as_view()),
    path("matches/", views.MatchListView.as_view()),
    path("standings/", views.StandingsView.as_view()),
    path("top-fraggers/", views.TopFraggersView.as_view()),
    path("mvp/", TournamentMvpView.as_view()),
    path("select-winner/", views.SelectWinnerView.as_view()),
    path("announcements/", views.AnnouncementListView.as_view()),
    path("check-in/", matchday_views.CheckInView.as_view()),
    path("check-in/undo/", matchday_views.CheckInUndoView.as_view()),
]
