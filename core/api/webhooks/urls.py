from django.urls import path

from . import views

urlpatterns = [
    path("", views.EndpointListView.as_view()),
    path("<int:endpoint_id>/", views.EndpointDetailView.as_view()),
    path("<int:endpoint_id>/deliveries/", views.DeliveryListView.as_view()),
    path("<int:endpoint_id>/ping/", views.EndpointPingView.as_view()),
    path("<int:endpoint_id>/rotate-secret/", views.EndpointRotateSecretView.as_view()),
]
