"""Mounted at /api/accounts/teams/ (see core/api/urls.py)."""

from django.urls import path

from . import roster_views, views

urlpatterns = [
    path("", views.TeamListCreateView.as_view(), name="team-list"),
    # The caller's own invites; literal paths come before <int:team_id>/.
    path("invites/", roster_views.MyInvitesView.as_view(), name="team-my-invites"),
    path(
        "invites/<int:invite_id>/accept/",
        roster_views.InviteAcceptView.as_view(),
        name="team-invite-accept",
    ),
    path(
        "invites/<int:invite_id>/decline/",
        roster_views.InviteDeclineView.as_view(),
        name="team-invite-decline",
    ),
    path("<int:team_id>/", views.TeamDetailView.as_view(), name="team-detail"),
    path(
        "<int:team_id>/join-request/",
        roster_views.JoinRequestCreateView.as_view(),
        name="team-join-request",
    ),
    path(
        "<int:team_id>/join-requests/",
        roster_views.JoinRequestListView.as_view(),
        name="team-join-requests",
    ),
    path(
        "<int:team_id>/join-requests/<int:request_id>/accept/",
        roster_views.JoinRequestAcceptView.as_view(),
        name="team-join-request-accept",
    ),
    path(
        "<int:team_id>/join-requests/<int:request_id>/reject/",
        roster_views.JoinRequestRejectView.as_view(),
        name="team-join-request-reject",
    ),
    path("<int:team_id>/invites/", roster_views.TeamInvitesView.as_view(), name="team-invites"),
    path("<int:team_id>/matches/", views.TeamMatchesView.as_view(), name="team-matches"),
    path("<int:team_id>/leave/", views.LeaveView.as_view(), name="team-leave"),
    path(
        "<int:team_id>/remove-member/", views.RemoveMemberView.as_view(), name="team-remove-member"
    ),
    path(
        "<int:team_id>/transfer-captaincy/",
        views.TransferCaptaincyView.as_view(),
        name="team-transfer-captaincy",
    ),
]
