"""The API's documentation page: Swagger UI from our own static files, drawn under our CSP."""

from playwright.sync_api import Page, expect

from .conftest import visita


def test_the_api_documentation_draws_every_endpoint_group_under_the_csp(page: Page, live_server):
    visita(page, f"{live_server.url}/api/v1/documentazione/")

    expect(page.locator(".opblock-tag").first).to_be_visible()
    gruppi = page.locator(".opblock-tag").all_inner_texts()
    assert any("piani" in g.lower() for g in gruppi), gruppi
