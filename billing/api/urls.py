"""/api/payments/…"""

from django.urls import path

from . import views as v

urlpatterns = [
    path("plans/", v.PlansView.as_view(), name="payment-plans"),
    path("initiate/", v.InitiateView.as_view(), name="payment-initiate"),
    path("callback/", v.CallbackView.as_view(), name="payment-callback"),
    path("status/<str:merchant_order_id>/", v.StatusView.as_view(), name="payment-status"),
    path("history/", v.HistoryView.as_view(), name="payment-history"),
]
