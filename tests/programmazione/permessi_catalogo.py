"""Permission-matrix rows for the Region's catalogue pages (merged into the matrix with RIGHE).

GET: the funzionario and the administrator (read-only) see the cycle's catalogue, district users
403. POST: only the funzionario, who may configure the region; the administrator gets 403 too.
"""

from pianizona.models import AreaInterventoFnps, AreaUtenzaIstat, MacroLivello, ObiettivoServizio
from programmazione.models import VoceCatalogo

from ..conftest import Cast
from ..permessi import LOGIN, Row, per_ruolo

LETTURA = per_ruolo(LOGIN, 403, 403, 403, 200, 200)
SCRITTURA = per_ruolo(LOGIN, 403, 403, 403, 302, 403)
SCRITTURA_IN_PAGINA = per_ruolo(LOGIN, 403, 403, 403, 200, 403)  # the answer is the page itself


def _codici() -> dict:
    macro = MacroLivello.objects.get_or_create(codice=1, defaults={"nome": "Accesso"})[0]
    return {
        "obiettivo_servizio": ObiettivoServizio.objects.get_or_create(
            codice="1.1", defaults={"nome": "Accesso", "macro_livello": macro}
        )[0],
        "area_intervento": AreaInterventoFnps.objects.get_or_create(
            codice=3, defaults={"nome": "Povertà"}
        )[0],
        "area_utenza": AreaUtenzaIstat.objects.get_or_create(
            codice="POV", defaults={"nome": "Povertà"}
        )[0],
    }


def _ciclo(cast: Cast) -> dict:
    return {"ciclo_pk": cast.piano_a.ciclo_id}


def _voce(cast: Cast) -> dict:
    voce = VoceCatalogo.objects.get_or_create(
        ciclo=cast.piano_a.ciclo,
        codice="A.1.01",
        defaults={"nome": "Segretariato sociale", **_codici()},
    )[0]
    return {"ciclo_pk": voce.ciclo_id, "pk": voce.pk}


def _dati_voce(cast: Cast, ruolo: str) -> dict:
    codici = _codici()
    return {
        "codice": "A.1.01",
        "nome": "Segretariato sociale",
        "sezioni": ["ambito", "comunale"],
        **{campo: valore.pk for campo, valore in codici.items()},
    }


RIGHE: dict[str, Row] = {
    "programmazione:catalogo": Row(LETTURA, _ciclo),
    "programmazione:voce_crea": Row(LETTURA, _ciclo, post=SCRITTURA, data=_dati_voce),
    "programmazione:voce_modifica": Row(LETTURA, _voce, post=SCRITTURA, data=_dati_voce),
    "programmazione:voce_elimina": Row(LETTURA, _voce, post=SCRITTURA),
    "programmazione:catalogo_esporta": Row(LETTURA, _ciclo),
    # POST without a file re-shows the form with its message: 200.
    "programmazione:catalogo_importa": Row(LETTURA, _ciclo, post=SCRITTURA_IN_PAGINA),
}
