"""The recalculation: set-based, writes and records only what changed, runs as a job, follows
approvals and reports."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoraggio.indicatori import lavori
from monitoraggio.indicatori.services import indicatori_ricalcola
from monitoraggio.models import (
    Indicatore,
    StoricoValoreIndicatore,
    TransizioneRendicontazione,
    ValoreIndicatore,
)
from pianizona.iter import workflow
from pianizona.models import Job, Piano, Transizione, Versione

from . import indicatori_dati as d


@pytest.fixture
def regione_pronta(cast, fonti, riferimenti):
    d.popolazioni_tonde(cast)
    voci = d.voci(cast, riferimenti)
    d.programma_a(cast, fonti, voci)
    d.programma_b(cast, fonti, voci)
    d.carica_catalogo(cast.regione)
    return voci


def valore(codice: str, ambito, anno: int) -> Decimal | None:
    return ValoreIndicatore.objects.get(indicatore__codice=codice, ambito=ambito, anno=anno).valore


def test_the_first_recalculation_writes_every_value_and_a_history_row_for_each_real_one(
    cast, regione_pronta
):
    esito = indicatori_ricalcola(regione=cast.regione, anni=[2025, 2026, 2027])
    calcolati = Indicatore.objects.filter(regione=cast.regione, tipo="calcolato").count()
    assert esito.creati == len(esito.righe) > 0
    assert valore("SPS01", cast.ambito_a, 2025) == Decimal("2.0000")
    assert valore("FNP01", cast.ambito_a, 2025) == Decimal("60.0000")
    # B's plan is only submitted: a row keeps the reason, the history has nothing to record.
    senza = ValoreIndicatore.objects.get(
        indicatore__codice="SPS01", ambito=cast.ambito_b, anno=2025
    )
    assert senza.valore is None and "Nessun piano approvato" in senza.nota
    con_valore = ValoreIndicatore.objects.filter(valore__isnull=False).count()
    assert esito.storici == con_valore == StoricoValoreIndicatore.objects.count()
    assert StoricoValoreIndicatore.objects.filter(origine="calcolo").count() == con_valore
    assert calcolati == 17


def test_a_second_run_changes_nothing(cast, regione_pronta):
    indicatori_ricalcola(regione=cast.regione)
    prima = list(ValoreIndicatore.objects.values_list("pk", "valore", "nota", "aggiornato_il"))
    storico = StoricoValoreIndicatore.objects.count()
    esito = indicatori_ricalcola(regione=cast.regione)
    assert (esito.creati, esito.aggiornati, esito.storici, esito.cambiati) == (0, 0, 0, 0)
    assert list(ValoreIndicatore.objects.values_list("pk", "valore", "nota", "aggiornato_il")) == (
        prima
    )
    assert StoricoValoreIndicatore.objects.count() == storico


def test_only_the_values_that_changed_get_a_history_row(cast, fonti, regione_pronta):
    indicatori_ricalcola(regione=cast.regione, anni=[2025])
    d.approva(cast.piano_b)  # B's values appear, the region's change, A's stay as they were
    esito = indicatori_ricalcola(regione=cast.regione, anni=[2025])
    cambiati = {(r.indicatore.codice, r.ambito_codice) for r in esito.righe if r.cambiato}
    assert ("SPS01", "BA02") in cambiati
    assert ("REG01", "") in cambiati and ("REG06", "") in cambiati
    assert not any(ambito == "BA01" for _, ambito in cambiati)
    assert (
        StoricoValoreIndicatore.objects.filter(
            indicatore__codice="SPS01", ambito=cast.ambito_a
        ).count()
        == 1
    )
    regionale = StoricoValoreIndicatore.objects.filter(
        indicatore__codice="REG01", ambito__isnull=True, anno=2025
    ).order_by("registrato_il", "pk")
    assert [s.valore for s in regionale] == [Decimal("2.0000"), Decimal("1.6667")]


def test_a_value_that_can_no_longer_be_computed_is_recorded_as_gone(cast, regione_pronta):
    indicatori_ricalcola(regione=cast.regione, anni=[2025])
    Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.RICHIESTA_INTEGRAZIONI)
    indicatori_ricalcola(regione=cast.regione, anni=[2025])
    attuale = ValoreIndicatore.objects.get(
        indicatore__codice="SPS01", ambito=cast.ambito_a, anno=2025
    )
    assert attuale.valore is None and "Nessun piano approvato" in attuale.nota
    ultimo = StoricoValoreIndicatore.objects.filter(
        indicatore__codice="SPS01", ambito=cast.ambito_a
    ).latest("registrato_il", "pk")
    assert ultimo.valore is None


def test_an_ambitos_recalculation_leaves_the_other_ambiti_alone(cast, regione_pronta):
    d.approva(cast.piano_b)
    indicatori_ricalcola(regione=cast.regione, ambito=cast.ambito_a, anni=[2025])
    ambiti = set(ValoreIndicatore.objects.values_list("ambito_id", flat=True))
    assert ambiti == {cast.ambito_a.pk, None}  # A's and the region's, which include A


def test_entered_indicators_are_never_touched_by_the_recalculation(cast, regione_pronta):
    indicatori_ricalcola(regione=cast.regione)
    assert not ValoreIndicatore.objects.filter(indicatore__tipo="inserito").exists()


def _conta_query(cast, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        indicatori_ricalcola(regione=cast.regione, **kwargs)
    return len(queries)


def test_the_query_count_does_not_grow_with_the_number_of_ambiti(cast, fonti, regione_pronta):
    d.approva(cast.piano_b)
    # One year: every write fits in one batch of SQLite's 999 parameters on both sides.
    due = _conta_query(cast, anni=[2025])
    di_nuovo_due = _conta_query(cast, anni=[2025])  # nothing changed: reads only
    for n in range(4):
        d.altro_ambito(cast, fonti, regione_pronta, n)
    ValoreIndicatore.objects.all().delete()
    StoricoValoreIndicatore.objects.all().delete()
    sei = _conta_query(cast, anni=[2025])
    di_nuovo_sei = _conta_query(cast, anni=[2025])
    assert (
        ValoreIndicatore.objects.filter(ambito__isnull=False).values("ambito").distinct().count()
        == 6
    )
    assert sei == due
    assert di_nuovo_sei == di_nuovo_due


# --- the job --------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_requested_recalculation_runs_as_a_job_and_hands_back_a_csv(
    cast, regione_pronta, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = lavori.indicatori_ricalcolo_richiedi(user=cast.funzionario, regione=cast.regione)
    job.refresh_from_db()
    assert job.tipo == "ricalcolo_indicatori"
    assert job.parametri == {"regione": cast.regione.pk, "ambito": None}
    assert job.ciclo == cast.piano_a.ciclo
    assert job.stato == Job.Stato.COMPLETATO, job.errore
    assert job.nome_file == "indicatori-regione-2025-2027.csv"
    righe = list(csv.DictReader(io.StringIO(job.file.read().decode("utf-8"))))
    riga = next(
        r for r in righe if r["codice"] == "SPS01" and r["ambito"] == "BA01" and r["anno"] == "2025"
    )
    assert riga["valore"] == "2"  # dot decimals, no grouping
    assert riga["cambiato"] == "si"
    assert all(r["data"][4] == "-" for r in righe)  # ISO dates
    assert StoricoValoreIndicatore.objects.filter(job=job).exists()
    # The requester sees their job.
    from pianizona.lavori.selectors import jobs_for_user

    assert jobs_for_user(cast.funzionario).filter(pk=job.pk).exists()


def test_a_district_user_may_recalculate_their_own_ambito_and_see_the_job(
    cast, regione_pronta, media, django_capture_on_commit_callbacks
):
    from pianizona.lavori.selectors import jobs_for_user

    with django_capture_on_commit_callbacks(execute=True):
        job = lavori.indicatori_ricalcolo_richiedi(
            user=cast.operatore_a, regione=cast.regione, ambito=cast.ambito_a
        )
    job.refresh_from_db()
    assert job.stato == Job.Stato.COMPLETATO
    assert jobs_for_user(cast.operatore_a).filter(pk=job.pk).exists()
    assert not jobs_for_user(cast.operatore_b).filter(pk=job.pk).exists()


@pytest.mark.parametrize(
    ("ruolo", "ambito"),
    [("operatore_a", None), ("operatore_b", "ambito_a"), ("admin", None)],
)
def test_a_recalculation_outside_ones_remit_is_refused(cast, ruolo, ambito):
    from pianizona.dominio import ErroreDominio

    with pytest.raises(ErroreDominio):
        lavori.indicatori_ricalcolo_richiedi(
            user=cast.user(ruolo),
            regione=cast.regione,
            ambito=getattr(cast, ambito) if ambito else None,
        )
    assert not Job.objects.exists()


def test_asking_twice_while_the_first_waits_gives_the_same_job(cast):
    primo = lavori.indicatori_ricalcolo_richiedi(user=cast.funzionario, regione=cast.regione)
    secondo = lavori.indicatori_ricalcolo_richiedi(user=cast.funzionario, regione=cast.regione)
    assert secondo.pk == primo.pk
    assert Job.objects.count() == 1


# --- triggers --------------------------------------------------------------------------------------


def _approva_con_il_workflow(cast, capture) -> None:
    piano = cast.piano_b  # submitted by someone else: the officer may approve it
    Piano.objects.filter(pk=piano.pk).update(stato=Piano.Stato.IN_ISTRUTTORIA)
    Versione.objects.create(
        piano=piano, numero=1, creata_da=cast.operatore_b, contenuto={}, impronta="x"
    )
    with capture(execute=True):
        workflow.piano_approva(
            piano=piano, user=cast.funzionario, stato_atteso=Piano.Stato.IN_ISTRUTTORIA
        )


def test_an_approval_queues_one_recalculation_of_that_ambito(
    cast, media, django_capture_on_commit_callbacks
):
    from unittest import mock

    with mock.patch("pianizona.lavori.services._accoda"):  # no worker: the test looks at the queue
        _approva_con_il_workflow(cast, django_capture_on_commit_callbacks)
        job = Job.objects.get(tipo="ricalcolo_indicatori")
        assert job.utente == cast.funzionario
        assert job.parametri == {"regione": cast.regione.pk, "ambito": cast.ambito_b.pk}
        assert job.ciclo_id == cast.piano_b.ciclo_id
        # Another approval in the same scope while it waits adds nothing.
        transizione = Transizione.objects.get(piano=cast.piano_b, a_stato="approvato")
        lavori.dopo_transizione(transizione)
    assert Job.objects.filter(tipo="ricalcolo_indicatori").count() == 1


def test_other_transitions_queue_nothing(cast):
    transizione = Transizione(
        piano=cast.piano_b,
        azione="invio",
        da_stato="bozza",
        a_stato="inviato",
        utente=cast.operatore_b,
    )
    lavori.dopo_transizione(transizione)
    assert not Job.objects.exists()


def test_a_submitted_report_queues_a_recalculation_by_whoever_submitted_it(
    cast, fonti, riferimenti, regione_pronta
):
    from unittest import mock

    rendicontazione = d.rendiconta_a(cast, fonti, riferimenti)
    TransizioneRendicontazione.objects.create(
        rendicontazione=rendicontazione,
        azione="invio",
        da_stato="bozza",
        a_stato="inviata",
        utente=cast.responsabile_a,
    )
    with mock.patch("pianizona.lavori.services._accoda"):
        lavori.dopo_rendicontazione(rendicontazione, "invio")
        lavori.dopo_rendicontazione(rendicontazione, "restituzione")
    job = Job.objects.get(tipo="ricalcolo_indicatori")
    assert job.utente == cast.responsabile_a
    assert job.parametri["ambito"] == cast.ambito_a.pk
