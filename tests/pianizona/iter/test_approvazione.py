"""Approving a plan with open remarks: the page lists them, the officer closes them or keeps them."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from pianizona import registry
from pianizona.dominio import ErroreDominio
from pianizona.iter import commenti, workflow
from pianizona.models import Commento, Piano, Transizione
from tests.factories import PASSWORD

Stato = Piano.Stato
Osservazioni = Transizione.Osservazioni


@pytest.fixture
def istruttoria(cast, monkeypatch) -> Piano:
    """The plan submitted by its responsabile and taken in charge by the officer."""
    monkeypatch.setattr(registry, "_controlli", [])
    workflow.piano_invia(piano=cast.piano_a, user=cast.responsabile_a, stato_atteso=Stato.BOZZA)
    workflow.piano_prendi_in_carico(
        piano=cast.piano_a, user=cast.funzionario, stato_atteso=Stato.INVIATO
    )
    return cast.piano_a


def osserva(cast, testo: str, sezione: str = "generale") -> Commento:
    return commenti.commento_crea(
        piano=cast.piano_a, user=cast.funzionario, sezione=sezione, testo=testo
    )


def url(cast) -> str:
    return reverse("piano_approvazione", args=[cast.piano_a.pk])


def approva(client, cast, **extra):
    pagina = client.get(url(cast))
    dati = {
        "stato_atteso": "in_istruttoria",
        "conferma": PASSWORD,
        "osservazioni_viste": pagina.context["form"].initial["osservazioni_viste"],
        **extra,
    }
    return client.post(url(cast), dati, follow=True)


def aperte(cast) -> list[str]:
    return list(
        Commento.objects.filter(piano=cast.piano_a, risolto_il__isnull=True).values_list(
            "testo", flat=True
        )
    )


def test_the_approval_page_warns_and_lists_the_open_remarks(cast, client_for, istruttoria):
    osserva(cast, "Manca il cronoprogramma.")
    osserva(cast, "La quota FNPS per l'infanzia è sotto il 50%.", sezione="risorse:budget")
    testo = client_for("funzionario").get(url(cast)).content.decode()
    assert "Il piano ha 2 osservazioni aperte" in testo
    assert "Manca il cronoprogramma." in testo
    assert "Budget</a>: La quota FNPS per l&#x27;infanzia è sotto il 50%." in testo
    assert "Chiudi le osservazioni aperte" in testo and "Lasciale aperte" in testo


def test_without_open_remarks_there_is_nothing_to_choose(cast, client_for, istruttoria):
    testo = client_for("funzionario").get(url(cast)).content.decode()
    assert "osservazioni aperte" not in testo and "Lasciale aperte" not in testo
    risposta = approva(client_for("funzionario"), cast)
    assert "Piano approvato. L&#x27;Ufficio di Piano riceve una notifica." in (
        risposta.content.decode()
    )


def test_the_choice_is_required_and_without_it_nothing_is_approved(cast, client_for, istruttoria):
    osserva(cast, "Manca il cronoprogramma.")
    client = client_for("funzionario")
    risposta = client.post(url(cast), {"stato_atteso": "in_istruttoria", "conferma": PASSWORD})
    assert risposta.status_code == 400
    assert (
        "Il piano ha un&#x27;osservazione aperta: scegliere se chiuderle con l&#x27;approvazione "
        "o lasciarle aperte." in risposta.content.decode()
    )
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.IN_ISTRUTTORIA
    assert aperte(cast) == ["Manca il cronoprogramma."]


def test_closing_them_approves_and_resolves_every_open_remark(cast, client_for, istruttoria):
    osserva(cast, "Manca il cronoprogramma.")
    osserva(cast, "Rivedere l'analisi del contesto.")
    risposta = approva(client_for("funzionario"), cast, osservazioni="chiuse")
    assert "Piano approvato. Chiuse le 2 osservazioni aperte." in risposta.content.decode()
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.APPROVATO
    assert aperte(cast) == []
    assert set(Commento.objects.values_list("risolto_da", flat=True)) == {cast.funzionario.pk}
    approvazione = Transizione.objects.get(azione=Transizione.Azione.APPROVAZIONE)
    assert (approvazione.osservazioni, approvazione.osservazioni_aperte) == (Osservazioni.CHIUSE, 2)


def test_leaving_them_open_approves_and_keeps_them_open(cast, client_for, istruttoria):
    osserva(cast, "Manca il cronoprogramma.")
    osserva(cast, "Rivedere l'analisi del contesto.")
    risposta = approva(client_for("funzionario"), cast, osservazioni="lasciate_aperte")
    assert "Piano approvato. 2 osservazioni restano aperte." in risposta.content.decode()
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.APPROVATO
    assert len(aperte(cast)) == 2
    approvazione = Transizione.objects.get(azione=Transizione.Azione.APPROVAZIONE)
    assert approvazione.osservazioni == Osservazioni.LASCIATE_APERTE


def test_the_choice_is_recorded_in_the_plans_state_changes(cast, client_for, istruttoria):
    osserva(cast, "Manca il cronoprogramma.")
    approva(client_for("funzionario"), cast, osservazioni="lasciate_aperte")
    testo = client_for("operatore_a").get(reverse("piano_versioni", args=[cast.piano_a.pk]))
    assert "Un&#x27;osservazione resta aperta." in testo.content.decode()


def test_a_remark_written_after_the_page_was_opened_stops_the_approval(
    cast, client_for, istruttoria
):
    osserva(cast, "Manca il cronoprogramma.")
    client = client_for("funzionario")
    viste = client.get(url(cast)).context["form"].initial["osservazioni_viste"]
    osserva(cast, "Nuova: manca la firma del capofila.")  # a colleague, meanwhile
    risposta = client.post(
        url(cast),
        {
            "stato_atteso": "in_istruttoria",
            "conferma": PASSWORD,
            "osservazioni": "chiuse",
            "osservazioni_viste": viste,
        },
        follow=True,
    )
    testo = risposta.content.decode()
    assert "Nel frattempo è stata scritta una nuova osservazione" in testo
    assert "Nuova: manca la firma del capofila." in testo  # back on the page, listed
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.IN_ISTRUTTORIA
    assert len(aperte(cast)) == 2


def test_remarks_are_closed_only_if_the_approval_is_recorded(cast, istruttoria, monkeypatch):
    osserva(cast, "Manca il cronoprogramma.")

    def rotta(**kwargs):
        raise IntegrityError("disco pieno")

    monkeypatch.setattr(Transizione.objects, "create", rotta)
    with pytest.raises(IntegrityError):
        workflow.piano_approva(
            piano=cast.piano_a,
            user=cast.funzionario,
            stato_atteso=Stato.IN_ISTRUTTORIA,
            osservazioni=Osservazioni.CHIUSE,
        )
    assert aperte(cast) == ["Manca il cronoprogramma."]
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.IN_ISTRUTTORIA


def test_the_service_refuses_an_approval_without_the_choice(cast, istruttoria):
    osserva(cast, "Manca il cronoprogramma.")
    with pytest.raises(ErroreDominio, match="Il piano non è stato approvato"):
        workflow.piano_approva(
            piano=cast.piano_a, user=cast.funzionario, stato_atteso=Stato.IN_ISTRUTTORIA
        )
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.IN_ISTRUTTORIA


def test_the_approval_page_runs_the_same_queries_whatever_the_number_of_remarks(
    cast, client_for, istruttoria, assert_constant_queries
):
    osserva(cast, "Prima.")
    assert_constant_queries(
        client_for("funzionario"),
        url(cast),
        11,
        lambda: [osserva(cast, f"Osservazione {i}.", sezione="risorse:budget") for i in range(3)],
    )


# --- a version's outcome ------------------------------------------------------------------------


def _rimandata_e_reinviata(cast) -> None:
    workflow.piano_richiedi_integrazioni(
        piano=cast.piano_a,
        user=cast.funzionario,
        stato_atteso=Stato.IN_ISTRUTTORIA,
        commento="Manca la quota di Valenzano.",
    )
    workflow.piano_invia(
        piano=cast.piano_a, user=cast.responsabile_a, stato_atteso=Stato.RICHIESTA_INTEGRAZIONI
    )


def _righe_versioni(testo: str) -> dict[str, str]:
    """Each version row of the versions table, by its number, as text."""
    tabella = testo[testo.index("Versioni inviate") : testo.index("Passaggi di stato</h2>")]
    righe = {}
    for riga in tabella.split("<tr>")[2:]:
        numero = riga.split("Versione ")[1].split("<")[0]
        righe[numero] = riga
    return righe


def test_a_version_sent_back_shows_its_outcome_in_the_versions_list(cast, client_for, istruttoria):
    _rimandata_e_reinviata(cast)
    testo = client_for("operatore_a").get(reverse("piano_versioni", args=[cast.piano_a.pk]))
    righe = _righe_versioni(testo.content.decode())
    assert "Integrazioni richieste" in righe["1"] and "—" not in righe["1"]
    assert "In esame" in righe["2"]


def test_an_approved_version_shows_approvata_and_the_one_sent_back_keeps_its_outcome(
    cast, client_for, istruttoria
):
    _rimandata_e_reinviata(cast)
    workflow.piano_prendi_in_carico(
        piano=cast.piano_a, user=cast.funzionario, stato_atteso=Stato.INVIATO
    )
    workflow.piano_approva(
        piano=cast.piano_a, user=cast.funzionario, stato_atteso=Stato.IN_ISTRUTTORIA
    )
    testo = client_for("operatore_a").get(reverse("piano_versioni", args=[cast.piano_a.pk]))
    righe = _righe_versioni(testo.content.decode())
    assert "Integrazioni richieste" in righe["1"]
    assert "Approvata" in righe["2"]


def test_the_version_page_shows_its_outcome_and_the_regions_note(cast, client_for, istruttoria):
    _rimandata_e_reinviata(cast)
    pagina = client_for("operatore_a").get(reverse("piano_versione", args=[cast.piano_a.pk, 1]))
    testo = pagina.content.decode()
    assert "Integrazioni richieste</span>" in testo
    assert "Richiesta di integrazioni" in testo and "Manca la quota di Valenzano." in testo


def test_the_versions_page_runs_the_same_queries_as_versions_are_sent_back(
    cast, client_for, istruttoria, assert_constant_queries
):
    def un_altro_giro():
        _rimandata_e_reinviata(cast)
        workflow.piano_prendi_in_carico(
            piano=cast.piano_a, user=cast.funzionario, stato_atteso=Stato.INVIATO
        )

    assert_constant_queries(
        client_for("operatore_a"),
        reverse("piano_versioni", args=[cast.piano_a.pk]),
        9,  # as before: the outcome comes from the moves the page already reads
        un_altro_giro,
    )


def test_moves_recorded_before_the_migration_get_the_version_they_concern(
    cast, client_for, istruttoria
):
    from importlib import import_module

    from django.apps import apps

    _rimandata_e_reinviata(cast)
    Transizione.objects.exclude(azione=Transizione.Azione.INVIO).update(versione=None)  # as then
    migrazione = import_module(
        "pianizona.migrations.0012_esiti_delle_versioni_e_osservazioni_all_approvazione"
    )
    migrazione.collega_versioni(apps, None)
    per_azione = dict(
        Transizione.objects.exclude(azione=Transizione.Azione.INVIO).values_list(
            "azione", "versione__numero"
        )
    )
    assert per_azione == {"presa_in_carico": 1, "richiesta_integrazioni": 1}
    testo = client_for("operatore_a").get(reverse("piano_versioni", args=[cast.piano_a.pk]))
    assert "Integrazioni richieste" in _righe_versioni(testo.content.decode())["1"]


def test_the_district_is_told_by_e_mail_what_the_approval_did_to_the_remarks(
    cast, istruttoria, django_capture_on_commit_callbacks
):
    from django.core import mail

    osserva(cast, "Manca il cronoprogramma.")
    osserva(cast, "Rivedere l'analisi del contesto.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.piano_approva(
            piano=cast.piano_a,
            user=cast.funzionario,
            stato_atteso=Stato.IN_ISTRUTTORIA,
            osservazioni=Osservazioni.LASCIATE_APERTE,
        )
    assert mail.outbox and all(
        "Osservazioni della Regione: 2 osservazioni restano aperte." in m.body for m in mail.outbox
    )
