"""/api/tournaments/… and /api/scrims/… (the same views, the second constrained to scrims)."""

from django.urls import path

from . import views as v


def _routes(prefix: str, kind: str | None, name: str) -> list:
    return [
        path(f"{prefix}/", v.TournamentListCreateView.as_view(kind=kind), name=f"{name}-list"),
        path(
            f"{prefix}/<int:pk>/", v.TournamentDetailView.as_view(kind=kind), name=f"{name}-detail"
        ),
        path(
            f"{prefix}/<int:pk>/publish/",
            v.TournamentPublishView.as_view(kind=kind),
            name=f"{name}-publish",
        ),
        path(
            f"{prefix}/<int:pk>/start/",
            v.TournamentStartView.as_view(kind=kind),
            name=f"{name}-start",
        ),
        path(
            f"{prefix}/<int:pk>/cancel/",
            v.TournamentCancelView.as_view(kind=kind),
            name=f"{name}-cancel",
        ),
        path(
            f"{prefix}/<int:pk>/register/",
            v.TournamentRegisterView.as_view(kind=kind),
            name=f"{name}-register",
        ),
        path(
            f"{prefix}/<int:pk>/withdraw/",
            v.TournamentWithdrawView.as_view(kind=kind),
            name=f"{name}-withdraw",
        ),
        path(
            f"{prefix}/<int:pk>/registrations/",
            v.RegistrationListView.as_view(kind=kind),
            name=f"{name}-registrations",
        ),
        path(
            f"{prefix}/<int:pk>/registrations/export/",
            v.RegistrationExportView.as_view(kind=kind),
            name=f"{name}-registrations-export",
        ),
        path(
            f"{prefix}/<int:pk>/registrations/<int:rid>/",
            v.RegistrationModerateView.as_view(kind=kind),
            name=f"{name}-registration-moderate",
        ),
    ]


urlpatterns = [
    path(
        "tournaments/my-registrations/",
        v.MyRegistrationsView.as_view(),
        name="my-registrations",
    ),
    *_routes("tournaments", None, "tournament"),
    *_routes("scrims", "scrim", "scrim"),
]
