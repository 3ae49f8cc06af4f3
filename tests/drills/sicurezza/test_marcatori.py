"""Drill: a crawl as ambito A's users finds none of the markers planted in ambito B's data.

Every free-text field, name and file of BA02 carries a unique marker. BA01's operator and manager
crawl the site from the home page (every same-origin link, form with GET, htmx source, the API's
links), plus every URL pattern of the urlconf filled in with BA01's and BA02's ids, mixed; pages,
JSON, CSV, XLSX, PDF and ZIP are read as text. BA02's own manager runs the same crawl and must find
the markers: otherwise the drill would prove nothing.
"""

import pytest
from django.test import Client

from pianizona.models import Job

from .conftest import figura
from .percorsi import SALTATI, istanze, pattern_dell_urlconf, tutte_le_istanze
from .semina import NON_MARCATI, campi_di_testo, modelli_del_distretto, semina_marcatori
from .visita import corpo, estrai_testo, marcatori_in, visita

# Fields B's own crawl need not show: written for the record, read by nobody on a page.
MAI_MOSTRATI: dict[str, str] = {}
PAGINE_MINIME = 120
ROUTE_MINIME = 60  # distinct pages of the urlconf answered with a body


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def semina(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PIANIZONA_MFA_OBBLIGATORIA = False
    # The API's per-minute limit is for real clients; a crawl reads hundreds of responses.
    settings.PIANIZONA_API_LIMITE_SESSIONE = 100_000
    return semina_marcatori()


def test_every_text_field_left_unmarked_is_a_real_field_with_a_reason() -> None:
    """Every other text field of a district's rows is marked by the seeding (no list to forget)."""
    campi = {
        f"{m._meta.label}.{c.name}" for m, _ in modelli_del_distretto() for c in campi_di_testo(m)
    }
    assert "programmazione.SchedaIntervento.titolo" in campi
    assert "archivio.Adesione.denominazione" in campi
    stantii = [e for e in NON_MARCATI if e not in campi]
    assert not stantii, f"campi non più esistenti in NON_MARCATI: {stantii}"


def test_every_url_pattern_is_filled_in_by_the_crawl(db) -> None:
    ignoti = []
    for pattern in pattern_dell_urlconf():
        try:
            istanze(pattern, [])
        except KeyError as err:
            ignoti.append(f"{pattern}: {err}")
    assert not ignoti, "segnaposti sconosciuti alla visita (aggiungerli a percorsi.VALORI)"
    assert set(SALTATI) <= set(pattern_dell_urlconf())


def test_district_a_never_sees_a_marker_of_district_b(semina) -> None:
    # A's own pages come from the links; the urlconf adds B's ids, and A's plan over B's rows.
    urls, n_pattern = tutte_le_istanze([semina.ambito_b], estraneo=semina.ambito_a)
    partenze = ["/", "/api/v1/", "/lavori/", *urls]
    riassunto = {}
    for ruolo, utente in semina.utenti_a.items():
        esito = visita(_client(utente), partenze)
        trapelati = {semina.origine(m): sorted(u)[:3] for m, u in esito.trovati.items()}
        assert not trapelati, f"{ruolo} di BA01 vede dati di BA02: {trapelati}"
        assert not esito.errori, f"errori del server durante la visita: {esito.errori[:10]}"
        assert esito.letti >= PAGINE_MINIME, f"visita troppo corta: {esito.letti} pagine lette"
        assert esito.route_lette >= ROUTE_MINIME, f"solo {esito.route_lette} pagine diverse"
        assert esito.tipi["pdf"] and esito.tipi["xlsx"] and esito.tipi["csv"] and esito.tipi["json"]
        riassunto[ruolo] = esito
    # A's own plan PDF, laid out by the worker, read with pypdf.
    pdf_a = Job.objects.get(pk=semina.lavoro_a)
    tipo, testo = estrai_testo(pdf_a.file.read(), "application/pdf")
    assert (tipo == "pdf" and "BA01" in testo) or "Bari" in testo
    assert not marcatori_in(testo)

    # The same crawl as B's manager finds B's markers: they are visible where they should be.
    urls_b, _ = tutte_le_istanze([semina.ambito_b])
    esito_b = visita(
        _client(semina.utenti_b["responsabile"]), ["/", "/api/v1/", "/lavori/", *urls_b]
    )
    visti = {semina.origine(m).split("#")[0] for m in esito_b.trovati}
    non_visti = semina.campi() - visti - set(MAI_MOSTRATI)
    print(f"\nmarcatori piantati: {len(semina.marcatori)} in {len(semina.campi())} campi")
    print(f"URL dall'urlconf: {len(urls)} per A, {len(urls_b)} per B")
    print(f"campi mai visti da B: {sorted(non_visti)}")
    for ruolo, esito in riassunto.items():
        print(
            f"{ruolo} A: {len(esito.stati)} richieste, {esito.letti} lette "
            f"({esito.route_lette} route), {dict(esito.tipi)}"
        )
    print(f"B: {len(esito_b.stati)} richieste, {esito_b.letti} lette, {dict(esito_b.tipi)}")
    assert not non_visti, f"campi marcati che nemmeno BA02 vede: {sorted(non_visti)}"
    assert len(esito_b.trovati) >= len(semina.marcatori) // 2
    pdf_b = corpo(_client(semina.utenti_b["responsabile"]).get(f"/lavori/{semina.lavoro_b}/file/"))
    assert marcatori_in(estrai_testo(pdf_b, "application/pdf")[1]), (
        "il PDF di B non mostra i suoi dati"
    )

    operatore = riassunto["operatore"]
    figura(
        pagine_visitate=sum(len(e.stati) for e in riassunto.values()),
        risposte_lette=sum(e.letti for e in riassunto.values()),
        route_lette=min(e.route_lette for e in riassunto.values()),
        lette_min=min(e.letti for e in riassunto.values()),
        pattern_url=n_pattern,
        marcatori_piantati=len(semina.marcatori),
        campi_marcati=len(semina.campi()),
        marcatori_trapelati=0,
        marcatori_visti_da_b=len(esito_b.trovati),
        formati_letti=dict(operatore.tipi),
    )
