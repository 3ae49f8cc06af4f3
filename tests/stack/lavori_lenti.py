"""A slow kind of job for tests/stack/test_job_worker.py, imported by the test and by its worker (-I).

It works in steps, so the worker can be killed half-way; its file says which attempt wrote it.
"""

import time

from pianizona.lavori import tipi as jobs
from pianizona.models import Job

TIPO = "prova_lenta"


def lavoro_lento(job: Job, avanza: jobs.Avanza) -> jobs.Risultato:
    passi = int(job.parametri.get("passi", 10))
    pausa = float(job.parametri.get("pausa", 0.5))
    for passo in range(passi):
        avanza(passo * 100 // passi, f"Passo {passo + 1} di {passi}.")
        time.sleep(pausa)
    return jobs.Risultato(
        contenuto=f"Completato al tentativo {job.tentativi}.".encode(),
        nome_file="lavoro-lento.txt",
        content_type="text/plain; charset=utf-8",
    )


jobs.registra_tipo(TIPO, "Lavoro lento di prova", lavoro_lento)
