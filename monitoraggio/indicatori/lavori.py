"""The recalculation as a job: asked for from the pages, or queued after approvals and reports.

The job names the cycle whose years it recalculates and keeps ``{"regione": id, "ambito": id |
None}`` in its parameters. It concerns no plan, so pianizona.lavori shows it to its requester only
(while they belong to the region) and to the administrators.
"""

import io
import logging

from django.db.models import Q
from django.utils import timezone

from pianizona.accessi.tenancy import Azione, can
from pianizona.esportazioni import scrittore_csv
from pianizona.lavori.selectors import jobs_for_user
from pianizona.lavori.services import job_crea
from pianizona.lavori.tipi import Avanza, ErroreJob, Risultato
from pianizona.models import Ambito, Ciclo, Job, Piano, Regione, Transizione, User

from .services import IndicatoreNonValido, indicatori_ricalcola

logger = logging.getLogger(__name__)

TIPO_RICALCOLO = "ricalcolo_indicatori"
CSV = "text/csv; charset=utf-8"


def _in_coda(regione: Regione, ambito: Ambito | None, ciclo: Ciclo):
    """Queued recalculations that already cover this scope: the same one, or the whole region's.

    Only queued ones: a running job may have read the data before the change that asks again.
    """
    ambito_uguale = Q(parametri__ambito=None)
    if ambito is not None:
        ambito_uguale |= Q(parametri__ambito=ambito.pk)
    return Job.objects.filter(
        ambito_uguale,
        tipo=TIPO_RICALCOLO,
        stato=Job.Stato.IN_CODA,
        ciclo=ciclo,
        parametri__regione=regione.pk,
    )


def _ciclo_corrente(regione: Regione) -> Ciclo:
    ciclo = Ciclo.objects.filter(regione=regione).order_by("-anno_inizio").first()
    if ciclo is None:
        raise IndicatoreNonValido("La regione non ha ancora cicli di programmazione.")
    return ciclo


def indicatori_ricalcolo_richiedi(
    *, user: User, regione: Regione, ambito: Ambito | None = None, ciclo: Ciclo | None = None
) -> Job:
    """Queue a recalculation of the cycle's years (the latest cycle by default) for an ambito or
    the whole region; the same request already waiting is returned instead of a second job."""
    if ambito is not None and ambito.regione_id != regione.pk:
        raise IndicatoreNonValido("L'ambito non appartiene alla regione.")
    if ambito is None:
        if not can(user, Azione.ISTRUIRE, regione):
            raise IndicatoreNonValido(
                "Solo i funzionari della Regione possono ricalcolare gli indicatori di tutti "
                "gli ambiti."
            )
    elif not (can(user, Azione.MODIFICARE, ambito) or can(user, Azione.ISTRUIRE, ambito)):
        raise IndicatoreNonValido("Il ruolo assegnato non consente di ricalcolare gli indicatori.")
    if ciclo is None:
        ciclo = _ciclo_corrente(regione)
    elif ciclo.regione_id != regione.pk:
        raise IndicatoreNonValido("Il ciclo non appartiene alla regione.")
    esistente = _in_coda(regione, ambito, ciclo).filter(pk__in=jobs_for_user(user)).first()
    if esistente is not None:
        return esistente
    return job_crea(
        user=user,
        tipo=TIPO_RICALCOLO,
        ciclo=ciclo,
        parametri={"regione": regione.pk, "ambito": ambito.pk if ambito else None},
    )


def ricalcolo_accoda(*, user: User, ambito: Ambito, ciclo: Ciclo) -> Job | None:
    """A recalculation the system asks for after a change (no permission check: it follows an
    operation already allowed). Nothing is added if one covering the ambito is already queued."""
    regione = ambito.regione
    if _in_coda(regione, ambito, ciclo).exists():
        return None
    return job_crea(
        user=user,
        tipo=TIPO_RICALCOLO,
        ciclo=ciclo,
        parametri={"regione": regione.pk, "ambito": ambito.pk},
    )


def dopo_transizione(transizione: Transizione) -> None:
    """After an approval, recalculate the ambito's indicators (runs after commit: never raises)."""
    if transizione.a_stato != Piano.Stato.APPROVATO:
        return
    try:
        piano = Piano.objects.select_related("ambito__regione", "ciclo").get(
            pk=transizione.piano_id
        )
        ricalcolo_accoda(user=transizione.utente, ambito=piano.ambito, ciclo=piano.ciclo)
    except Exception:  # the approval is done; a lost recalculation is logged, not raised
        logger.exception("Ricalcolo degli indicatori dopo la transizione %s", transizione.pk)


def dopo_rendicontazione(rendicontazione, azione: str) -> None:
    """After a report is submitted or accepted, recalculate its ambito (never raises)."""
    if azione not in ("invio", "accettazione"):
        return
    try:
        ultima = rendicontazione.transizioni.select_related("utente").order_by("-pk").first()
        if ultima is None:
            return
        ambito = Ambito.objects.select_related("regione").get(pk=rendicontazione.ambito_id)
        ciclo = Ciclo.objects.get(pk=rendicontazione.ciclo_id)
        ricalcolo_accoda(user=ultima.utente, ambito=ambito, ciclo=ciclo)
    except Exception:  # the report's move is done; a lost recalculation is logged, not raised
        logger.exception(
            "Ricalcolo degli indicatori dopo la rendicontazione %s", rendicontazione.pk
        )


def _numero(valore) -> str:
    return "" if valore is None else format(valore.normalize(), "f")


def ricalcolo_indicatori(job: Job, avanza: Avanza) -> Risultato:
    """The esecutore: recalculate, and hand back the values as CSV (dot decimals, ISO dates)."""
    parametri = job.parametri or {}
    regione = Regione.objects.filter(pk=parametri.get("regione")).first()
    if regione is None:
        raise ErroreJob("La richiesta non indica una regione esistente.")
    ambito = None
    if parametri.get("ambito") is not None:
        ambito = Ambito.objects.filter(pk=parametri["ambito"], regione=regione).first()
        if ambito is None:
            raise ErroreJob("L'ambito della richiesta non esiste più.")
    anni = job.ciclo.anni if job.ciclo else None
    esito = indicatori_ricalcola(regione=regione, ambito=ambito, anni=anni, job=job, avanza=avanza)
    data = timezone.localdate().isoformat()
    uscita = io.StringIO()
    scrittore = scrittore_csv(uscita, lineterminator="\n")
    scrittore.writerow(
        ["data", "codice", "indicatore", "unita", "ambito", "anno", "valore", "nota", "cambiato"]
    )
    for riga in esito.righe:
        scrittore.writerow(
            [
                data,
                riga.indicatore.codice,
                riga.indicatore.nome,
                riga.indicatore.unita,
                riga.ambito_codice or "REGIONE",
                riga.anno,
                _numero(riga.valore),
                riga.nota,
                "si" if riga.cambiato else "no",
            ]
        )
    for avviso in esito.avvisi:
        scrittore.writerow([data, "", avviso, "", "", "", "", "", ""])
    ambito_nome = ambito.codice if ambito else "regione"
    anni_nome = f"{job.ciclo.anno_inizio}-{job.ciclo.anno_fine}" if job.ciclo else "tutti"
    return Risultato(
        contenuto=uscita.getvalue().encode("utf-8"),
        nome_file=f"indicatori-{ambito_nome}-{anni_nome}.csv",
        content_type=CSV,
    )
