"""realtime/pages.py: the spectator page and the overlay: who may open them, and what the page
shell holds."""

import importlib
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve

from core.models import Tournament
from realtime import page_urls
from tests.factories import TournamentFactory, UserFactory, team_with_roster
from tests.support.tournaments import confirm

pytestmark = pytest.mark.django_db


def live(client: Client, tournament_id: int, **params: str) -> Any:
    return client.get(f"/live/{tournament_id}/", params)


def overlay(client: Client, tournament_id: int, **params: str) -> Any:
    return client.get(f"/overlay/{tournament_id}/", params)


OpenPage = Callable[..., Any]


@pytest.mark.parametrize("open_page", [live, overlay])
def test_a_public_tournament_is_open_to_anyone(client: Client, open_page: OpenPage) -> None:
    tournament = TournamentFactory(status=Tournament.Status.LIVE)
    response = open_page(client, tournament.pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("open_page", [live, overlay])
def test_unknown_and_draft_tournaments_are_404(client: Client, open_page: OpenPage) -> None:
    draft = TournamentFactory(status=Tournament.Status.DRAFT)
    assert open_page(client, draft.pk).status_code == 404
    assert open_page(client, draft.pk + 1000).status_code == 404


@pytest.mark.parametrize("open_page", [live, overlay])
def test_private_tournament_refuses_strangers(client: Client, open_page: OpenPage) -> None:
    tournament = TournamentFactory(
        status=Tournament.Status.LIVE, visibility=Tournament.Visibility.PRIVATE
    )
    assert open_page(client, tournament.pk).status_code == 403  # anonymous
    client.force_login(UserFactory())
    response = open_page(client, tournament.pk)
    assert response.status_code == 403
    assert b"private" in response.content


@pytest.mark.parametrize("open_page", [live, overlay])
def test_private_tournament_admits_host_staff_and_players(
    client: Client, open_page: OpenPage
) -> None:
    tournament = TournamentFactory(
        status=Tournament.Status.LIVE, visibility=Tournament.Visibility.PRIVATE
    )
    team = team_with_roster(size=2)
    confirm(tournament, team)
    player = team.memberships.first().user
    for user in (tournament.host, UserFactory(is_staff=True), player):
        client.force_login(user)
        assert open_page(client, tournament.pk).status_code == 200, user


def test_unlisted_tournament_is_open_by_link(client: Client) -> None:
    tournament = TournamentFactory(
        status=Tournament.Status.LIVE, visibility=Tournament.Visibility.UNLISTED
    )
    assert live(client, tournament.pk).status_code == 200


def test_live_page_references_its_module_and_styles(client: Client) -> None:
    tournament = TournamentFactory(status=Tournament.Status.LIVE)
    html = live(client, tournament.pk).content.decode()
    assert '<script type="module" src="/static/live/live.js"></script>' in html
    assert 'href="/static/live/live.css"' in html
    assert f'data-tournament="{tournament.pk}"' in html
    assert 'data-mode="live"' in html
    assert 'data-slot="banner"' in html and 'data-slot="spectators"' in html


@pytest.mark.parametrize("open_page", [live, overlay])
def test_pages_have_no_inline_script_or_handlers(client: Client, open_page: OpenPage) -> None:
    """Data is rendered by the module with textContent; the page shell carries no inline code,
    and the CSP forbids it, so even a rendering bug could not run injected script."""
    tournament = TournamentFactory(status=Tournament.Status.LIVE, title='<img src=x onerror="1">')
    response = open_page(client, tournament.pk)
    html = response.content.decode()
    assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every <script> has a src
    assert "style=" not in html  # inline styles would break the CSP
    assert "<img src=x" not in html  # the title is not in the shell at all
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert response["Cache-Control"] == "no-store"


def test_overlay_passes_checked_options(client: Client) -> None:
    tournament = TournamentFactory(status=Tournament.Status.LIVE)
    html = overlay(client, tournament.pk, round="5", group="9", rows="8", theme="light").content
    html = html.decode()
    assert 'data-mode="overlay"' in html
    assert 'data-round="5"' in html and 'data-group="9"' in html and 'data-rows="8"' in html
    assert "theme-light" in html
    assert 'href="/static/live/overlay.css"' in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"rows": "500", "theme": "neon"}, ('data-rows="25"', "theme-dark")),
        ({"rows": "-3", "round": "x", "group": "1e3"}, ('data-rows="16"', 'data-round=""')),
        ({"rows": "0", "group": '"><script>'}, ('data-rows="16"', 'data-group=""')),
    ],
)
def test_overlay_clamps_bad_options(
    client: Client, params: dict[str, str], expected: tuple[str, str]
) -> None:
    tournament = TournamentFactory(status=Tournament.Status.LIVE)
    response = overlay(client, tournament.pk, **params)
    assert response.status_code == 200
    html = response.content.decode()
    for fragment in expected:
        assert fragment in html
    assert "<script>" not in html


def test_overlay_keeps_the_default_frame_options(client: Client) -> None:
    """OBS loads the overlay directly, not in a frame: no reason to weaken X-Frame-Options."""
    tournament = TournamentFactory(status=Tournament.Status.LIVE)
    assert overlay(client, tournament.pk)["X-Frame-Options"] == "DENY"


def test_static_files_are_routed_in_debug(settings: Any) -> None:
    """Under daphne alone (the default local run, the browser tests) the module must load: with
    DEBUG the page routes serve static files, without it they leave that to the proxy."""

    def routes_with(debug: bool) -> ModuleType:
        settings.DEBUG = debug
        clear_url_caches()
        return importlib.reload(page_urls)

    try:
        match = resolve("/static/live/live.js", routes_with(True))
        assert match.kwargs["path"] == "live/live.js"
        with pytest.raises(Resolver404):
            resolve("/static/live/live.js", routes_with(False))
    finally:
        routes_with(False)


def test_the_front_page_lists_public_tournaments_with_their_pages(client: Client) -> None:
    live = TournamentFactory(title="Live One", status=Tournament.Status.LIVE)
    soon = TournamentFactory(title="Open One")  # registration open
    done = TournamentFactory(title="Done One", status=Tournament.Status.COMPLETED)
    hidden = [
        TournamentFactory(title="Private One", status=Tournament.Status.LIVE, visibility="private"),
        TournamentFactory(title="Draft One", status=Tournament.Status.DRAFT),
    ]
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for t in (live, soon, done):
        assert t.title in html
        assert f'href="/live/{t.pk}/"' in html and f'href="/overlay/{t.pk}/"' in html
    for t in hidden:
        assert t.title not in html
    for link in ("/api/docs/", "/api/redoc/", "/api/schema/", "/admin/", "/healthz", "/readyz"):
        assert f'href="{link}"' in html
    assert "<script" not in html  # the front page needs none
