"""The engine's routes under /api/accounts/ (leaderboard, notifications)."""

from django.urls import path

from . import account_views as views
from . import notification_views as nviews

urlpatterns = [
    path("leaderboard/", views.LeaderboardView.as_view()),
    path("notifications/", views.NotificationListView.as_view()),
    path("notifications/read-all/", views.NotificationReadAllView.as_view()),
    path("notifications/unread-count/", nviews.NotificationUnreadCountView.as_view()),
    path("notifications/unsubscribe/", nviews.NotificationUnsubscribeView.as_view()),
    path("me/notification-preferences/", nviews.NotificationPreferencesView.as_view()),
    path("notifications/<int:notification_id>/read/", views.NotificationReadView.as_view()),
]
