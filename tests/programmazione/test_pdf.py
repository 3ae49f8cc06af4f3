"""The plan's PDF and the regional batch: what a reader finds in the document, read back with pypdf."""

import gc
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pianizona.iter.istantanee import istantanea_del_piano
from pianizona.models import Comune, Job, Piano, Transizione, Versione
from pianizona.money import format_euro
from pianizona.revisioni import revisione_corrente
from programmazione import lavori, selectors, services, stampa
from programmazione.models import SchedaIntervento, Sezione
from programmazione.stampa.indirizzi import STATICO
from programmazione.stampa.piano import raccolta_sospesa
from programmazione.stampa.risorse import FetcherStatico, RisorsaNonConsentita
from risorse.models import Cofinanziamento
from risorse.selectors import budget_del_piano

from ..factories import PianoFactory

pytestmark = pytest.mark.django_db

SEZIONI = [
    "Parte narrativa",
    "Analisi del contesto",
    "Sistema informativo",
    "Risorse",
    "Budget per fondo e anno",
    "Cofinanziamento comunale",
    "Altre risorse",
    "Programmazione",
    "Quadro delle allocazioni",
    "Servizi a valenza d'ambito",
    "Servizi a valenza comunale",
    "Interventi finanziati da altre risorse",
]


def piatto(valore: str) -> str:
    """Text as the PDF reads back: one kind of space."""
    return re.sub(r"[\s\xa0]+", " ", valore)


def euro(importo: str) -> str:
    return piatto(format_euro(Decimal(importo)))


def pagine(contenuto: bytes) -> list[str]:
    return [piatto(p.extract_text()) for p in PdfReader(io.BytesIO(contenuto)).pages]


def nuova_scheda(piano: Piano, voce, sezione: str, **campi) -> SchedaIntervento:
    dati = {"titolo": f"Intervento {voce.codice}", "gestione": "diretta", **campi}
    return services.scheda_salva(
        piano=piano, scheda=SchedaIntervento(sezione=sezione, voce=voce, **dati)
    )


def alloca(piano: Piano, scheda: SchedaIntervento, importi: dict) -> None:
    services.allocazioni_salva(
        piano=piano,
        scheda=scheda,
        importi={(f.pk, a): Decimal(i) for (f, a), i in importi.items()},
        revisione=revisione_corrente(scheda, services.TABELLA_ALLOCAZIONI),
        user=None,
    )


def scrivi(piano: Piano, capitolo: str, testo_md: str, user) -> None:
    services.narrativa_salva(
        piano=piano,
        capitolo=capitolo,
        testo=testo_md,
        revisione=revisione_corrente(piano, f"{services.TABELLA_NARRATIVA}:{capitolo}"),
        user=user,
    )


def congela(piano: Piano, user, numero: int = 1) -> Versione:
    """A frozen version, as a submission writes it."""
    istantanea = istantanea_del_piano(piano)
    istantanea.piano.update(versione=numero, stato=Piano.Stato.INVIATO)
    return Versione.objects.create(
        piano=piano,
        numero=numero,
        creata_da=user,
        contenuto=istantanea.as_dict(),
        impronta=istantanea.impronta(),
    )


@dataclass
class Piano3:
    piano: Piano
    segretariato: SchedaIntervento
    domiciliare: SchedaIntervento
    pnrr: SchedaIntervento


@pytest.fixture
def piano_completo(cast, catalogo, budget) -> Piano3:
    """piano_a with co-financing, a chapter, and one sheet in each section with its amounts."""
    piano = cast.piano_a
    bari = Comune.objects.get(nome="Bari")
    valenzano = Comune.objects.get(nome="Valenzano")
    Cofinanziamento.objects.create(piano=piano, comune=bari, anno=2025, importo="12345.67")
    Cofinanziamento.objects.create(piano=piano, comune=valenzano, anno=2026, importo="1000.01")
    scrivi(
        piano, "contesto", "L'ambito conta **due comuni** e molti anziani soli.", cast.operatore_a
    )
    segretariato = nuova_scheda(
        piano,
        catalogo.segretariato,
        Sezione.AMBITO,
        titolo="Segretariato sociale di Bari",
        descrizione="Uno sportello *unico* per l'accesso ai servizi.",
        soggetto_attuatore="Ufficio di Piano",
    )
    alloca(
        piano,
        segretariato,
        {
            (budget["FNPS"], 2025): "30000.10",
            (budget["FNPS"], 2026): "25000.00",
            (budget["FNA"], 2025): "12345.68",
        },
    )
    domiciliare = nuova_scheda(
        piano,
        catalogo.domiciliare,
        Sezione.COMUNALE,
        titolo="Assistenza domiciliare a Valenzano",
        comune=valenzano,
    )
    alloca(piano, domiciliare, {(budget["FNPS"], 2027): "7000.55"})
    pnrr = nuova_scheda(piano, catalogo.pnrr, Sezione.ALTRE_RISORSE, titolo="Housing first")
    alloca(piano, pnrr, {(budget["PNRR"], 2025): "150000.00"})
    return Piano3(piano, segretariato, domiciliare, pnrr)


@pytest.fixture
def bozza(piano_completo) -> list[str]:
    return pagine(stampa.pdf_del_piano(piano_completo.piano))


# --- The document ------------------------------------------------------------------------------


def test_the_cover_names_region_ambito_cycle_type_state_and_date(piano_completo, bozza):
    copertina = bozza[0]
    ciclo = piano_completo.piano.ciclo
    for atteso in [
        "Regione Puglia",
        "Piano di Zona",
        "Ambito di Bari (BA01)",
        ciclo.nome,
        "Tipo di piano Piano triennale",
        "Stato Bozza",
        "Bozza non ufficiale, nessuna versione congelata",
        "Situazione al",
    ]:
        assert atteso in copertina, atteso


def test_a_draft_says_it_is_not_official_on_every_page_with_its_page_number(bozza):
    assert len(bozza) >= 4
    for numero, pagina in enumerate(bozza, start=1):
        assert "BOZZA – non ufficiale" in pagina
        assert f"Pagina {numero} di {len(bozza)}" in pagina
        assert "Versione 1 del" not in pagina


def test_every_section_title_is_printed_and_listed_in_the_index_with_its_page(bozza):
    indice = bozza[1]
    assert "Indice" in indice
    for titolo in [*SEZIONI, "S-1 – Segretariato sociale di Bari", "S-3 – Housing first"]:
        trovato = re.search(rf"{re.escape(titolo)} (\d+)", indice)
        assert trovato, titolo
        pagina = int(trovato[1])
        assert 2 < pagina <= len(bozza)
        assert titolo in bozza[pagina - 1], (titolo, pagina)


def test_the_budget_per_fund_and_its_total_match_the_budget_page_to_the_cent(piano_completo, bozza):
    documento = " ".join(bozza)
    tabella = budget_del_piano(piano_completo.piano).tabella
    for riga in tabella.righe():
        assert piatto(riga["fonte"].nome) in documento
        assert piatto(format_euro(riga["totale"])) in documento, riga["fonte"].codice
    for totale in tabella.totali_anno():
        assert piatto(format_euro(totale)) in documento
    # 100.000 × 3 FNPS + 50.000 FNA + 200.000 PNRR + 13.345,68 co-financing
    assert tabella.totale == Decimal("563345.68")
    assert euro("563345.68") in documento


def test_allocated_and_still_to_allocate_match_the_live_panel_to_the_cent(piano_completo, bozza):
    documento = " ".join(bozza)
    quadro = selectors.quadro_allocazioni(piano_completo.piano)
    assert quadro.totale_allocato == Decimal("224346.33")
    assert piatto(format_euro(quadro.totale_allocato)) in documento
    assert piatto(format_euro(quadro.totale_budget - quadro.totale_allocato)) in documento
    for fonte, righe in quadro.per_fonte():
        allocato = sum((r.allocato for r in righe), Decimal("0"))
        assert piatto(format_euro(allocato)) in documento, fonte.codice


def test_a_sheet_prints_its_fields_and_its_amounts_per_fund_and_year(piano_completo, bozza):
    corpo = bozza[2:]  # after the cover and the index
    pagina = next(p for p in corpo if "S-1 – Segretariato sociale di Bari" in p)
    assert "Voce del catalogo: A1.01 Segretariato sociale" in pagina
    assert "Soggetto attuatore: Ufficio di Piano" in pagina
    assert "Descrizione: Uno sportello unico per l'accesso ai servizi." in pagina
    for importo in ["30000.10", "25000.00", "12345.68", "55000.10", "67345.78"]:
        assert euro(importo) in pagina, importo
    comunale = next(p for p in corpo if "S-2 – Assistenza domiciliare a Valenzano" in p)
    assert "Comune: Valenzano" in comunale
    assert euro("7000.55") in comunale


def test_the_sheets_are_grouped_under_their_section(piano_completo, bozza):
    documento = " ".join(bozza[2:])  # after the index
    ambito = documento.index("Servizi a valenza d'ambito S-1")
    comunale = documento.index("Servizi a valenza comunale S-2")
    altre = documento.index("Interventi finanziati da altre risorse S-3")
    assert ambito < comunale < altre


def test_co_financing_is_printed_per_municipality_and_year_with_its_total(bozza):
    pagina = next(p for p in bozza if "Cofinanziamento per comune e anno" in p)
    assert re.search(r"Bari 12\.345,67 € 0,00 € 0,00 € 12\.345,67 €", pagina)
    assert re.search(r"Valenzano 0,00 € 1\.000,01 € 0,00 € 1\.000,01 €", pagina)
    assert "Totale 12.345,67 € 1.000,01 € 0,00 € 13.345,68 €" in pagina


def test_the_narrative_is_formatted_and_an_unwritten_chapter_says_so(bozza):
    narrativa = next(p for p in bozza if "L'ambito conta due comuni" in p)
    assert "Obiettivi strategici e priorità Capitolo non compilato." in narrativa


def test_user_text_is_printed_as_text_never_as_markup(cast, catalogo, budget):
    nuova_scheda(
        cast.piano_a,
        catalogo.segretariato,
        Sezione.AMBITO,
        titolo='Sportello <img src="http://example.org/traccia.png">',
    )
    documento = " ".join(pagine(stampa.pdf_del_piano(cast.piano_a)))
    assert 'Sportello <img src="http://example.org/traccia.png">' in documento


def test_the_fonts_are_our_titillium_web_embedded_in_the_file(piano_completo):
    lettore = PdfReader(io.BytesIO(stampa.pdf_del_piano(piano_completo.piano)))
    caratteri = {}
    for pagina in lettore.pages:
        for font in pagina["/Resources"]["/Font"].values():
            font = font.get_object()
            descrittore = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            caratteri[str(font["/BaseFont"])] = any(
                chiave in descrittore for chiave in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert caratteri and all(caratteri.values()), caratteri
    assert all("Titillium-Web" in nome for nome in caratteri), caratteri


# --- Frozen versions ---------------------------------------------------------------------------


def test_a_version_has_its_number_and_date_in_the_footer_of_every_page(cast, piano_completo):
    versione = congela(piano_completo.piano, cast.responsabile_a)
    testo_pagine = pagine(stampa.pdf_del_piano(piano_completo.piano, versione))
    data = timezone.localtime(versione.creata_il)
    mesi = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto"]
    mesi += ["settembre", "ottobre", "novembre", "dicembre"]
    piede = f"Versione 1 del {data.day} {mesi[data.month - 1]} {data.year}"
    for numero, pagina in enumerate(testo_pagine, start=1):
        assert piede.lower() in pagina.lower()
        assert f"Pagina {numero} di {len(testo_pagine)}" in pagina
        assert "BOZZA" not in pagina
    assert versione.impronta in testo_pagine[0].replace(" ", "")
    assert "Stato Inviato" in testo_pagine[0]


def test_an_approved_version_says_so_on_the_cover(cast, piano_completo):
    versione = congela(piano_completo.piano, cast.responsabile_a)
    Transizione.objects.create(
        piano=piano_completo.piano,
        azione=Transizione.Azione.APPROVAZIONE,
        da_stato=Piano.Stato.IN_ISTRUTTORIA,
        a_stato=Piano.Stato.APPROVATO,
        utente=cast.funzionario,
        versione=versione,
    )
    copertina = pagine(stampa.pdf_del_piano(piano_completo.piano, versione))[0]
    assert "Stato Approvato il" in copertina


def test_a_versions_pdf_does_not_change_when_the_plan_is_edited_afterwards(
    cast, piano_completo, budget
):
    piano = piano_completo.piano
    versione = congela(piano, cast.responsabile_a)
    prima = pagine(stampa.pdf_del_piano(piano, versione))
    alloca(piano, piano_completo.segretariato, {(budget["FNPS"], 2027): "999.99"})
    scrivi(piano, "contesto", "Un testo riscritto dopo l'invio.", cast.operatore_a)

    assert pagine(stampa.pdf_del_piano(piano, versione)) == prima
    bozza = " ".join(pagine(stampa.pdf_del_piano(piano)))
    assert "Un testo riscritto dopo l'invio." in bozza
    assert euro("999.99") in bozza


@pytest.fixture
def impaginazioni(monkeypatch) -> list[int]:
    """Counts the layouts WeasyPrint actually runs."""
    from weasyprint import HTML

    contate: list[int] = []
    originale = HTML.render

    def conta(self, *args, **kwargs):
        contate.append(1)
        return originale(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "render", conta)
    return contate


def test_a_versions_pdf_is_laid_out_once_and_then_served_as_it_was(
    cast, piano_completo, media, impaginazioni
):
    piano = piano_completo.piano
    versione = congela(piano, cast.responsabile_a)
    prima = stampa.stampa_del_piano(piano, versione)
    seconda = stampa.stampa_del_piano(piano, versione)

    assert len(impaginazioni) == 1
    assert seconda.contenuto == prima.contenuto
    assert seconda.pagine == prima.pagine == len(PdfReader(io.BytesIO(prima.contenuto)).pages)


def test_an_approval_changes_the_cover_so_the_version_is_laid_out_again(
    cast, piano_completo, media, impaginazioni
):
    piano = piano_completo.piano
    versione = congela(piano, cast.responsabile_a)
    stampa.stampa_del_piano(piano, versione)
    Transizione.objects.create(
        piano=piano,
        azione=Transizione.Azione.APPROVAZIONE,
        da_stato=Piano.Stato.IN_ISTRUTTORIA,
        a_stato=Piano.Stato.APPROVATO,
        utente=cast.funzionario,
        versione=versione,
    )

    copertina = pagine(stampa.pdf_del_piano(piano, versione))[0]

    assert len(impaginazioni) == 2
    assert "Stato Approvato il" in copertina


def test_a_draft_is_laid_out_every_time_and_never_kept(cast, piano_completo, media, impaginazioni):
    stampa.pdf_del_piano(piano_completo.piano)
    stampa.pdf_del_piano(piano_completo.piano)

    assert len(impaginazioni) == 2
    assert not (media / "stampe").exists()


def _approva(cast, piano, capture):
    from pianizona.iter import workflow

    piano.stato = Piano.Stato.IN_ISTRUTTORIA
    piano.save(update_fields=["stato"])
    versione = congela(piano, cast.responsabile_a)
    with capture(execute=True):
        workflow.piano_approva(
            piano=piano, user=cast.funzionario, stato_atteso=Piano.Stato.IN_ISTRUTTORIA
        )
    return versione


def test_an_approval_has_the_worker_lay_out_the_approved_version(
    cast, piano_completo, media, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from programmazione import tasks

    settings.PIANIZONA_PDF_ALL_APPROVAZIONE = True
    monkeypatch.setitem(tasks.stampa_prepara.app.conf, "task_always_eager", False)
    inviati: list[tuple] = []
    monkeypatch.setattr(tasks.stampa_prepara, "delay", lambda *args: inviati.append(args))
    piano = piano_completo.piano
    versione = _approva(cast, piano, django_capture_on_commit_callbacks)

    # The request only queued it: nothing was laid out while the officer waited.
    assert inviati == [(piano.pk, versione.numero)]
    assert not (media / "stampe").exists()

    tasks.stampa_prepara(*inviati[0])  # what the worker runs
    conservati = list((media / "stampe" / str(piano.pk)).iterdir())
    assert len(conservati) == 1
    assert conservati[0].read_bytes() == stampa.pdf_del_piano(piano, versione)


def test_without_a_worker_the_approval_lays_out_nothing_and_the_download_does_it(
    cast, piano_completo, media, settings, django_capture_on_commit_callbacks, impaginazioni
):
    settings.PIANIZONA_PDF_ALL_APPROVAZIONE = True
    piano = piano_completo.piano
    versione = _approva(cast, piano, django_capture_on_commit_callbacks)

    assert impaginazioni == []
    assert not (media / "stampe").exists()
    assert stampa.stampa_del_piano(piano, versione).contenuto.startswith(b"%PDF")
    assert len(impaginazioni) == 1


def test_a_version_of_another_plan_is_refused(cast, piano_completo):
    versione = congela(cast.piano_b, cast.operatore_b)
    with pytest.raises(ValueError):
        stampa.pdf_del_piano(piano_completo.piano, versione)


def test_the_collector_is_paused_during_the_layout_and_resumed_after(piano_completo, monkeypatch):
    from weasyprint import HTML

    attivo_durante: list[bool] = []
    originale = HTML.render

    def osserva(self, *args, **kwargs):
        attivo_durante.append(gc.isenabled())
        return originale(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "render", osserva)
    stampa.pdf_del_piano(piano_completo.piano)

    assert attivo_durante == [False]
    assert gc.isenabled()


def test_a_failed_or_overlapping_layout_resumes_the_collector_only_at_the_end():
    with pytest.raises(RuntimeError), raccolta_sospesa():
        raise RuntimeError("impaginazione fallita")
    assert gc.isenabled()

    with raccolta_sospesa():
        with raccolta_sospesa():
            assert not gc.isenabled()
        # The outer layout is still running: the inner one must not resume the collector under it.
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_already_paused_by_someone_else_stays_paused():
    gc.disable()
    try:
        with raccolta_sospesa():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- What the renderer may read ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/logo.png",
        "https://example.org/font.woff",
        "file:///etc/passwd",
        "ftp://example.org/x",
        f"{STATICO}../../pianizona/settings/base.py",
        f"{STATICO}%2e%2e/%2e%2e/pianizona/settings/base.py",
        "https://pianizona.invalid/media/job/x.pdf",
        "https://pianizona.invalid.example.org/static/pianizona/pdf/pdf.css",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(RisorsaNonConsentita):
        FetcherStatico().fetch(url)


def test_the_fetcher_serves_our_stylesheet_our_fonts_and_data_urls():
    fetcher = FetcherStatico()
    css = fetcher.fetch(f"{STATICO}pianizona/pdf/pdf.css")
    assert b"@page" in css.read()
    font = fetcher.fetch(
        f"{STATICO}vendor/bootstrap-italia/fonts/Titillium_Web/"
        "titillium-web-v10-latin-ext_latin-regular.woff"
    )
    assert font.read(4) == b"wOFF"
    assert fetcher.fetch("data:text/plain,ciao").read() == b"ciao"
    with pytest.raises(FileNotFoundError):
        fetcher.fetch(f"{STATICO}pianizona/pdf/inesistente.css")


# --- Requests and jobs -------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def url_pdf(piano: Piano) -> str:
    return reverse("programmazione:pdf_richiedi", kwargs={"piano_pk": piano.pk})


def url_ciclo(piano: Piano) -> str:
    return reverse("programmazione:pdf_ciclo_richiedi", kwargs={"ciclo_pk": piano.ciclo_id})


def scarica(client, job: Job) -> bytes:
    risposta = client.get(reverse("job_scarica", args=[job.pk]))
    assert risposta.status_code == 200
    return b"".join(risposta.streaming_content)


def test_asking_for_the_draft_pdf_queues_a_job_that_renders_it(
    cast, client_for, piano_completo, media, django_capture_on_commit_callbacks
):
    client = client_for("operatore_a")
    with django_capture_on_commit_callbacks(execute=True):
        risposta = client.post(url_pdf(cast.piano_a))
    job = Job.objects.get()
    assert risposta.status_code == 302
    assert risposta["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.tipo, job.piano, job.parametri, job.stato) == (
        lavori.TIPO_PDF_PIANO,
        cast.piano_a,
        {"versione": None},
        Job.Stato.COMPLETATO,
    )
    assert job.nome_file == "ba01-piano-triennale-2025-2027-bozza.pdf"
    assert job.content_type == "application/pdf"
    assert "BOZZA" in pagine(scarica(client, job))[0]


def test_asking_for_a_versions_pdf_prints_that_version(
    cast, client_for, piano_completo, media, django_capture_on_commit_callbacks
):
    congela(cast.piano_a, cast.responsabile_a)
    client = client_for("funzionario")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url_pdf(cast.piano_a), {"versione": "1"})
    job = Job.objects.get()
    assert job.parametri == {"versione": 1}
    assert job.nome_file == "ba01-piano-triennale-2025-2027-versione-1.pdf"
    assert "Versione 1 del" in pagine(scarica(client, job))[0]


@pytest.mark.parametrize("versione", ["1", "7", "x", "-1"])
def test_a_version_that_is_not_the_plans_is_a_404_and_queues_nothing(cast, client_for, versione):
    congela(cast.piano_b, cast.operatore_b)  # version 1 exists, of another plan
    risposta = client_for("operatore_a").post(url_pdf(cast.piano_a), {"versione": versione})
    assert risposta.status_code == 404
    assert not Job.objects.exists()


def test_a_plan_the_user_may_not_see_is_a_404(cast, client_for):
    assert client_for("operatore_b").post(url_pdf(cast.piano_a)).status_code == 404
    assert not Job.objects.exists()


def test_the_plan_page_and_the_versions_page_can_hold_the_button(cast, client_for):
    from django.template.loader import render_to_string

    html = render_to_string(
        "programmazione/pdf/_pulsante.html", {"piano": cast.piano_a, "numero": 2}
    )
    assert f'action="{url_pdf(cast.piano_a)}"' in html
    assert 'name="versione" value="2"' in html
    assert "PDF della versione 2" in html
    bozza = render_to_string("programmazione/pdf/_pulsante.html", {"piano": cast.piano_a})
    assert 'name="versione"' not in bozza
    assert "PDF della bozza (non ufficiale)" in bozza


@pytest.fixture
def approvati(cast, piano_completo) -> Versione:
    """piano_a approved on its version 2 (version 3 came later), piano_b approved with no version."""
    piano = cast.piano_a
    congela(piano, cast.responsabile_a, 1)
    approvata = congela(piano, cast.responsabile_a, 2)
    Transizione.objects.create(
        piano=piano,
        azione=Transizione.Azione.APPROVAZIONE,
        da_stato=Piano.Stato.IN_ISTRUTTORIA,
        a_stato=Piano.Stato.APPROVATO,
        utente=cast.funzionario,
        versione=approvata,
    )
    congela(piano, cast.responsabile_a, 3)
    Piano.objects.filter(pk__in=[piano.pk, cast.piano_b.pk]).update(stato=Piano.Stato.APPROVATO)
    return approvata


def test_the_batch_page_lists_the_approved_plans_and_the_version_each_will_be_printed_in(
    cast, client_for, approvati
):
    PianoFactory(ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, tipo="attuativo", anno=2026)
    risposta = client_for("funzionario").get(url_ciclo(cast.piano_a))
    assert risposta.status_code == 200
    righe = [(str(p.ambito.codice), numero) for p, numero in risposta.context["piani"]]
    assert righe == [("BA01", 2), ("BA02", None)]
    assert "Prepara l'archivio (2 piani)" in risposta.content.decode()


def test_the_batch_page_runs_the_same_queries_however_many_plans(
    cast, client_for, approvati, assert_constant_queries
):
    def cresci():
        for anno in (2025, 2026):
            PianoFactory(
                ambito=cast.ambito_b,
                ciclo=cast.piano_a.ciclo,
                tipo="attuativo",
                anno=anno,
                stato=Piano.Stato.APPROVATO,
            )

    assert_constant_queries(client_for("funzionario"), url_ciclo(cast.piano_a), 11, cresci)


def test_the_regional_batch_is_one_zip_of_the_approved_plans_with_progress(
    cast, client_for, approvati, media, django_capture_on_commit_callbacks, monkeypatch
):
    passi = []
    originale = stampa.lotto.stampa_del_piano

    def registra(piano, versione=None):
        passi.append(Job.objects.get().messaggio)
        return originale(piano, versione)

    monkeypatch.setattr(stampa.lotto, "stampa_del_piano", registra)
    client = client_for("funzionario")
    with django_capture_on_commit_callbacks(execute=True):
        risposta = client.post(url_ciclo(cast.piano_a))
    job = Job.objects.get()
    assert risposta["Location"] == reverse("job_detail", args=[job.pk])
    assert (job.tipo, job.ciclo, job.stato) == (
        lavori.TIPO_PDF_CICLO,
        cast.piano_a.ciclo,
        Job.Stato.COMPLETATO,
    )
    assert job.nome_file == "piani-approvati-2025-2027.zip"
    assert passi == ["Piano 1 di 2: Ambito di Bari", "Piano 2 di 2: Ambito di Altamura"]

    archivio = zipfile.ZipFile(io.BytesIO(scarica(client, job)))
    assert archivio.namelist() == [
        "ba01-piano-triennale-2025-2027-versione-2.pdf",
        "ba02-piano-triennale-2025-2027-bozza.pdf",
    ]
    bari = pagine(archivio.read("ba01-piano-triennale-2025-2027-versione-2.pdf"))
    assert "Versione 2 del" in bari[0]
    assert "Stato Approvato il" in bari[0]


def test_a_batch_without_approved_plans_is_refused_with_a_message(cast, client_for):
    client = client_for("funzionario")
    risposta = client.post(url_ciclo(cast.piano_a), follow=True)
    assert not Job.objects.exists()
    assert "nessun piano approvato" in risposta.content.decode()


@pytest.mark.parametrize("ruolo", ["operatore_a", "responsabile_a"])
def test_the_district_may_not_ask_for_the_regional_batch(cast, client_for, ruolo):
    assert client_for(ruolo).post(url_ciclo(cast.piano_a)).status_code == 403
    assert not Job.objects.exists()
