"""The API's documentation page: Swagger UI from our own static files, drawn under our CSP."""

import pytest
from playwright.sync_api import Page, expect

from .conftest import controlla_accessibilita


@pytest.mark.xfail(
    strict=True,
    reason="Swagger UI fails axe once drawn (contrast of its badges and links, buttons holding "
    "links): an accessible page of our own for the schema is still to be written",
)
def test_the_api_documentation_draws_every_endpoint_group_and_passes_axe(page: Page, live_server):
    risposta = page.goto(f"{live_server.url}/api/v1/documentazione/")
    assert risposta is not None and risposta.status == 200

    expect(page.locator(".opblock-tag").first).to_be_visible()
    gruppi = page.locator(".opblock-tag").all_inner_texts()
    assert any("piani" in g.lower() for g in gruppi), gruppi
    controlla_accessibilita(page)
