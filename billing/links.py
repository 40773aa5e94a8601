"""The URL PhonePe sends the payer back to after checkout, and the key it carries.

The key lets the payer's browser see its own payment on the return page without signing in
(checkout often happens on a phone that holds no session), while an order id alone, guessed or
seen elsewhere, shows nothing. The page asks PhonePe for the state: the redirect proves nothing.
"""

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

RETURN_SALT = "billing.payment-return"


def return_key(merchant_order_id: str) -> str:
    return signing.Signer(salt=RETURN_SALT).signature(merchant_order_id)


def return_key_ok(merchant_order_id: str, key: str) -> bool:
    return bool(key) and constant_time_compare(key, return_key(merchant_order_id))


def return_url(merchant_order_id: str) -> str:
    key = return_key(merchant_order_id)
    return f"{settings.FRONTEND_URL}/payments/return/{merchant_order_id}/?key={key}"
