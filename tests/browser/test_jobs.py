"""Long operations in the browser: the job page follows its progress without a reload, then the
download; the plan's PDF is asked from the plan page.

Every page loaded here is checked with axe-core (see conftest.py).
"""

from playwright.sync_api import Page, expect

from pianizona.models import Job

from .conftest import controlla_accessibilita, login, visita


def test_the_job_page_follows_progress_without_reloading(page: Page, live_server, cast):
    job = Job.objects.create(tipo="pdf_piano", utente=cast.operatore_a, piano=cast.piano_a)
    login(page, live_server, cast.operatore_a.email)
    visita(page, f"{live_server.url}/lavori/{job.pk}/")
    expect(page.get_by_text("L'operazione partirà appena possibile.")).to_be_visible()

    # The worker moves it on; the page, never reloaded, shows each step in its live region.
    Job.objects.filter(pk=job.pk).update(
        stato=Job.Stato.IN_CORSO, progresso=40, messaggio="Impaginazione delle schede"
    )
    expect(page.get_by_text("Impaginazione delle schede")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "40")
    Job.objects.filter(pk=job.pk).update(
        stato=Job.Stato.FALLITO, errore="Il piano non ha ancora un budget da stampare."
    )
    expect(page.get_by_text("Il piano non ha ancora un budget da stampare.")).to_be_visible()
    controlla_accessibilita(page)


def test_the_district_downloads_the_draft_pdf_from_the_plan_page(page: Page, live_server, cast):
    login(page, live_server, cast.operatore_a.email)
    visita(page, f"{live_server.url}/piani/{cast.piano_a.pk}/")
    page.get_by_role("button", name="PDF della bozza (non ufficiale)").click()
    scarica = page.get_by_role("link", name="Scarica")
    expect(scarica).to_be_visible()  # no broker in tests: the job ran at once
    controlla_accessibilita(page)
    with page.expect_download() as attesa:
        scarica.click()
    assert attesa.value.suggested_filename.endswith(".pdf")
