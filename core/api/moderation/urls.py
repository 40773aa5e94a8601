from django.urls import path

from core.api.moderation import views

urlpatterns = [
    path("reports/", views.ReportCreateView.as_view(), name="report-create"),
    path("admin/reports/", views.ReportQueueView.as_view(), name="staff-reports"),
    path(
        "admin/reports/<int:report_id>/resolve/",
        views.ReportResolveView.as_view(),
        name="staff-report-resolve",
    ),
]
