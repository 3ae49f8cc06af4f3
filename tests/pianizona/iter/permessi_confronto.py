"""Permission-matrix rows for the confronto pages (``piani/<pk>/confronto/...``).

Reading only: the ambito's users, the regional officer and the administrator look (200), another
ambito finds nothing (404). The choice page without terms shows the form; the standard view and
its Excel compare piano_a's first version with its current content.
"""

from pianizona.iter.istantanee import istantanea_del_piano
from pianizona.models import Versione
from tests.conftest import Cast
from tests.permessi import LOGIN, Row, per_ruolo

VEDERE = per_ruolo(LOGIN, 200, 200, 404, 200, 200)


def _piano(cast: Cast) -> dict:
    return {"pk": cast.piano_a.pk}


def _piano_con_versione(cast: Cast) -> dict:
    """piano_a with a first version, so the standard comparison has two terms to show."""
    if not cast.piano_a.versioni.exists():
        istantanea = istantanea_del_piano(cast.piano_a)
        Versione.objects.create(
            piano=cast.piano_a,
            numero=1,
            creata_da=cast.responsabile_a,
            contenuto=istantanea.as_dict(),
            impronta=istantanea.impronta(),
        )
    return {"pk": cast.piano_a.pk}


RIGHE: dict[str, Row] = {
    "piano_confronto": Row(VEDERE, _piano),
    "piano_confronto_standard": Row(VEDERE, _piano_con_versione),
    "piano_confronto_xlsx": Row(VEDERE, _piano_con_versione),
}
