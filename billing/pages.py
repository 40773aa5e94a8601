"""The page PhonePe sends the payer back to: /payments/return/<merchant_order_id>/?key=….

It shows the payment's state (asking PhonePe first while it is open, and refreshing itself until
it settles), what it was for and a link back to the tournament. It shows a payment only to the
browser holding its return key (billing/links.py) or to its signed-in owner; anyone else gets the
same 404 as for an order that does not exist.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from billing.models import Payment
from billing.selectors import payment_for_return_page
from billing.services.common import rupees
from billing.services.payments import payment_sync

REFRESH_SECONDS = 3
# The pages load only their own styles; nothing here runs a script.
PAGE_CSP = "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'"
HEADLINES = {
    Payment.State.CREATED: "Waiting for PhonePe…",
    Payment.State.PENDING: "Waiting for PhonePe…",
    Payment.State.COMPLETED: "Payment completed",
    Payment.State.FAILED: "Payment failed",
    Payment.State.EXPIRED: "Payment expired",
    Payment.State.REFUNDED: "Payment refunded",
    Payment.State.PARTIALLY_REFUNDED: "Payment partly refunded",
}


@never_cache
def payment_return_page(request: HttpRequest, merchant_order_id: str) -> HttpResponse:
    key = request.GET.get("key", "")
    payment = payment_for_return_page(
        merchant_order_id=merchant_order_id, key=key, viewer=request.user
    )
    if payment is None:
        return _page(request, "pages/error.html", {"message": "No such payment."}, status=404)
    if payment.state in Payment.OPEN_STATES:
        payment_sync(payment=payment)  # PhonePe's answer, not the redirect, decides
        payment.refresh_from_db()
    return _page(request, "pages/payment_return.html", _context(payment))


def _context(payment: Payment) -> dict[str, Any]:
    tournament = payment.tournament
    if payment.purpose == Payment.Purpose.ENTRY_FEE:
        team = payment.registration.team.name if payment.registration else "your team"
        what = f"Entry fee for {team}"
    else:
        what = f"{payment.plan.capitalize() or 'Plan'} plan fee"
    shown = tournament is not None and tournament.status != tournament.Status.DRAFT
    return {
        "payment": payment,
        "headline": HEADLINES.get(payment.state, payment.get_state_display()),
        "what": what,
        "tournament": tournament,
        "tournament_url": f"/live/{tournament.pk}/" if shown else None,
        "amount": rupees(payment.amount),
        "refresh": REFRESH_SECONDS if payment.state in Payment.OPEN_STATES else None,
    }


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Content-Security-Policy"] = PAGE_CSP
    response["Referrer-Policy"] = "no-referrer"  # the URL carries the payment's key
    return response
