from .env import env

__all__ = ["REGISTRATION_HOLD_MINUTES"]

# How long a registration with an entry fee holds its seat while the payment completes.
REGISTRATION_HOLD_MINUTES = env.int("REGISTRATION_HOLD_MINUTES", default=15)
