from django.urls import path

from core.api.staff import views

urlpatterns = [
    path("stats/", views.StatsView.as_view(), name="staff-stats"),
    path("users/", views.UserListView.as_view(), name="staff-users"),
    path("users/<int:user_id>/", views.UserDetailView.as_view(), name="staff-user"),
    path("approve-host/<int:user_id>/", views.ApproveHostView.as_view(), name="staff-approve-host"),
    path("reject-host/<int:user_id>/", views.RejectHostView.as_view(), name="staff-reject-host"),
]
