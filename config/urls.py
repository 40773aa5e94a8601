from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from billing.pages import payment_return_page
from core.admin.analytics import analytics_view
from core.api import health
from core.api.accounts import documents, export_views
from core.api.accounts import pages as account_pages
from core.api.dashboards.pages import host_dashboard_page
from core.api.observability import metrics_view
from core.api.schema_view import SchemaView

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # For Prometheus (token or allow-list): not an API operation, so not in the schema.
    path("metrics", metrics_view, name="metrics"),
    # Staff analytics (charts) inside the admin, behind its staff login.
    path("admin/analytics/", admin.site.admin_view(analytics_view), name="admin-analytics"),
    path("admin/", admin.site.urls),
    path("host/dashboard/", host_dashboard_page, name="host-dashboard-page"),
    # The pages email links open (verification, password reset) on the embedded setup.
    path("verify-email/", account_pages.verify_email_page, name="verify-email-page"),
    path("reset-password/", account_pages.reset_password_page, name="reset-password-page"),
    # One-click unsubscribe from one notification kind's email (signed token, no sign-in).
    path("unsubscribe/", account_pages.unsubscribe_page, name="unsubscribe-page"),
    # Signed, short-lived links to private files on local disk (core/media/storage.py).
    path("private-files/<str:token>/", documents.private_file_page, name="private-file"),
    # The emailed link to an account's data export (signed, a day).
    path(
        "account-export/<str:token>/",
        export_views.account_export_download,
        name="account-export-download",
    ),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path(
        "payments/return/<str:merchant_order_id>/",
        payment_return_page,
        name="payment-return-page",
    ),
    path("api/realtime/", include("realtime.urls")),
    path("api/payments/", include("billing.api.urls")),
    path("api/", include("core.api.urls")),
    path("", include("realtime.page_urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "core.api.errors.handler400"
handler403 = "core.api.errors.handler403"
handler404 = "core.api.errors.handler404"
handler500 = "core.api.errors.handler500"
