"""Redis (broker and cache) restarted while a worker runs a job and another job waits in its queue.

The running job finishes, the queued one survives in the append-only file and runs when Redis is
back, and a PDF asked for while Redis is down is accepted (not a 500), says it waits for the
service, and runs when beat's round sends it again. Each job runs once and leaves one file.
"""

import time

from django.urls import reverse

from pianizona.lavori import services as jobs
from pianizona.lavori.tasks import riaccoda_lavori
from pianizona.models import Ciclo, Job

from .conftest import attendi, misura
from .drill_worker import _file_del_lavoro, _job_dalla_risposta

FERMO = 3  # seconds Redis stays down


def test_jobs_queued_before_and_during_a_redis_restart_complete_once_when_it_is_back(
    demo, lavoratori, pila, settings
):
    operatore, funzionario = demo.client(demo.operatore), demo.client(demo.funzionario)
    ciclo = Ciclo.objects.filter(regione=demo.regione).order_by("-anno_inizio").first()
    # A long visibility timeout: the reconnected worker must not hand back the running job.
    worker = lavoratori(visibilita=300)
    worker.avvia()

    in_corso = _job_dalla_risposta(
        operatore.post(reverse("programmazione:pdf_richiedi", args=[demo.piano.pk]))
    )
    attendi(
        lambda: Job.objects.filter(pk=in_corso.pk, stato=Job.Stato.IN_CORSO).exists(),
        60,
        "l'avvio del PDF",
        worker.log(),
    )
    in_coda = _job_dalla_risposta(
        funzionario.post(reverse("monitoraggio:indicatori_ricalcola_regione", args=[ciclo.pk]))
    )
    assert Job.objects.get(pk=in_coda.pk).stato == Job.Stato.IN_CODA  # behind the PDF

    pila.redis.ferma()
    spento = time.monotonic()
    richiesta = time.monotonic()
    risposta = operatore.post(reverse("programmazione:pdf_richiedi", args=[demo.altro_piano.pk]))
    durata_richiesta = time.monotonic() - richiesta
    durante = _job_dalla_risposta(risposta)  # accepted: a redirect to its page, not a 500
    pagina = operatore.get(reverse("job_detail", args=[durante.pk]))
    assert pagina.status_code == 200
    assert "non è raggiungibile in questo momento" in pagina.content.decode()
    assert Job.objects.get(pk=durante.pk).messaggio == jobs.MESSAGGIO_NON_ACCODATO
    # Other pages do not need Redis.
    assert operatore.get(reverse("piano_detail", args=[demo.piano.pk])).status_code == 200
    time.sleep(max(0.0, FERMO - (time.monotonic() - spento)))

    pila.redis.avvia()
    riacceso = time.monotonic()
    riaccoda_lavori.delay()  # beat's round, as its schedule sends it every few minutes
    lavori = [in_corso, in_coda, durante]

    def conclusi() -> bool:
        return not Job.objects.filter(pk__in=[j.pk for j in lavori], completato_il=None).exists()

    attendi(conclusi, 120, "la conclusione dei tre lavori", worker.log())
    ripresa = time.monotonic() - riacceso

    finiti = {j.pk: Job.objects.get(pk=j.pk) for j in lavori}
    stati = [(f.stato, f.tentativi, f.errore) for f in finiti.values()]
    assert stati == [(Job.Stato.COMPLETATO, 1, "")] * 3, (stati, worker.log())
    file = {pk: _file_del_lavoro(f, settings) for pk, f in finiti.items()}
    assert all(file[pk] == [f.nome_file] for pk, f in finiti.items()), file
    completati = sum(f.stato == Job.Stato.COMPLETATO for f in finiti.values())
    misura(
        "Redis fermo: richiesta di un PDF",
        f"{risposta.status_code} in {durata_richiesta:.1f} s, «in coda» con il motivo",
        "nessun 500, < 5 s",
        durata_richiesta < 5,
    )
    misura(
        "Redis riavviato: lavori conclusi (in corso, in coda, chiesto durante il fermo)",
        f"{completati}/3 in {ripresa:.1f} s, ciascuno eseguito una volta",
        "3/3, tentativi = 1",
        completati == 3,
    )
