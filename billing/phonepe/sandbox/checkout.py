"""The customer's checkout page: what PhonePe's hosted page does, reduced to Pay and Fail."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .http import Request, Response, html_response, redirect

if TYPE_CHECKING:
    from .book import Order
    from .state import SandboxState

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PhonePe sandbox checkout</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; }}
.amount {{ font-size: 2rem; font-weight: 600; }}
form {{ display: inline-block; margin-right: .5rem; }}
button {{ font-size: 1rem; padding: .6rem 1.4rem; border-radius: .4rem; border: 0; }}
.pay {{ background: #5f259f; color: #fff; }} .fail {{ background: #ddd; }}
.note {{ color: #666; font-size: .85rem; margin-top: 2rem; }}
</style></head><body>
<h1>PhonePe sandbox</h1>
<p>{message}</p>
<p class="amount">&#8377;{rupees}</p>
<p>Order <code>{merchant_order_id}</code> &middot; {state}</p>
{body}
<p class="note">Local sandbox: no money moves. Pay completes the order, Fail declines it; either
way the merchant gets a webhook and your browser goes back to the merchant.</p>
</body></html>
"""

BUTTONS = """<form method="post" action="/checkout/{order_id}/pay">
<button class="pay" type="submit" name="pay">Pay</button></form>
<form method="post" action="/checkout/{order_id}/fail">
<button class="fail" type="submit" name="fail">Fail</button></form>"""


def _rupees(paise: int) -> str:
    return f"{paise // 100}.{paise % 100:02d}"


def render(order: Order) -> str:
    if order.state == "PENDING":
        body = BUTTONS.format(order_id=escape(order.order_id))
    elif order.redirect_url:
        body = f'<p><a href="{escape(order.redirect_url)}">Back to the merchant</a></p>'
    else:
        body = ""
    return PAGE.format(
        message=escape(order.message or "Payment"),
        rupees=_rupees(order.amount),
        merchant_order_id=escape(order.merchant_order_id),
        state=escape(order.state),
        body=body,
    )


def _not_found() -> Response:
    return html_response(404, "<!doctype html><title>Not found</title><h1>No such order</h1>")


def page(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    order = app.book.get_order_by_phonepe_id(params["order_id"])
    return _not_found() if order is None else html_response(200, render(order))


def action(app: SandboxState, request: Request, params: dict[str, str]) -> Response:
    order = app.book.get_order_by_phonepe_id(params["order_id"])
    if order is None:
        return _not_found()
    # A double click or a back-button resubmit must not settle twice: only PENDING settles.
    if order.state == "PENDING":
        app.settle_order(order, "COMPLETED" if params["action"] == "pay" else "FAILED")
    if order.redirect_url:
        return redirect(order.redirect_url)
    return html_response(200, render(order))
