from django.urls import path

from core.api.accounts import documents, export_views, me_views, profile_views, views

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="accounts-register"),
    path("login/", views.LoginView.as_view(), name="accounts-login"),
    path("token/refresh/", views.RefreshView.as_view(), name="accounts-token-refresh"),
    path("logout/", views.LogoutView.as_view(), name="accounts-logout"),
    path("google-auth/", views.GoogleAuthView.as_view(), name="accounts-google-auth"),
    path("change-password/", views.ChangePasswordView.as_view(), name="accounts-change-password"),
    path("verify-email/", views.VerifyEmailView.as_view(), name="accounts-verify-email"),
    path(
        "verify-email/resend/",
        views.ResendVerificationView.as_view(),
        name="accounts-verify-email-resend",
    ),
    path("password-reset/", views.PasswordResetView.as_view(), name="accounts-password-reset"),
    path(
        "password-reset-confirm/",
        views.PasswordResetConfirmView.as_view(),
        name="accounts-password-reset-confirm",
    ),
    path("me/", me_views.MeView.as_view(), name="accounts-me"),
    path("me/export/", export_views.AccountExportView.as_view(), name="accounts-me-export"),
    path("profile/", profile_views.ProfileView.as_view(), name="accounts-profile"),
    path("players/<int:user_id>/", profile_views.PlayerPublicView.as_view(), name="player-public"),
    path("hosts/<int:user_id>/", profile_views.HostPublicView.as_view(), name="host-public"),
    path(
        "hosts/<int:user_id>/document/",
        documents.HostDocumentView.as_view(),
        name="host-document",
    ),
    path(
        "host-verification/",
        profile_views.HostVerificationView.as_view(),
        name="accounts-host-verification",
    ),
]
