"""Permission-matrix rows for the PDF requests.

A plan's PDF (POST, queues a job and redirects to its page) is for whoever sees the plan: the
ambito's users, the regional officer, the administrator; another ambito finds nothing (404). The
regional batch is for those who see the whole region: the officer and the administrator look at
the approved plans (GET 200) and ask for the ZIP (POST 302; in the cast no plan is approved, so
back to the page with a message); district users may not (403).
"""

from ..conftest import Cast
from ..permessi import LOGIN, Row, per_ruolo


def _piano(cast: Cast) -> dict:
    return {"piano_pk": cast.piano_a.pk}


def _ciclo(cast: Cast) -> dict:
    return {"ciclo_pk": cast.piano_a.ciclo_id}


RIGHE: dict[str, Row] = {
    "programmazione:pdf_richiedi": Row(
        per_ruolo(LOGIN, 302, 302, 404, 302, 302), _piano, method="post"
    ),
    "programmazione:pdf_ciclo_richiedi": Row(
        per_ruolo(LOGIN, 403, 403, 403, 200, 200),
        _ciclo,
        post=per_ruolo(LOGIN, 403, 403, 403, 302, 302),
    ),
}
