"""Every page fits the screen: at 1366×768 and at 390×844 no document is wider than the window.

The demo region (two ambiti with their users, sixty sheets a plan, every fund and year) with some
of the longest titles a user can write. A district manager, a regional officer and an
administrator each log in once and open every HTML page of the urlconf they can reach (the
security drill's list, filled in with their ids) and, for the administrator, the admin's index
and every changelist. A page is opened once, by the first of them who can (the officer adds the
regional pages): the layout is the same for all. Each page is checked with axe at 1366 px, then
measured at both widths: a wide table must scroll inside its own box (.pz-tabella), never widen
the page.
"""

import time

import pytest
from django.contrib import admin
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import Browser, Page

from pianizona.demo import DEMO_PASSWORD, DOMINIO, seed_demo
from pianizona.models import Ambito, Commento, Piano, User
from programmazione.models import SchedaIntervento
from tests.drills.sicurezza.percorsi import tutte_le_istanze

from .conftest import _Navigazioni, controlla_accessibilita, login

LARGHEZZE = [(1366, 768), (390, 844)]
# The longest title the sheet form accepts (200 characters), with words a browser cannot break.
TITOLO_LUNGO = (
    "Servizio di assistenza domiciliare integrata socio-assistenziale e socio-sanitaria per "
    "persone anziane non autosufficienti e con disabilità gravissima nei comuni dell'ambito"
)
PAGINE_MINIME = {"responsabile": 55, "funzionario": 20, "amministratore": 40}


@pytest.fixture
def regione_demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PIANIZONA_MFA_OBBLIGATORIA = False
    seed_demo(scale="small")
    ba01 = Ambito.objects.get(codice="BA01")
    piano = Piano.objects.get(ambito=ba01, ciclo__anno_inizio=2025, anno=None)
    schede = SchedaIntervento.objects.filter(piano__ambito=ba01).order_by("pk")
    for scheda in schede[:12]:
        scheda.titolo = f"{TITOLO_LUNGO} ({scheda.codice})"[:200]
    SchedaIntervento.objects.bulk_update(schede[:12], ["titolo"])
    funzionario = User.objects.get(email=f"funzionario@{DOMINIO}")
    for sezione in ("generale", "risorse", "programmazione"):
        Commento.objects.create(
            piano=piano, sezione=sezione, autore=funzionario, testo="Osservazione aperta."
        )
    return ba01


def _pagine_admin() -> list[str]:
    """The admin's index and the changelist of every model it manages."""
    pagine = [reverse("admin:index")]
    for modello in admin.site._registry:
        meta = modello._meta
        pagine.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    return pagine


def _route(percorso: str) -> str:
    try:
        return resolve(percorso).route
    except Resolver404:
        return percorso


def _pagine_html(page: Page, base: str, percorsi: list[str], viste: set[str]) -> list[str]:
    """One page per route not in ``viste`` that answers with a whole HTML document (no fragment)."""
    scelte: dict[str, str] = {}
    for percorso in percorsi:
        route = _route(percorso.partition("?")[0])
        if route in scelte or route in viste or percorso.startswith("/api/"):
            continue
        risposta = page.request.get(base + percorso, max_redirects=0)
        tipo = risposta.headers.get("content-type", "")
        intera = risposta.status == 200 and tipo.startswith("text/html")
        if intera and "<html" in risposta.text()[:500].lower():
            scelte[route] = percorso
    viste.update(scelte)
    return list(scelte.values())


def _misura(page: Page) -> dict:
    """Widths once the page has laid itself out again (charts redraw on the next frames)."""
    return page.evaluate(
        """() => new Promise(fatto => requestAnimationFrame(() => requestAnimationFrame(() => fatto({
            documento: document.documentElement.scrollWidth,
            tabelle_che_scorrono: [...document.querySelectorAll('.pz-tabella')]
                .filter(t => t.scrollWidth > t.clientWidth + 1).length,
        }))))"""
    )


def _visita_come(
    browser: Browser, live_server, email: str, percorsi: list[str], viste: set[str]
) -> dict:
    """Log in once, then open every page at 1366 px (axe) and measure it at both widths."""
    base = live_server.url
    larghezza, altezza = LARGHEZZE[0]
    contesto = browser.new_context(
        locale="it-IT", timezone_id="Europe/Rome", viewport={"width": larghezza, "height": altezza}
    )
    contesto.set_default_timeout(15_000)
    page = contesto.new_page()
    page.navigazioni = _Navigazioni(page)
    esito = {"pagine": [], "troppo_larghe": [], "accessibilita": [], "scorrono": 0}
    try:
        login(page, live_server, email, DEMO_PASSWORD)
        for percorso in _pagine_html(page, base, percorsi, viste):
            page.set_viewport_size({"width": larghezza, "height": altezza})
            page.goto(base + percorso)
            try:
                controlla_accessibilita(page)
            except pytest.fail.Exception as errore:
                esito["accessibilita"].append(str(errore))
            esito["pagine"].append(percorso)
            for w, h in LARGHEZZE:
                page.set_viewport_size({"width": w, "height": h})
                misura = _misura(page)
                for _ in range(3):
                    if misura["documento"] <= w:
                        break
                    # Chart.js redraws on a ResizeObserver's callback, later under load: let it settle.
                    page.wait_for_timeout(300)
                    misura = _misura(page)
                esito["scorrono"] += misura["tabelle_che_scorrono"]
                if misura["documento"] > w:
                    esito["troppo_larghe"].append(f"{w}×{h} {percorso}: {misura['documento']} px")
        assert not page.navigazioni.non_controllate()
    finally:
        contesto.close()
    return esito


def test_every_page_fits_the_window_at_1366_and_on_a_phone(browser, live_server, regione_demo):
    ba01 = regione_demo
    ba02 = Ambito.objects.get(codice="BA02")
    percorsi_ambito, _ = tutte_le_istanze([ba01])
    percorsi_regione, _ = tutte_le_istanze([ba01, ba02])
    ruoli = {
        "responsabile": (f"responsabile.ba01@{DOMINIO}", ["/", "/lavori/", *percorsi_ambito]),
        "funzionario": (f"funzionario@{DOMINIO}", ["/", "/lavori/", *percorsi_regione]),
        "amministratore": (f"admin@{DOMINIO}", [*_pagine_admin(), "/"]),
    }
    inizio = time.perf_counter()
    troppo_larghe, accessibilita, visitate, viste = [], [], {}, set()
    for ruolo, (email, percorsi) in ruoli.items():
        esito = _visita_come(browser, live_server, email, percorsi, viste)
        visitate[ruolo] = len(esito["pagine"])
        troppo_larghe += [f"{ruolo} {riga}" for riga in esito["troppo_larghe"]]
        accessibilita += esito["accessibilita"]
        # The sheet list and the plans are wide: they scroll in their box, so the check has teeth.
        assert ruolo == "amministratore" or esito["scorrono"], (
            f"{ruolo}: nessuna tabella scorre nel suo riquadro in {visitate[ruolo]} pagine"
        )
    print(f"\npagine per ruolo: {visitate}; {time.perf_counter() - inizio:.0f} s")
    assert not troppo_larghe and not accessibilita, "\n".join(
        ["Pagine più larghe della finestra:", *troppo_larghe, *accessibilita]
    )
    for ruolo, minimo in PAGINE_MINIME.items():
        assert visitate[ruolo] >= minimo, f"{ruolo}: solo {visitate[ruolo]} pagine visitate"


def test_the_sheet_list_shows_totals_and_actions_at_1366(page: Page, live_server, regione_demo):
    """The issue's first finding: at 1366 px «Totale», «Duplica» and «Elimina» are in view."""
    piano = Piano.objects.get(ambito=regione_demo, ciclo__anno_inizio=2025, anno=None)
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, f"responsabile.ba01@{DOMINIO}", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/piani/{piano.pk}/schede/")
    controlla_accessibilita(page)
    tabella = page.get_by_role("table", name="Servizi a valenza d'ambito")
    assert tabella.get_by_role("columnheader", name="Voce del catalogo").count() == 0
    for elemento in (
        tabella.get_by_role("columnheader", name="Totale"),
        tabella.get_by_role("button", name="Duplica S-1", exact=True),
        tabella.get_by_role("link", name="Elimina S-1", exact=True),
    ):
        riquadro = elemento.bounding_box()
        assert riquadro and riquadro["x"] + riquadro["width"] <= 1366, elemento
    # On a phone every sheet is a card: its total labelled beside the figure.
    page.set_viewport_size({"width": 390, "height": 844})
    riga = tabella.get_by_role("row").filter(has_text="S-1").first
    totale = riga.locator("[data-etichetta='Totale']")
    assert totale.evaluate("e => getComputedStyle(e, '::before').content") == '"Totale"'
    assert totale.bounding_box()["width"] <= 390
