from django.urls import path

from realtime.api import TicketView

urlpatterns = [path("tickets/", TicketView.as_view(), name="realtime-ticket")]
