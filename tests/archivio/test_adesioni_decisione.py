"""The Ufficio di Piano decides on adhesions; accepted organisations are listed on the plan and in its PDF."""

from datetime import timedelta

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from archivio.models import Adesione
from pianizona import registry
from pianizona.models import Versione
from programmazione.stampa.piano import html_del_piano
from tests.conftest import query_count

from .utili import adesione_di, cf_ente


def _decidi(client, adesione, esito, nota=""):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("archivio:adesione_decidi", args=[adesione.pk]), {"esito": esito, "nota": nota}
        )


def test_the_manager_accepts_and_the_organisation_is_told(cast, client_for):
    adesione = adesione_di(cast.ambito_a)
    response = _decidi(client_for("responsabile_a"), adesione, "accetta", "Benvenuti.")
    assert response.status_code == 302
    adesione.refresh_from_db()
    assert adesione.stato == Adesione.Stato.ACCETTATA
    assert adesione.decisa_da == cast.responsabile_a and adesione.nota == "Benvenuti."
    [messaggio] = mail.outbox
    assert messaggio.to == ["maria.rossi@ilfaro.example"]
    assert "adesione accettata" in messaggio.subject and "Benvenuti." in messaggio.body


def test_a_rejection_needs_a_note_which_the_organisation_reads(cast, client_for):
    adesione = adesione_di(cast.ambito_a)
    client = client_for("responsabile_a")
    response = _decidi(client, adesione, "respingi")
    assert response.status_code == 400
    assert "indica il motivo" in response.content.decode()
    adesione.refresh_from_db()
    assert adesione.stato == Adesione.Stato.IN_ATTESA and mail.outbox == []

    _decidi(client, adesione, "respingi", "L'ente non ha sede nell'ambito.")
    adesione.refresh_from_db()
    assert adesione.stato == Adesione.Stato.RESPINTA
    [messaggio] = mail.outbox
    assert "non accettata" in messaggio.subject
    assert "L'ente non ha sede nell'ambito." in messaggio.body
    assert reverse("archivio:adesione", args=["16", cast.ambito_a.codice]) in messaggio.body


def test_only_the_manager_decides(cast, client_for):
    adesione = adesione_di(cast.ambito_a)
    for ruolo in ("operatore_a", "funzionario", "admin"):
        assert _decidi(client_for(ruolo), adesione, "accetta").status_code == 403
    assert _decidi(client_for("operatore_b"), adesione, "accetta").status_code == 404
    adesione.refresh_from_db()
    assert adesione.stato == Adesione.Stato.IN_ATTESA and mail.outbox == []


def test_a_decided_request_cannot_be_decided_again(cast, client_for):
    adesione = adesione_di(cast.ambito_a)
    client = client_for("responsabile_a")
    _decidi(client, adesione, "accetta")
    response = _decidi(client, adesione, "respingi", "Ripensamento.")
    assert response.status_code == 302
    adesione.refresh_from_db()
    assert adesione.stato == Adesione.Stato.ACCETTATA
    assert len(mail.outbox) == 1
    pagina = client.get(response["Location"]).content.decode()
    assert "già stata decisa" in pagina


def test_the_office_sees_pending_requests_and_the_signed_form(cast, client_for):
    adesione = adesione_di(cast.ambito_a)
    client = client_for("operatore_a")
    elenco = client.get(reverse("archivio:adesioni", args=[cast.ambito_a.pk])).content.decode()
    assert adesione.denominazione in elenco
    dettaglio = client.get(reverse("archivio:adesione_dettaglio", args=[adesione.pk]))
    assert adesione.modulo_sha256 in dettaglio.content.decode()
    assert dettaglio.context["puo_decidere"] is False  # the operator reads, the manager decides
    modulo = client.get(reverse("archivio:adesione_modulo", args=[adesione.pk]))
    assert modulo["Content-Disposition"] == 'attachment; filename="modulo.pdf"'
    assert modulo["X-Content-Type-Options"] == "nosniff"


def test_the_requests_list_runs_a_constant_number_of_queries(
    cast, client_for, assert_constant_queries
):
    adesione_di(cast.ambito_a)
    client = client_for("responsabile_a")
    url = reverse("archivio:adesioni", args=[cast.ambito_a.pk])

    def crescono():
        for i in range(5):
            adesione_di(cast.ambito_a, denominazione=f"Ente {i}", codice=cf_ente(i))

    assert_constant_queries(client, url, query_count(client, url), crescono)


def _accettata(cast, nome="Cooperativa sociale Il Faro", codice="00743110157", quando=None):
    adesione = adesione_di(cast.ambito_a, denominazione=nome, codice=codice)
    Adesione.objects.filter(pk=adesione.pk).update(
        stato=Adesione.Stato.ACCETTATA,
        decisa_da=cast.responsabile_a,
        decisa_il=quando or timezone.now(),
    )
    return adesione


def test_accepted_adherents_are_listed_on_the_plan(cast, client_for):
    _accettata(cast)
    adesione_di(cast.ambito_a, denominazione="In attesa ODV", codice=cf_ente(99))
    client = client_for("operatore_a")
    piano = client.get(reverse("piano_detail", args=[cast.piano_a.pk])).content.decode()
    assert reverse("archivio:aderenti_piano", args=[cast.piano_a.pk]) in piano
    pagina = client.get(reverse("archivio:aderenti_piano", args=[cast.piano_a.pk])).content.decode()
    assert "Cooperativa sociale Il Faro" in pagina and "In attesa ODV" not in pagina
    altro = client_for("operatore_b").get(
        reverse("archivio:aderenti_piano", args=[cast.piano_b.pk])
    )
    assert "Cooperativa sociale Il Faro" not in altro.content.decode()


def test_the_plan_pdf_lists_the_adherents_in_its_index_and_at_its_end(cast):
    _accettata(cast)
    [sezione] = registry.sezioni_pdf(cast.piano_a, None)
    assert "Cooperativa sociale Il Faro" in sezione.html
    html = html_del_piano(cast.piano_a)
    assert html.count('href="#aderenti"') == 2  # the index's title and page number
    assert 'id="aderenti"' in html and "Cooperativa sociale Il Faro" in html


def test_a_frozen_version_s_pdf_lists_the_adherents_of_its_day(cast):
    versione = Versione.objects.create(
        piano=cast.piano_a,
        numero=1,
        creata_da=cast.responsabile_a,
        creata_il=timezone.now() - timedelta(days=10),
        contenuto={},
        impronta="0" * 64,
    )
    _accettata(cast, quando=timezone.now() - timedelta(days=20))
    _accettata(cast, nome="Arrivata dopo APS", codice=cf_ente(99))
    [sezione] = registry.sezioni_pdf(cast.piano_a, versione)
    assert "Cooperativa sociale Il Faro" in sezione.html
    assert "Arrivata dopo APS" not in sezione.html
    assert "alla data della versione 1" in sezione.html
