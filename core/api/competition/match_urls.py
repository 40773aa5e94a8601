from django.urls import path

from . import host_tools_views as tools
from . import match_views as views
from . import matchday_views as matchday

urlpatterns = [
    path("<int:match_id>/", views.MatchDetailView.as_view()),
    path("<int:match_id>/credentials/", views.MatchCredentialsView.as_view()),
    path("<int:match_id>/history/", matchday.MatchHistoryView.as_view()),
    path("<int:match_id>/reschedule/", tools.MatchRescheduleView.as_view()),
    path("<int:match_id>/cancel/", tools.MatchCancelView.as_view()),
    path("<int:match_id>/disputes/", matchday.MatchDisputesView.as_view()),
    path(
        "<int:match_id>/disputes/<int:dispute_id>/resolve/",
        matchday.DisputeResolveView.as_view(),
    ),
]
