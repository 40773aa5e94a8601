"""What a newcomer opens first, in a real browser with no network beyond this machine: the API
docs (authorise with a JWT, run a call), the front page and its links, a payment through the
PhonePe sandbox's checkout back to the return page, and a finished tournament's live page."""

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.browser import PageServer

pytestmark = pytest.mark.e2e

WAIT_MS = 15_000


def _offline(page: Any, server: PageServer) -> list[str]:
    """Refuse every request that leaves this server (a CDN would): returns what was refused."""
    refused: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url.startswith(server.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    return refused


def test_api_docs_work_offline_and_authorize_with_a_jwt(
    page: Any, server: PageServer, seeded: dict[str, Any], screenshots: Path
) -> None:
    refused = _offline(page, server)
    page.goto(f"{server.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=WAIT_MS)
    # Every operation is in the page's spec. Swagger UI virtualises long lists, so only the
    # operations near the viewport are in the DOM: count them in its store, not as elements.
    assert page.evaluate("ui.specSelectors.operations().size") > 50
    page.click("button.authorize")
    jwt = page.locator(".auth-container", has_text="jwtAuth")  # the Bearer scheme
    jwt.locator("input").fill(seeded["host_token"])
    jwt.locator("button.authorize").click()
    jwt.get_by_text("Authorized").wait_for(timeout=WAIT_MS)
    page.click(".modal-ux button.close-modal")
    operation = page.locator('.opblock-get:has([data-path="/api/accounts/profile/"])').first
    for _ in range(60):  # scroll until the virtualised list has rendered it
        if operation.count():
            break
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(100)
    operation.scroll_into_view_if_needed()
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    status = operation.locator(".live-responses-table .response .response-col_status").first
    status.wait_for(timeout=WAIT_MS)
    assert status.inner_text().strip().startswith("200")
    assert '"username": "e2ehost"' in operation.locator(".live-responses-table").inner_text()
    page.screenshot(path=str(screenshots / "api-docs-authorized-call.png"), full_page=False)
    assert refused == []


def test_the_front_page_lists_live_tournaments_and_links_their_pages(
    page: Any, server: PageServer, seeded: dict[str, Any], screenshots: Path
) -> None:
    refused = _offline(page, server)
    page.goto(f"{server.url}/")
    assert page.locator("h1").inner_text() == "Scrimverse live match server"
    live_now = page.locator("section[aria-labelledby=live-now]")
    assert live_now.get_by_text("Browser Cup").count() == 1
    assert page.get_by_text("Finished Cup").count() == 1  # under "Just finished"
    for href in ("/api/docs/", "/admin/", "/healthz", "/readyz"):
        assert page.locator(f'a[href="{href}"]').count() == 1, href
    page.screenshot(path=str(screenshots / "front-page.png"), full_page=True)
    tournament = seeded["live"]["tournament"]
    live_now.locator(f'a[href="/live/{tournament}/"]').click()
    page.wait_for_selector('#live[data-connection="live"]', timeout=WAIT_MS)
    assert page.locator("h1").inner_text() == "Browser Cup"
    assert refused == []


def test_a_finished_tournament_shows_its_champion_and_completed_rounds(
    page: Any, server: PageServer, seeded: dict[str, Any], screenshots: Path
) -> None:
    finished = seeded["finished"]
    page.goto(f"{server.url}/live/{finished['tournament']}/")
    page.wait_for_selector('#live[data-connection="live"]', timeout=WAIT_MS)
    winner = page.locator('[data-slot="winner"]')
    winner.wait_for(state="visible", timeout=WAIT_MS)
    assert finished["champion"] in winner.inner_text()
    assert page.locator('[data-slot="status"]').inner_text().lower() == "completed"
    badges = page.locator(".round-head .badge").all_inner_texts()
    assert badges and all(b.lower() == "completed" for b in badges), badges
    assert page.locator(".chart svg path").count() >= 2  # the points progression
    page.screenshot(path=str(screenshots / "live-page-champion.png"), full_page=True)


def test_a_payment_in_the_sandbox_lands_on_a_return_page_that_says_completed(
    page: Any, paying_server: PageServer, seeded: dict[str, Any], screenshots: Path
) -> None:
    paid = seeded["paid"]
    response = httpx.post(
        f"{paying_server.url}/api/tournaments/{paid['tournament']}/register/",
        json=paid["register"],
        headers={"Authorization": f"Bearer {paid['captain_token']}"},
        timeout=20,
    )
    assert response.status_code == 201, response.text
    payment = response.json()["payment"]
    assert payment and payment["redirect_url"], response.text
    page.goto(payment["redirect_url"])  # the sandbox's checkout page
    page.get_by_role("button", name="Pay").click()
    page.wait_for_url(re.compile(r"/payments/return/[A-Za-z0-9_-]+/\?key="), timeout=WAIT_MS)
    page.wait_for_function(
        "() => document.querySelector('.payment').dataset.state === 'completed'",
        timeout=WAIT_MS,
    )
    assert page.locator("h1").inner_text() == "Payment completed"
    assert "Entry fee for Payers" in page.locator(".payment-what").inner_text()
    assert page.locator(".payment-amount").inner_text() == "₹49.00"
    page.screenshot(path=str(screenshots / "payment-return-completed.png"), full_page=True)
    # The same URL without its key shows nothing of the payment.
    bare = page.url.split("?")[0]
    assert httpx.get(bare, timeout=10).status_code == 404
