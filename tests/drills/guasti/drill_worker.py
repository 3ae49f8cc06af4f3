"""A Celery worker killed (SIGKILL) in the middle of a plan's PDF and of a region's recalculation.

The next worker finishes the job from scratch, once: one file, the values of a clean run and no
more. Meanwhile the owner's job page says *in corso*, never *completato*, and offers no file.
"""

import re
import time
import uuid
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from monitoraggio.indicatori.services import indicatori_ricalcola
from monitoraggio.models import Indicatore, StoricoValoreIndicatore, ValoreIndicatore
from pianizona.models import Ciclo, Job

from .conftest import attendi, misura

VISIBILITA = 3  # seconds before an unacknowledged message goes back to the queue


def _job_dalla_risposta(risposta) -> Job:
    assert risposta.status_code == 302, risposta.content[:500]
    trovato = re.fullmatch(r"/lavori/([0-9a-f-]{36})/", risposta["Location"])
    assert trovato, risposta["Location"]
    return Job.objects.get(pk=uuid.UUID(trovato.group(1)))


def _etichetta(client, job: Job) -> str:
    """What the owner's job page says: the state's label, and whether it offers the file."""
    risposta = client.get(reverse("job_stato", args=[job.pk]))
    assert risposta.status_code == 200
    html = risposta.content.decode()
    stato = re.search(r'<span class="stato[^"]*">([^<]+)</span>', html).group(1).strip()
    return f"{stato} (file)" if reverse("job_scarica", args=[job.pk]) in html else stato


def _segui(client, job: Job, secondi: float, log) -> tuple[Job, set[str]]:
    """Poll the page as the owner does until the job is concluded; every label seen on the way."""
    visti: set[str] = set()
    fine = time.monotonic() + secondi
    while time.monotonic() < fine:
        etichetta = _etichetta(client, job)
        letto = Job.objects.get(pk=job.pk)
        if letto.stato != Job.Stato.COMPLETATO:
            # The page may lag the database (read first), never run ahead of it.
            assert etichetta in ("In coda", "In corso"), (etichetta, letto.stato)
        visti.add(etichetta)
        if letto.concluso:
            visti.add(_etichetta(client, job))
            return letto, visti
        time.sleep(0.2)
    raise AssertionError(f"Dopo {secondi} s il lavoro non è concluso.\n{log()}")


def _file_del_lavoro(job: Job, settings) -> list[str]:
    cartella = Path(settings.MEDIA_ROOT) / "job" / str(job.pk)
    return sorted(p.name for p in cartella.iterdir()) if cartella.is_dir() else []


def test_a_worker_killed_during_a_plan_pdf_leaves_it_to_the_next_which_makes_one_file(
    demo, lavoratori, settings
):
    client = demo.client(demo.operatore)
    primo, secondo = lavoratori(visibilita=VISIBILITA), lavoratori(visibilita=VISIBILITA)
    job = _job_dalla_risposta(
        client.post(reverse("programmazione:pdf_richiedi", args=[demo.piano.pk]))
    )
    primo.avvia()

    def impaginazione() -> bool:
        letto = Job.objects.get(pk=job.pk)
        assert not letto.concluso, (
            "il PDF è finito prima dell'interruzione: serve un piano più grande"
        )
        return letto.stato == Job.Stato.IN_CORSO and letto.progresso >= 10

    attendi(impaginazione, 60, "l'inizio dell'impaginazione", primo.log())
    time.sleep(0.5)  # inside WeasyPrint's layout of the 60 sheets
    primo.uccidi()
    ucciso = time.monotonic()

    interrotto = Job.objects.get(pk=job.pk)
    assert interrotto.stato == Job.Stato.IN_CORSO and interrotto.tentativi == 1
    assert _etichetta(client, job) == "In corso"  # the truth: not done, no file offered
    assert _file_del_lavoro(job, settings) == []
    assert client.get(reverse("job_scarica", args=[job.pk])).status_code == 302  # not ready

    time.sleep(VISIBILITA + 0.5)  # the unacknowledged message becomes visible again
    secondo.avvia()
    finito, visti = _segui(client, job, 90, secondo.log)
    ripresa = time.monotonic() - ucciso

    assert finito.stato == Job.Stato.COMPLETATO, (finito.errore, secondo.log())
    assert (finito.tentativi, finito.progresso) == (2, 100)
    file = _file_del_lavoro(job, settings)
    assert file == [finito.nome_file]
    scaricato = client.get(reverse("job_scarica", args=[job.pk]))
    assert scaricato.status_code == 200
    assert b"".join(scaricato.streaming_content).startswith(b"%PDF-")
    assert Job.objects.filter(piano=demo.piano).count() == 1
    misura("PDF del piano (worker ucciso): ripreso e completato in", f"{ripresa:.1f} s", "< 90 s")
    misura("PDF del piano: file prodotti", str(len(file)), "1", len(file) == 1)
    misura(
        "PDF del piano: stati mostrati al richiedente",
        " → ".join(s for s in ("In coda", "In corso", "Completato (file)") if s in visti),
        "mai «Completato» prima del file",
    )


def _valori(regione) -> dict[tuple, object]:
    return {
        (v.indicatore_id, v.ambito_id, v.anno): v.valore
        for v in ValoreIndicatore.objects.filter(indicatore__regione=regione)
    }


def _doppi(modello, regione, *campi: str) -> int:
    return (
        modello.objects.filter(indicatore__regione=regione)
        .values(*campi)
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )


def test_a_worker_killed_before_the_recalculation_commits_leaves_values_computed_exactly_once(
    demo, lavoratori, settings, tmp_path
):
    regione = demo.regione
    ciclo = Ciclo.objects.filter(regione=regione).order_by("-anno_inizio").first()
    calcolati = Indicatore.objects.filter(regione=regione, tipo=Indicatore.Tipo.CALCOLATO)
    # From scratch: every computed value of the region must be written again.
    ValoreIndicatore.objects.filter(indicatore__in=calcolati).delete()
    StoricoValoreIndicatore.objects.filter(indicatore__in=calcolati).delete()
    prima = (ValoreIndicatore.objects.count(), StoricoValoreIndicatore.objects.count())

    # What a clean run writes, measured in a transaction rolled back.
    with transaction.atomic():
        pulito = indicatori_ricalcola(regione=regione, anni=ciclo.anni)
        atteso = _valori(regione)
        attesi = (ValoreIndicatore.objects.count(), StoricoValoreIndicatore.objects.count())
        transaction.set_rollback(True)
    assert pulito.creati > 500, "la demo dovrebbe dare centinaia di valori da scrivere"

    segnale = tmp_path / "valori-scritti"
    primo = lavoratori(visibilita=VISIBILITA, pausa_ricalcolo=60, segnale=segnale)
    secondo = lavoratori(visibilita=VISIBILITA)
    client = demo.client(demo.funzionario)
    job = _job_dalla_risposta(
        client.post(reverse("monitoraggio:indicatori_ricalcola_regione", args=[ciclo.pk]))
    )
    primo.avvia()
    attendi(segnale.exists, 60, "la scrittura dei valori", primo.log())

    # Written but not committed: nobody sees them, the page says the job is running.
    assert (ValoreIndicatore.objects.count(), StoricoValoreIndicatore.objects.count()) == prima
    assert _etichetta(client, job) == "In corso"
    primo.uccidi()
    ucciso = time.monotonic()
    assert (ValoreIndicatore.objects.count(), StoricoValoreIndicatore.objects.count()) == prima

    time.sleep(VISIBILITA + 0.5)
    secondo.avvia()
    finito, visti = _segui(client, job, 90, secondo.log)
    ripresa = time.monotonic() - ucciso

    assert finito.stato == Job.Stato.COMPLETATO, (finito.errore, secondo.log())
    assert finito.tentativi == 2
    ottenuti = (ValoreIndicatore.objects.count(), StoricoValoreIndicatore.objects.count())
    assert ottenuti == attesi
    assert _valori(regione) == atteso
    doppi = _doppi(ValoreIndicatore, regione, "indicatore", "ambito", "anno") + _doppi(
        StoricoValoreIndicatore, regione, "indicatore", "ambito", "anno", "job"
    )
    assert doppi == 0
    assert StoricoValoreIndicatore.objects.filter(job=job).count() == pulito.storici
    assert _file_del_lavoro(job, settings) == [finito.nome_file]
    misura(
        "Ricalcolo indicatori (worker ucciso): ripreso e completato in",
        f"{ripresa:.1f} s",
        "< 90 s",
    )
    misura(
        "Ricalcolo: valori e storico dopo la ripresa",
        f"{ottenuti[0] - prima[0]} + {ottenuti[1] - prima[1]} righe",
        f"= esecuzione pulita ({attesi[0] - prima[0]} + {attesi[1] - prima[1]})",
        ottenuti == attesi,
    )
    misura("Ricalcolo: righe duplicate", str(doppi), "0", doppi == 0)
    misura(
        "Ricalcolo: stati mostrati al richiedente",
        " → ".join(s for s in ("In coda", "In corso", "Completato (file)") if s in visti),
        "mai «Completato» prima del file",
    )
