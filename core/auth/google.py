"""Google sign-in (social-auth-app-django). Filled in by the accounts work."""

from social_core.backends.google import GoogleOAuth2


class GoogleTokenAuth(GoogleOAuth2):
    name = "google-oauth2"


def associate_by_verified_email(backend, details, user=None, *args, **kwargs):  # type: ignore[no-untyped-def]
    return None


def create_player(backend, details, user=None, *args, **kwargs):  # type: ignore[no-untyped-def]
    return None
