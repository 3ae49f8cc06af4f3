"""This app's long operations, run by pianizona.lavori: a plan's PDF and a cycle's approved plans.

Access is checked when the job is requested (programmazione.views.pdf) and again by
pianizona.lavori whenever its page or file is opened.
"""

from pianizona.lavori.tipi import Avanza, ErroreJob, Risultato
from pianizona.models import Job, Versione
from pianizona.testo import plurale

from . import stampa

TIPO_PDF_PIANO = "pdf_piano"
TIPO_PDF_CICLO = "pdf_ciclo"
ZIP = "application/zip"


def pdf_piano(job: Job, avanza: Avanza) -> Risultato:
    """``parametri["versione"]``: the number of a frozen version, or None for the current draft."""
    piano = job.piano
    if piano is None:
        raise ErroreJob("La richiesta non indica il piano da stampare.")
    numero = job.parametri.get("versione")
    versione = None
    if numero is not None:
        versione = Versione.objects.filter(piano=piano, numero=numero).first()
        if versione is None:
            raise ErroreJob(f"Il piano non ha una versione {numero}.")
        avanza(10, f"Impaginazione della versione {numero}.")
    else:
        avanza(10, "Impaginazione della bozza.")
    pdf = stampa.stampa_del_piano(piano, versione)
    avanza(95, f"Documento pronto: {plurale(pdf.pagine, 'pagina', 'pagine')}.")
    return Risultato(contenuto=pdf.contenuto, nome_file=pdf.nome_file, content_type=stampa.PDF)


def pdf_ciclo(job: Job, avanza: Avanza) -> Risultato:
    """One ZIP with the PDF of every approved plan of the cycle, each in its approved version."""
    ciclo = job.ciclo
    if ciclo is None:
        raise ErroreJob("La richiesta non indica il ciclo.")
    if not stampa.versioni_approvate(ciclo):
        raise ErroreJob(f"Nel ciclo {ciclo.nome} non c'è ancora nessun piano approvato.")
    contenuto, _ = stampa.zip_dei_piani_approvati(ciclo, avanza)
    return Risultato(contenuto=contenuto, nome_file=stampa.nome_zip(ciclo), content_type=ZIP)
