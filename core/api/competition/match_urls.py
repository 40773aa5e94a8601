from django.urls import path

from . import match_views as views

urlpatterns = [
    path("<int:match_id>/", views.MatchDetailView.as_view()),
    path("<int:match_id>/credentials/", views.MatchCredentialsView.as_view()),
]
