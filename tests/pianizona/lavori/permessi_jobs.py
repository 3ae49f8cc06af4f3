"""Permission-matrix rows for the jobs' pages.

"I miei lavori" is for every signed-in user. A plan's job (here operatore A's, completed, with its
file) is for whoever may see the plan: the ambito's users, the regional officer, the administrator;
another ambito finds nothing (404). The same holds for its state fragment and its file.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from pianizona.models import Job
from tests.conftest import Cast
from tests.permessi import LOGIN, SOLO_AUTENTICATI, Row, per_ruolo

VEDERE = per_ruolo(LOGIN, 200, 200, 404, 200, 200)
FILE = "job/matrice-permessi/risultato.txt"  # one shared file, written once


def _job(cast: Cast) -> dict:
    if not default_storage.exists(FILE):
        default_storage.save(FILE, ContentFile(b"risultato di prova"))
    job = Job.objects.create(
        tipo="prova",
        utente=cast.operatore_a,
        piano=cast.piano_a,
        stato=Job.Stato.COMPLETATO,
        progresso=100,
        file=FILE,
        nome_file="risultato.txt",
        content_type="text/plain",
        completato_il=timezone.now(),
    )
    return {"pk": job.pk}


RIGHE: dict[str, Row] = {
    "job_list": Row(SOLO_AUTENTICATI),
    "job_detail": Row(VEDERE, _job),
    "job_stato": Row(VEDERE, _job),
    "job_scarica": Row(VEDERE, _job),
}
