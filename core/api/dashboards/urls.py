from django.urls import path

from core.api.dashboards import views

urlpatterns = [
    path("dashboard/", views.HostDashboardView.as_view(), name="host-dashboard"),
    path("dashboard/takings.csv", views.HostTakingsCsvView.as_view(), name="host-takings-csv"),
]
