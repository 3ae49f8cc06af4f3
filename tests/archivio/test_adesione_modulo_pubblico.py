"""The public adhesion form as a PA's: the privacy notice, the blank form to sign, the receipt
number, and the signed file kept when another field is wrong."""

import html
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from archivio import in_sospeso
from archivio.models import Adesione, InformativaAdesioni
from tests.factories import AmbitoFactory

from . import corpus
from .utili import CF_ENTE, adesione_di, carica, cf_ente, dati_adesione, invia_adesione


def _url(nome: str, ambito) -> str:
    return reverse(f"archivio:{nome}", args=[ambito.regione.codice_istat, ambito.codice])


def _testo(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# --- the form's page ---------------------------------------------------------------------------


def test_the_form_names_the_ambito_and_region_and_links_the_notice_and_blank_form(cast, client):
    pagina = client.get(_url("adesione", cast.ambito_a)).content.decode()
    assert "Ambito di Bari" in pagina and "Puglia" in pagina
    assert f'href="{_url("adesione_informativa", cast.ambito_a)}"' in pagina
    assert f'href="{_url("adesione_modulo_vuoto", cast.ambito_a)}"' in pagina
    # An acknowledgement of the notice, not a consent as the legal basis.
    assert "Dichiaro di aver letto l&#x27;informativa" in pagina
    assert "Acconsento" not in pagina


# --- the privacy notice ------------------------------------------------------------------------


def test_the_privacy_notice_names_the_capofila_and_the_public_task_basis(cast, client):
    response = client.get(_url("adesione_informativa", cast.ambito_a))
    assert response.status_code == 200
    testo = _testo(response)
    assert "Comune di Bari, ente capofila dell'Ambito di Bari" in testo
    assert "art. 6, paragrafo 1, lettera e), del GDPR" in testo
    assert "non si fonda sul consenso" in testo
    assert "Garante per la protezione dei dati personali" in testo
    assert "per 10 anni" in testo
    # No contacts recorded: it says where to find them instead of leaving a blank.
    assert "Responsabile della protezione dei dati (RPD/DPO) del titolare sono pubblicati" in testo


def test_the_privacy_notice_shows_the_controller_and_dpo_the_administrator_recorded(cast, client):
    InformativaAdesioni.objects.create(
        ambito=cast.ambito_a,
        titolare=InformativaAdesioni.Titolare.REGIONE,
        indirizzo_titolare="Lungomare Nazario Sauro 33, Bari",
        pec_titolare="protocollo@pec.regione.example",
        email_rpd="rpd@regione.example",
        conservazione_anni=5,
    )
    testo = _testo(client.get(_url("adesione_informativa", cast.ambito_a)))
    assert "Regione Puglia, Lungomare Nazario Sauro 33, Bari." in testo
    assert "protocollo@pec.regione.example" in testo
    assert "all'indirizzo rpd@regione.example" in testo
    assert "per 5 anni" in testo
    assert "Comune di Bari" not in testo


def test_an_unknown_ambito_has_no_privacy_notice_nor_blank_form(db, client):
    assert client.get("/accordo/16/ZZ99/informativa/").status_code == 404
    assert client.get("/accordo/16/ZZ99/modulo-adesione.pdf").status_code == 404


# --- the blank form ----------------------------------------------------------------------------


def test_the_blank_form_is_a_pdf_headed_with_the_ambito_and_region(cast, client, aree, settings):
    settings.SITE_URL = "https://pianidizona.regione.example"
    response = client.get(_url("adesione_modulo_vuoto", cast.ambito_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "modulo-adesione-ba01.pdf" in response["Content-Disposition"]
    testo = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Regione Puglia" in testo
    assert "Ambito di Bari (BA01)" in testo
    assert "Domanda di adesione all'Accordo di programma" in testo
    assert "Firma del legale rappresentante" in testo
    assert "Responsabilità familiari" in testo  # the FNPS areas to tick
    assert "pianidizona.regione.example/accordo/16/BA01/informativa/" in testo.replace(" ", "")


def test_the_blank_form_of_another_ambito_names_that_ambito(cast, client, aree):
    testo = "".join(
        p.extract_text()
        for p in PdfReader(
            io.BytesIO(client.get(_url("adesione_modulo_vuoto", cast.ambito_b)).content)
        ).pages
    )
    assert "Altamura" in testo and "Ambito di Bari" not in testo


# --- the receipt number ------------------------------------------------------------------------


def test_the_thank_you_page_and_the_email_carry_the_receipt_number(cast, client, aree):
    response = invia_adesione(client, cast.ambito_a, dati_adesione())
    adesione = Adesione.objects.get()
    anno = datetime.now(ZoneInfo("Europe/Rome")).year
    assert adesione.ricevuta == f"ADE-BA01-{anno}-000001"
    pagina = client.get(response["Location"])
    assert pagina.status_code == 200
    assert f"Numero della richiesta {adesione.ricevuta}" in _testo(pagina)
    [ricevuta] = [m for m in mail.outbox if m.to == ["maria.rossi@ilfaro.example"]]
    assert f"Numero della richiesta: {adesione.ricevuta}" in ricevuta.body


def test_receipt_numbers_run_per_ambito_and_restart_each_year(cast, aree):
    prima = adesione_di(cast.ambito_a, codice=cf_ente(1))
    seconda = adesione_di(cast.ambito_a, codice=cf_ente(2))
    altra = adesione_di(cast.ambito_b, codice=cf_ente(3))
    anno = prima.ricevuta_anno
    assert [prima.ricevuta, seconda.ricevuta] == [
        f"ADE-BA01-{anno}-000001",
        f"ADE-BA01-{anno}-000002",
    ]
    assert altra.ricevuta == f"ADE-BA02-{anno}-000001"
    # A request of the next year starts again from 1.
    nuova = Adesione(
        ambito=cast.ambito_a,
        creata_il=datetime(anno + 1, 1, 1, 0, 30, tzinfo=ZoneInfo("Europe/Rome")),
    )
    nuova.assegna_ricevuta()
    assert nuova.ricevuta == f"ADE-BA01-{anno + 1}-000001"


def test_the_same_code_in_two_regions_numbers_on_its_own(cast, aree):
    emilia = AmbitoFactory(regione__codice_istat="08", codice="BA01", nome="Distretto di Bazzano")
    adesione_di(cast.ambito_a, codice=cf_ente(1))
    assert adesione_di(emilia, codice=cf_ente(1)).ricevuta.endswith("-000001")


def test_a_thank_you_page_without_a_genuine_receipt_shows_no_number(cast, client, aree):
    adesione = adesione_di(cast.ambito_a)
    base = _url("adesione_ricevuta", cast.ambito_a)
    for indirizzo in [base, f"{base}?r={adesione.pk}", f"{base}?r=falso"]:
        response = client.get(indirizzo)
        assert response.status_code == 404
        assert "Ricevuta non disponibile" in response.content.decode()
        assert adesione.ricevuta not in response.content.decode()


def test_a_receipt_is_not_shown_under_another_ambito_s_address(cast, client, aree):
    response = invia_adesione(client, cast.ambito_a, dati_adesione())
    firmata = response["Location"].split("?", 1)[1]
    altrove = client.get(f"{_url('adesione_ricevuta', cast.ambito_b)}?{firmata}")
    assert altrove.status_code == 404


# --- the signed file kept across a validation error ---------------------------------------------


def test_the_signed_file_is_kept_when_another_field_is_wrong(cast, client, aree, file_salvati):
    response = invia_adesione(
        client,
        cast.ambito_a,
        dati_adesione(codice_fiscale="12345", modulo=carica("domanda firmata.pdf", corpus.PDF)),
    )
    assert response.status_code == 400
    testo = _testo(response)
    assert "File già caricato: domanda firmata.pdf ( sostituire? )" in testo
    assert "allegare di nuovo" not in testo
    assert file_salvati() == []  # kept aside, not in the archive until the request is accepted
    gettone = response.context["form"].data["modulo_in_sospeso"]
    # Corrected and sent again without attaching the file: it is the one kept.
    dati = dati_adesione(codice_fiscale=CF_ENTE, modulo_in_sospeso=gettone)
    del dati["modulo"]
    assert invia_adesione(client, cast.ambito_a, dati).status_code == 302
    adesione = Adesione.objects.get()
    assert adesione.modulo_nome == "domanda firmata.pdf"
    assert adesione.modulo.read() == corpus.PDF
    # Used once: the kept copy is gone.
    assert in_sospeso.modulo_recupera(gettone, cast.ambito_a.pk) is None


def test_a_new_file_replaces_the_kept_one(cast, client, aree):
    prima = invia_adesione(client, cast.ambito_a, dati_adesione(codice_fiscale="12345"))
    gettone = prima.context["form"].data["modulo_in_sospeso"]
    dati = dati_adesione(modulo_in_sospeso=gettone, modulo=carica("scansione.png", corpus.PNG))
    assert invia_adesione(client, cast.ambito_a, dati).status_code == 302
    assert Adesione.objects.get().modulo_nome == "scansione.png"


def test_a_refused_file_is_not_kept(cast, client, aree):
    dati = dati_adesione(codice_fiscale="12345", modulo=carica("modulo.pdf", corpus.HTML))
    response = invia_adesione(client, cast.ambito_a, dati)
    assert "codice HTML o script" in response.content.decode()
    assert "File già caricato" not in response.content.decode()
    assert response.context["form"].data["modulo_in_sospeso"] == ""


def test_an_expired_kept_file_is_asked_again(cast, client, aree):
    prima = invia_adesione(client, cast.ambito_a, dati_adesione(codice_fiscale="12345"))
    gettone = prima.context["form"].data["modulo_in_sospeso"]
    cache.clear()  # two hours later
    dati = dati_adesione(modulo_in_sospeso=gettone)
    del dati["modulo"]
    response = invia_adesione(client, cast.ambito_a, dati)
    assert response.status_code == 400
    assert "non è più disponibile" in response.content.decode()
    assert not Adesione.objects.exists()


def test_a_kept_file_cannot_be_used_for_another_ambito(cast, client, aree):
    prima = invia_adesione(client, cast.ambito_a, dati_adesione(codice_fiscale="12345"))
    gettone = prima.context["form"].data["modulo_in_sospeso"]
    dati = dati_adesione(modulo_in_sospeso=gettone)
    del dati["modulo"]
    response = invia_adesione(client, cast.ambito_b, dati)
    assert response.status_code == 400
    assert not Adesione.objects.exists()
