from pathlib import Path

from .env import BASE_DIR, DEBUG, DEV_SECRET_KEY, VAR_DIR, env

__all__ = [
    "ACCOUNT_DELETE_FRESH_LOGIN_MINUTES",
    "ALLOWED_HOSTS",
    "ASGI_APPLICATION",
    "AUTH_PASSWORD_VALIDATORS",
    "AUTH_THROTTLE_RATES",
    "AUTH_USER_MODEL",
    "BASE_DIR",
    "CSRF_FAILURE_VIEW",
    "DEBUG",
    "DEFAULT_AUTO_FIELD",
    "EMAIL_VERIFICATION_MAX_AGE",
    "FRONTEND_URL",
    "INSTALLED_APPS",
    "LANGUAGE_CODE",
    "MIDDLEWARE",
    "REST_FRAMEWORK",
    "ROOT_URLCONF",
    "SECRET_KEY",
    "SITE_NAME",
    "SPECTACULAR_SETTINGS",
    "STATICFILES_DIRS",
    "STATIC_ROOT",
    "STATIC_URL",
    "TEMPLATES",
    "TIME_ZONE",
    "USE_I18N",
    "USE_TZ",
    "VAR_DIR",
    "WSGI_APPLICATION",
]

# Production (DJANGO_DEBUG=false) refuses to start without a real secret.
SECRET_KEY = (
    env.str("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY) if DEBUG else env.str("DJANGO_SECRET_KEY")
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_NAME = env.str("SITE_NAME", default="Scrimverse")
# Links in emails point here (the web front end, or this server's own pages by default).
FRONTEND_URL = env.str("FRONTEND_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc as our own static files (works offline)
    "social_django",
    "channels",
    "core",
    "realtime",
    "billing",
]

MIDDLEWARE = [
    # Before everything: the request id is bound for every log line, and the time counted, of
    # whatever answers (core/api/observability.py).
    "core.api.observability.RequestObservabilityMiddleware",
    # Outermost: an /api/ error page of any origin is answered in the one JSON error shape.
    "core.api.errors.JsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the request: NUL characters in the path or query, oversized bodies.
    "core.api.input_guard.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "core.api.errors.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email verification links stay valid this long (seconds).
EMAIL_VERIFICATION_MAX_AGE = env.int("EMAIL_VERIFICATION_MAX_AGE", default=3 * 24 * 3600)
# Deleting an account without a usable password (Google sign-in) needs a sign-in this recent.
ACCOUNT_DELETE_FRESH_LOGIN_MINUTES = env.int("ACCOUNT_DELETE_FRESH_LOGIN_MINUTES", default=10)

# Attempts per window for the sensitive auth endpoints, counted atomically in the cache.
AUTH_THROTTLE_RATES = {
    "login": env.str("THROTTLE_LOGIN", default="10/min"),
    "register": env.str("THROTTLE_REGISTER", default="10/hour"),
    "password_reset": env.str("THROTTLE_PASSWORD_RESET", default="5/hour"),
    "email_resend": env.str("THROTTLE_EMAIL_RESEND", default="5/hour"),
    "report": env.str("THROTTLE_REPORT", default="20/hour"),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    # Bodies are size-, depth- and NUL-checked as they are parsed (core/api/input_guard.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.api.input_guard.GuardedJSONParser",
        "core.api.input_guard.GuardedFormParser",
        "core.api.input_guard.GuardedMultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Proxies in front of the server (throttles read the client address behind them).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0) or None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Scrimverse live match server API",
    "DESCRIPTION": "Tournaments, scrims, registrations, live results and payments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    # Every operation's error answers and its anonymous access come from core.api.schema.ApiSchema;
    # the serializers' cross-field rules join their components after the enums are named.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.apply_schema_rules",
    ],
    # The docs pages load Swagger UI / Redoc from this server's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # "Authorize" keeps the pasted `Bearer <access>` across reloads of the page.
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "deepLinking": True},
    # Several serializers have a `role` field with different choices; name each set once.
    "ENUM_NAME_OVERRIDES": {
        "TeamRoleEnum": "core.models.teams.TeamMembership.Role",
        "TeamJoinRoleEnum": "core.api.teams.serializers.JOINABLE_ROLE_CHOICES",
        "UserRoleEnum": "core.models.users.User.Role",
        "TournamentStatusEnum": "core.models.tournaments.Tournament.Status",
        "RegistrationStatusEnum": "core.models.tournaments.Registration.Status",
        "MatchStatusEnum": "core.models.competition.Match.Status",
        "RoundStatusEnum": "core.models.competition.Round.Status",
        "HostStatusEnum": "core.models.users.HostProfile.Status",
        "InviteStatusEnum": "core.models.teams.TeamInvite.Status",
        "JoinRequestStatusEnum": "core.models.teams.TeamJoinRequest.Status",
        "WebhookKindEnum": "core.models.webhooks.WebhookEndpoint.Kind",
        "WebhookDeliveryStatusEnum": "core.models.webhooks.WebhookDelivery.Status",
        "PaymentStateEnum": "billing.models.Payment.State",
        "PaymentPurposeEnum": "billing.models.Payment.Purpose",
        "TournamentKindEnum": "core.models.tournaments.Tournament.Kind",
        "EvidenceKindEnum": "core.api.competition.matchday_serializers.EVIDENCE_KINDS",
        "DisputeActionEnum": "core.api.competition.matchday_serializers.DISPUTE_ACTIONS",
        "DisputeStatusEnum": "core.models.matchday.MatchDispute.Status",
        "ResultFaceEnum": "core.models.matchday.ResultChange.Face",
        "ReportStatusEnum": "core.models.moderation.Report.Status",
        "ReportActionEnum": "core.models.moderation.Report.Action",
    },
}
