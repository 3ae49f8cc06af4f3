"""Long operations: a job's life from the queue to its file, its pages, its download and clean-up."""

import logging
import uuid
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.management import call_command
from django.db import OperationalError
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from pianizona.lavori import services as jobs
from pianizona.lavori import tipi
from pianizona.lavori.tasks import esegui_job
from pianizona.models import Job, Membership

TIPO = "prova"
visti: list[dict] = []  # what the test esecutore saw, run by run


def esecutore_di_prova(job: Job, avanza: tipi.Avanza) -> tipi.Risultato:
    """Behaves as ``job.parametri["esito"]`` says; records what it saw on each run."""
    visti.append({"stato": Job.objects.get(pk=job.pk).stato, "tentativi": job.tentativi})
    avanza(50, "A metà strada.")
    visti[-1]["a_meta"] = Job.objects.values("progresso", "messaggio").get(pk=job.pk)
    esito = job.parametri.get("esito", "ok")
    if esito == "errore_job":
        raise tipi.ErroreJob("Il piano non ha ancora una versione inviata: niente da stampare.")
    if esito == "eccezione":
        raise ZeroDivisionError("divisione per zero nel rendering")
    if esito == "tempo":
        raise SoftTimeLimitExceeded()
    if esito == "transitorio" and len(visti) < job.parametri.get("fallimenti", 1) + 1:
        raise OperationalError("la connessione al database si è chiusa")
    if esito == "sottratto":  # meanwhile another run takes the job over
        Job.objects.filter(pk=job.pk).update(esecuzione="un-altro-worker")
    return tipi.Risultato(
        contenuto=b"%PDF-1.7 contenuto di prova",
        nome_file=job.parametri.get("nome", "piano-BA01-2025-2027-v2.pdf"),
        content_type="application/pdf",
    )


@pytest.fixture(autouse=True)
def tipo_di_prova(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    visti.clear()
    tipi.registra_tipo(TIPO, "Documento di prova", esecutore_di_prova)
    yield
    tipi._tipi.pop(TIPO, None)


def _crea(cast, capture, user=None, esegui=True, **parametri) -> Job:
    with capture(execute=esegui):
        job = jobs.job_crea(
            user=user or cast.operatore_a, tipo=TIPO, piano=cast.piano_a, parametri=parametri
        )
    job.refresh_from_db()
    return job


def _file_nella_cartella(job: Job, media: Path) -> list[str]:
    cartella = media / "job" / str(job.pk)
    return sorted(p.name for p in cartella.iterdir()) if cartella.exists() else []


# --- lifecycle ---------------------------------------------------------------------------------


def test_a_new_job_waits_in_the_queue_until_the_request_commits(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.job_crea(user=cast.operatore_a, tipo=TIPO, piano=cast.piano_a)
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.stato == Job.Stato.IN_CODA
    assert (job.utente, job.piano, job.ciclo) == (
        cast.operatore_a,
        cast.piano_a,
        cast.piano_a.ciclo,
    )
    assert visti == []


def test_a_job_runs_shows_its_progress_and_ends_with_its_file(
    cast, django_capture_on_commit_callbacks, tmp_path
):
    job = _crea(cast, django_capture_on_commit_callbacks)

    assert visti == [
        {
            "stato": Job.Stato.IN_CORSO,
            "tentativi": 1,
            "a_meta": {"progresso": 50, "messaggio": "A metà strada."},
        }
    ]
    assert job.stato == Job.Stato.COMPLETATO
    assert (job.progresso, job.tentativi, job.errore) == (100, 1, "")
    assert job.iniziato_il <= job.completato_il
    assert job.nome_file == "piano-BA01-2025-2027-v2.pdf"
    assert job.content_type == "application/pdf"
    assert job.dimensione == len(b"%PDF-1.7 contenuto di prova")
    assert job.file.name == f"job/{job.pk}/piano-BA01-2025-2027-v2.pdf"
    assert (tmp_path / job.file.name).read_bytes() == b"%PDF-1.7 contenuto di prova"


def test_an_esecutore_that_gives_up_leaves_its_italian_message(
    cast, django_capture_on_commit_callbacks
):
    job = _crea(cast, django_capture_on_commit_callbacks, esito="errore_job")
    assert job.stato == Job.Stato.FALLITO
    assert job.errore == "Il piano non ha ancora una versione inviata: niente da stampare."
    assert not job.file
    assert job.completato_il is not None


def test_an_unexpected_error_fails_the_job_with_a_generic_message_and_keeps_the_traceback_in_the_log(
    cast, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.ERROR, logger="pianizona.lavori.services"):
        job = _crea(cast, django_capture_on_commit_callbacks, esito="eccezione")
    assert job.stato == Job.Stato.FALLITO
    assert job.errore.startswith("Si è verificato un errore imprevisto")
    assert "divisione" not in job.errore
    registrati = [r for r in caplog.records if str(job.pk) in r.getMessage()]
    assert registrati and registrati[0].exc_info[0] is ZeroDivisionError


def test_a_job_past_its_soft_time_limit_says_it_took_too_long(
    cast, django_capture_on_commit_callbacks
):
    job = _crea(cast, django_capture_on_commit_callbacks, esito="tempo")
    assert job.stato == Job.Stato.FALLITO
    assert job.errore == jobs.ERRORE_TEMPO


@pytest.fixture
def senza_propagazione(monkeypatch):
    """In-process, Celery runs a task's retries only if errors are not propagated to the caller."""
    monkeypatch.setitem(esegui_job.app.conf, "task_eager_propagates", False)


def test_a_transient_error_retries_the_whole_run_which_then_completes(
    cast, django_capture_on_commit_callbacks, senza_propagazione
):
    job = _crea(cast, django_capture_on_commit_callbacks, esegui=False, esito="transitorio")
    esegui_job.apply(args=[str(job.pk)])  # in-process, the retries run at once
    job.refresh_from_db()
    assert job.stato == Job.Stato.COMPLETATO
    assert job.tentativi == 2
    assert [v["tentativi"] for v in visti] == [1, 2]


def test_a_job_still_failing_after_every_retry_is_marked_failed_not_left_running(
    cast, django_capture_on_commit_callbacks, senza_propagazione
):
    job = _crea(cast, django_capture_on_commit_callbacks, esegui=False, esito="transitorio")
    Job.objects.filter(pk=job.pk).update(parametri={"esito": "transitorio", "fallimenti": 99})
    esito = esegui_job.apply(args=[str(job.pk)])
    assert isinstance(esito.result, OperationalError)
    job.refresh_from_db()
    assert job.stato == Job.Stato.FALLITO
    assert job.errore == jobs.ERRORE_IMPREVISTO
    assert len(visti) == esegui_job.max_retries + 1


def test_a_concluded_job_is_never_run_again(cast, django_capture_on_commit_callbacks, tmp_path):
    job = _crea(cast, django_capture_on_commit_callbacks)
    esegui_job.delay(str(job.pk))
    jobs.job_esegui(job.pk, ripresa=True)
    fallito = _crea(cast, django_capture_on_commit_callbacks, esito="errore_job")
    jobs.job_esegui(fallito.pk, ripresa=True)

    assert len(visti) == 2
    job.refresh_from_db()
    assert (job.stato, job.tentativi) == (Job.Stato.COMPLETATO, 1)
    assert _file_nella_cartella(job, tmp_path) == ["piano-BA01-2025-2027-v2.pdf"]


def test_a_job_left_running_by_a_killed_worker_is_run_again_once_and_ends_with_one_file(
    cast, django_capture_on_commit_callbacks, tmp_path
):
    job = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    # The first run claimed it and wrote a file, then its worker was killed before the commit.
    Job.objects.filter(pk=job.pk).update(
        stato=Job.Stato.IN_CORSO,
        tentativi=1,
        esecuzione="worker-morto",
        progresso=40,
        iniziato_il=timezone.now(),
    )
    cartella = tmp_path / "job" / str(job.pk)
    cartella.mkdir(parents=True)
    (cartella / "piano-BA01-2025-2027-v2.pdf").write_bytes(b"mezzo file")

    jobs.job_esegui(job.pk, ripresa=True)  # the redelivered message
    jobs.job_esegui(job.pk, ripresa=True)  # and a second copy of it

    job.refresh_from_db()
    assert (job.stato, job.tentativi, job.esecuzione) == (Job.Stato.COMPLETATO, 2, "")
    assert len(visti) == 1
    assert _file_nella_cartella(job, tmp_path) == ["piano-BA01-2025-2027-v2.pdf"]
    assert (tmp_path / job.file.name).read_bytes() == b"%PDF-1.7 contenuto di prova"


def test_a_second_delivery_while_the_job_runs_elsewhere_is_ignored(
    cast, django_capture_on_commit_callbacks
):
    job = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    Job.objects.filter(pk=job.pk).update(
        stato=Job.Stato.IN_CORSO, tentativi=1, esecuzione="vivo", iniziato_il=timezone.now()
    )
    jobs.job_esegui(job.pk, ripresa=False)
    job.refresh_from_db()
    assert (job.stato, job.esecuzione, job.tentativi) == (Job.Stato.IN_CORSO, "vivo", 1)
    assert visti == []


def test_a_run_older_than_the_hard_time_limit_is_over_and_the_job_starts_again(
    cast, django_capture_on_commit_callbacks, settings
):
    job = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    iniziato = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    Job.objects.filter(pk=job.pk).update(
        stato=Job.Stato.IN_CORSO, tentativi=1, esecuzione="perso", iniziato_il=iniziato
    )
    jobs.job_esegui(job.pk, ripresa=False)
    job.refresh_from_db()
    assert (job.stato, job.tentativi) == (Job.Stato.COMPLETATO, 2)


def test_a_job_interrupted_too_many_times_is_given_up(cast, django_capture_on_commit_callbacks):
    job = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    Job.objects.filter(pk=job.pk).update(
        stato=Job.Stato.IN_CORSO, tentativi=jobs.MAX_TENTATIVI, iniziato_il=timezone.now()
    )
    jobs.job_esegui(job.pk, ripresa=True)
    job.refresh_from_db()
    assert job.stato == Job.Stato.FALLITO
    assert job.errore == jobs.ERRORE_INTERROTTO
    assert visti == []


def test_jobs_the_demo_s_stop_interrupted_start_again_when_it_restarts(
    cast, django_capture_on_commit_callbacks, tmp_path
):
    interrotto = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    sfinito = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    in_coda = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    Job.objects.filter(pk=interrotto.pk).update(
        stato=Job.Stato.IN_CORSO, tentativi=1, esecuzione="fermato", progresso=40
    )
    Job.objects.filter(pk=sfinito.pk).update(
        stato=Job.Stato.IN_CORSO, tentativi=jobs.MAX_TENTATIVI, esecuzione="fermato"
    )

    # Before the demo's only worker starts (tasks run in-process here, as a worker would).
    assert jobs.lavori_riprendi_interrotti() == 1

    interrotto.refresh_from_db()
    assert (interrotto.stato, interrotto.tentativi) == (Job.Stato.COMPLETATO, 2)
    assert _file_nella_cartella(interrotto, tmp_path) == ["piano-BA01-2025-2027-v2.pdf"]
    sfinito.refresh_from_db()
    assert (sfinito.stato, sfinito.errore) == (Job.Stato.FALLITO, jobs.ERRORE_INTERROTTO)
    in_coda.refresh_from_db()
    assert in_coda.stato == Job.Stato.IN_CODA  # its message is still in the queue


def test_a_run_that_lost_the_job_to_another_writes_nothing(
    cast, django_capture_on_commit_callbacks, tmp_path
):
    job = _crea(cast, django_capture_on_commit_callbacks, esito="sottratto")
    assert (job.stato, job.esecuzione, job.progresso) == (
        Job.Stato.IN_CORSO,
        "un-altro-worker",
        50,
    )
    assert not job.file
    assert _file_nella_cartella(job, tmp_path) == []


def test_a_vanished_job_is_nothing_to_run(db):
    jobs.job_esegui(uuid.uuid4())  # no error, nothing to do


def test_an_unknown_kind_is_refused(cast):
    with pytest.raises(tipi.ErroreJob, match="sconosciuta"):
        jobs.job_crea(user=cast.operatore_a, tipo="inesistente")


@pytest.mark.parametrize(
    ("nome", "atteso"),
    [
        ("piano-BA01-2025-2027-v2.pdf", "piano-BA01-2025-2027-v2.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\win.ini", "win.ini"),
        ("Piano di zona «Bari».pdf", "Piano_di_zona_Bari.pdf"),
        (".nascosto", "nascosto"),
        ("..", "risultato"),
        ("", "risultato"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ],
)
def test_result_file_names_are_sanitised(nome, atteso):
    assert jobs.nome_file_sicuro(nome) == atteso


def test_a_stored_file_name_is_sanitised_again(cast, django_capture_on_commit_callbacks):
    job = _crea(cast, django_capture_on_commit_callbacks, nome="../../../segreti.pdf")
    assert job.nome_file == "segreti.pdf"
    assert job.file.name == f"job/{job.pk}/segreti.pdf"


# --- pages -------------------------------------------------------------------------------------


def test_the_page_of_a_running_job_polls_its_state_in_a_live_region(
    cast, django_capture_on_commit_callbacks, client_for
):
    job = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    Job.objects.filter(pk=job.pk).update(
        stato=Job.Stato.IN_CORSO, progresso=35, messaggio="Impaginazione delle schede."
    )
    response = client_for("operatore_a").get(reverse("job_detail", args=[job.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Documento di prova</h1>" in html
    assert cast.piano_a.titolo in html and "Ambito di Bari" in html
    assert str(cast.operatore_a) in html
    assert '<div aria-live="polite"' in html
    assert f'hx-get="{reverse("job_stato", args=[job.pk])}"' in html
    assert 'hx-trigger="every 1s"' in html
    assert 'aria-valuenow="35"' in html
    assert "Impaginazione delle schede." in html


def test_the_polled_fragment_stops_polling_and_offers_the_download_when_done(
    cast, django_capture_on_commit_callbacks, client_for
):
    job = _crea(cast, django_capture_on_commit_callbacks)
    response = client_for("operatore_a").get(
        reverse("job_stato", args=[job.pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "hx-trigger" not in html
    assert "Completato" in html
    assert f'href="{reverse("job_scarica", args=[job.pk])}"' in html
    assert "Scarica piano-BA01-2025-2027-v2.pdf" in html


def test_the_polled_fragment_of_a_failed_job_shows_the_error(
    cast, django_capture_on_commit_callbacks, client_for
):
    job = _crea(cast, django_capture_on_commit_callbacks, esito="errore_job")
    html = client_for("operatore_a").get(reverse("job_stato", args=[job.pk])).content.decode()
    assert "hx-trigger" not in html
    assert "Non riuscito" in html
    assert "Il piano non ha ancora una versione inviata" in html
    assert "job_scarica" not in html and "/file/" not in html


def test_the_download_is_an_attachment_never_sniffed(
    cast, django_capture_on_commit_callbacks, client_for
):
    job = _crea(cast, django_capture_on_commit_callbacks)
    response = client_for("responsabile_a").get(reverse("job_scarica", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 contenuto di prova"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ('attachment; filename="piano-BA01-2025-2027-v2.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("ruolo", "atteso"),
    [
        ("operatore_a", 200),  # the requester
        ("responsabile_a", 200),  # may see the plan
        ("funzionario", 200),  # the region's officer
        ("admin", 200),
        ("operatore_b", 404),  # another ambito
    ],
)
def test_a_plan_job_is_for_whoever_may_see_the_plan(
    ruolo, atteso, cast, django_capture_on_commit_callbacks, client_for
):
    job = _crea(cast, django_capture_on_commit_callbacks)
    client = client_for(ruolo)
    for nome in ("job_detail", "job_stato", "job_scarica"):
        assert client.get(reverse(nome, args=[job.pk])).status_code == atteso, nome


def test_a_requester_moved_to_another_ambito_no_longer_reaches_the_plans_job(
    cast, django_capture_on_commit_callbacks, client_for
):
    job = _crea(cast, django_capture_on_commit_callbacks)
    Membership.objects.filter(user=cast.operatore_a).update(ambito=cast.ambito_b)
    client = client_for("operatore_a")
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("job_scarica", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    ("ruolo", "atteso"),
    [("funzionario", 200), ("admin", 200), ("operatore_a", 404), ("operatore_b", 404)],
)
def test_a_cycle_job_is_for_its_requester_and_the_administrators(
    ruolo, atteso, cast, django_capture_on_commit_callbacks, client_for
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_crea(user=cast.funzionario, tipo=TIPO, ciclo=cast.piano_a.ciclo)
    response = client_for(ruolo).get(reverse("job_scarica", args=[job.pk]))
    assert response.status_code == atteso


def test_a_file_not_ready_yet_sends_back_to_the_job_page(
    cast, django_capture_on_commit_callbacks, client_for
):
    job = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    response = client_for("operatore_a").get(reverse("job_scarica", args=[job.pk]), follow=True)
    assert response.redirect_chain == [(reverse("job_detail", args=[job.pk]), 302)]
    assert "Il file non è ancora disponibile" in response.content.decode()


def test_an_unknown_job_is_not_found(cast, client_for):
    response = client_for("operatore_a").get(reverse("job_detail", args=[uuid.uuid4()]))
    assert response.status_code == 404


# --- clean-up ----------------------------------------------------------------------------------


def test_old_result_files_are_deleted_and_the_job_says_so(
    cast, django_capture_on_commit_callbacks, client_for, tmp_path
):
    vecchio = _crea(cast, django_capture_on_commit_callbacks)
    recente = _crea(cast, django_capture_on_commit_callbacks, nome="recente.pdf")
    Job.objects.filter(pk=vecchio.pk).update(completato_il=timezone.now() - timedelta(days=8))

    call_command("pulisci_lavori", "--giorni", "7")

    vecchio.refresh_from_db()
    recente.refresh_from_db()
    assert not vecchio.file and vecchio.file_eliminato_il is not None
    assert not (tmp_path / "job" / str(vecchio.pk)).exists()
    assert recente.file and (tmp_path / recente.file.name).exists()

    client = client_for("operatore_a")
    data = date(timezone.localtime(vecchio.file_eliminato_il), "j F Y")
    response = client.get(reverse("job_scarica", args=[vecchio.pk]))
    html = response.content.decode()
    assert response.status_code == 410
    assert "Il file non è più disponibile: è stato eliminato il " + data in html
    assert "è possibile richiederlo di nuovo" in html
    pagina = client.get(reverse("job_detail", args=[vecchio.pk])).content.decode()
    assert "Il file non è più disponibile" in pagina and "file eliminato" in pagina


def test_a_result_file_missing_from_the_disk_is_a_clear_message_not_an_error(
    cast, django_capture_on_commit_callbacks, client_for, tmp_path
):
    job = _crea(cast, django_capture_on_commit_callbacks)
    (tmp_path / job.file.name).unlink()
    response = client_for("operatore_a").get(reverse("job_scarica", args=[job.pk]))
    assert response.status_code == 410
    assert (
        "Il file non è più disponibile; è possibile richiederlo di nuovo."
        in response.content.decode()
    )


def test_jobs_no_worker_will_finish_are_given_up_by_the_clean_up(
    cast, django_capture_on_commit_callbacks, settings
):
    fermo = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    mai_partito = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    in_coda = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    lunga_attesa = timedelta(
        seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        + settings.CELERY_TASK_TIME_LIMIT
        + 120
    )
    Job.objects.filter(pk=fermo.pk).update(stato=Job.Stato.IN_CORSO)
    Job.objects.filter(pk=fermo.pk).update(aggiornato_il=timezone.now() - lunga_attesa)
    Job.objects.filter(pk=mai_partito.pk).update(creato_il=timezone.now() - timedelta(days=2))

    esito = jobs.lavori_pulisci(giorni=7)

    assert esito.lavori_annullati == 2
    stati = dict(Job.objects.values_list("pk", "stato"))
    assert stati[fermo.pk] == stati[mai_partito.pk] == Job.Stato.FALLITO
    assert stati[in_coda.pk] == Job.Stato.IN_CODA
    assert Job.objects.get(pk=fermo.pk).errore == jobs.ERRORE_FERMO


def test_a_job_the_broker_could_not_take_says_so_and_runs_once_it_is_sent_again(
    cast, django_capture_on_commit_callbacks, client_for
):
    guasto = KombuOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(esegui_job, "delay", side_effect=guasto):
        job = _crea(cast, django_capture_on_commit_callbacks)  # the request itself succeeds
        assert (job.stato, job.messaggio) == (Job.Stato.IN_CODA, jobs.MESSAGGIO_NON_ACCODATO)
        html = client_for("operatore_a").get(reverse("job_stato", args=[job.pk])).content.decode()
        assert "In coda" in html and "non è raggiungibile in questo momento" in html
        # The broker is still down at the next round: nothing sent, the job keeps waiting.
        assert jobs.lavori_riaccoda(dopo=timedelta(0)) == 0
    assert Job.objects.get(pk=job.pk).stato == Job.Stato.IN_CODA

    assert jobs.lavori_riaccoda(dopo=timedelta(0)) == 1  # back: sent, and run (eager here)

    job.refresh_from_db()
    assert (job.stato, job.tentativi, len(visti)) == (Job.Stato.COMPLETATO, 1, 1)
    assert jobs.lavori_riaccoda(dopo=timedelta(0)) == 0  # concluded: never sent again


def test_only_jobs_waiting_longer_than_the_pause_and_less_than_a_day_are_sent_again(
    cast, django_capture_on_commit_callbacks
):
    appena_creato = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    in_attesa = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    abbandonato = _crea(cast, django_capture_on_commit_callbacks, esegui=False)
    Job.objects.filter(pk=in_attesa.pk).update(aggiornato_il=timezone.now() - timedelta(minutes=6))
    Job.objects.filter(pk=abbandonato.pk).update(
        creato_il=timezone.now() - timedelta(days=2),
        aggiornato_il=timezone.now() - timedelta(days=2),
    )
    with mock.patch.object(esegui_job, "delay") as delay:
        assert jobs.lavori_riaccoda(dopo=timedelta(minutes=5)) == 1
        # Sent again: it waits another pause before a third message.
        assert jobs.lavori_riaccoda(dopo=timedelta(minutes=5)) == 0
    delay.assert_called_once_with(str(in_attesa.pk))
    assert Job.objects.get(pk=appena_creato.pk).stato == Job.Stato.IN_CODA


# --- list --------------------------------------------------------------------------------------


def test_my_jobs_lists_only_mine_newest_first(cast, django_capture_on_commit_callbacks, client_for):
    primo = _crea(cast, django_capture_on_commit_callbacks)
    secondo = _crea(cast, django_capture_on_commit_callbacks, esito="errore_job")
    altrui = _crea(cast, django_capture_on_commit_callbacks, user=cast.responsabile_a)
    Job.objects.filter(pk=primo.pk).update(creato_il=timezone.now() - timedelta(hours=1))

    html = client_for("operatore_a").get(reverse("job_list")).content.decode()
    assert html.index(str(secondo.pk)) < html.index(str(primo.pk))
    assert str(altrui.pk) not in html
    assert reverse("job_scarica", args=[primo.pk]) in html
    assert "Non riuscito" in html
    assert 'href="/lavori/"' in html  # the header's link


def test_my_jobs_page_in_constant_queries(
    cast, django_capture_on_commit_callbacks, client_for, assert_constant_queries
):
    _crea(cast, django_capture_on_commit_callbacks)

    def crescono():
        for esito in ("ok", "errore_job"):
            _crea(cast, django_capture_on_commit_callbacks, esito=esito)
        with django_capture_on_commit_callbacks(execute=True):
            jobs.job_crea(user=cast.operatore_a, tipo=TIPO)

    assert_constant_queries(client_for("operatore_a"), reverse("job_list"), 8, crescono)


def test_my_jobs_are_paginated(cast, client_for):
    Job.objects.bulk_create(
        Job(tipo=TIPO, utente=cast.operatore_a, piano=cast.piano_a) for _ in range(25)
    )
    client = client_for("operatore_a")
    assert "pagina 1 di 2" in client.get(reverse("job_list")).content.decode()
    seconda = client.get(reverse("job_list"), {"pagina": 2}).content.decode()
    assert seconda.count('<th scope="row">') == 5
