from .env import env

__all__ = [
    "AUTHENTICATION_BACKENDS",
    "SOCIAL_AUTH_GOOGLE_OAUTH2_KEY",
    "SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET",
    "SOCIAL_AUTH_JSONFIELD_ENABLED",
    "SOCIAL_AUTH_PIPELINE",
    "SOCIAL_AUTH_RAISE_EXCEPTIONS",
    "SOCIAL_AUTH_USER_MODEL",
]

AUTHENTICATION_BACKENDS = [
    "core.auth.google.GoogleTokenAuth",
    "django.contrib.auth.backends.ModelBackend",
]
# The OAuth client id is also the audience an ID token must carry.
SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = env.str("GOOGLE_CLIENT_ID", default="")
SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = env.str("GOOGLE_CLIENT_SECRET", default="")
SOCIAL_AUTH_USER_MODEL = "core.User"
SOCIAL_AUTH_JSONFIELD_ENABLED = True
SOCIAL_AUTH_RAISE_EXCEPTIONS = True
# social_core's default pipeline, with our own step instead of associate_by_email: an existing
# account is linked only when Google says the email is verified.
SOCIAL_AUTH_PIPELINE = (
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_uid",
    "social_core.pipeline.social_auth.auth_allowed",
    "social_core.pipeline.social_auth.social_user",
    "core.auth.google.associate_by_verified_email",
    "core.auth.google.create_player",
    "social_core.pipeline.social_auth.associate_user",
    "social_core.pipeline.social_auth.load_extra_data",
    "social_core.pipeline.user.user_details",
)
