from django.urls import path

from . import views

urlpatterns = [
    path("", views.RatingListView.as_view()),
    path("<int:rating_id>/", views.RatingDetailView.as_view()),
    path("<int:rating_id>/report/", views.RatingReportView.as_view()),
]
