"""Permission-matrix rows for the intervention sheets and the live panel (``piani/<piano>/...``).

The ambito's users, the regional officer and the administrator look (GET 200) and may ask the
panel for a picture with unsaved amounts (POST 200: it writes nothing); another ambito finds
nothing (404). Only the ambito's operatore and responsabile write (POST → 302 after the save);
the officer and the administrator may look but not act (403).
"""

from pianizona.models import (
    AreaInterventoFnps,
    AreaUtenzaIstat,
    MacroLivello,
    ObiettivoServizio,
    Piano,
)
from programmazione.models import SchedaIntervento, VoceCatalogo

from ..conftest import Cast
from ..permessi import LOGIN, Row, per_ruolo

VEDERE = per_ruolo(LOGIN, 200, 200, 404, 200, 200)
MODIFICARE = per_ruolo(LOGIN, 302, 302, 404, 403, 403)


def _voce(cast: Cast) -> VoceCatalogo:
    macro, _ = MacroLivello.objects.get_or_create(codice=1, defaults={"nome": "Accesso"})
    obiettivo, _ = ObiettivoServizio.objects.get_or_create(
        codice="1.1", defaults={"nome": "Accesso", "macro_livello": macro}
    )
    voce, _ = VoceCatalogo.objects.get_or_create(
        ciclo=cast.piano_a.ciclo,
        codice="A1.01",
        defaults={
            "nome": "Segretariato sociale",
            "obiettivo_servizio": obiettivo,
            "area_intervento": AreaInterventoFnps.objects.get_or_create(
                codice=1, defaults={"nome": "Infanzia, adolescenza e famiglie"}
            )[0],
            "area_utenza": AreaUtenzaIstat.objects.get_or_create(
                codice="FAM", defaults={"nome": "Famiglia e minori"}
            )[0],
        },
    )
    return voce


def _piano(cast: Cast) -> dict:
    return {"piano_pk": cast.piano_a.pk}


def _sezione(cast: Cast) -> dict:
    return {"piano_pk": cast.piano_a.pk, "sezione": "ambito"}


def _scheda(cast: Cast) -> dict:
    scheda, _ = SchedaIntervento.objects.get_or_create(
        piano=cast.piano_a,
        numero=1,
        defaults={
            "sezione": "ambito",
            "voce": _voce(cast),
            "titolo": "Segretariato sociale",
            "gestione": "diretta",
        },
    )
    return {"piano_pk": cast.piano_a.pk, "pk": scheda.pk}


def _dati_scheda(cast: Cast, ruolo: str) -> dict:
    return {
        "voce": _voce(cast).pk,
        "titolo": "Segretariato sociale",
        "gestione": "diretta",
        "revisione": "0",
        "figure-TOTAL_FORMS": "1",
        "figure-INITIAL_FORMS": "0",
    }


def _dati_copia(cast: Cast, ruolo: str) -> dict:
    annuale, _ = Piano.objects.get_or_create(
        ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=2025
    )
    return {"origine": annuale.pk}


RIGHE: dict[str, Row] = {
    "programmazione:schede": Row(VEDERE, _piano),
    "programmazione:scheda_crea": Row(VEDERE, _sezione, post=MODIFICARE, data=_dati_scheda),
    "programmazione:scheda_modifica": Row(VEDERE, _scheda, post=MODIFICARE, data=_dati_scheda),
    "programmazione:scheda_elimina": Row(VEDERE, _scheda, post=MODIFICARE),
    "programmazione:scheda_duplica": Row(MODIFICARE, _scheda, method="post"),
    "programmazione:schede_copia": Row(VEDERE, _piano, post=MODIFICARE, data=_dati_copia),
    # The panel with unsaved amounts reads only: whoever sees the plan may ask for it.
    "programmazione:pannello": Row(
        VEDERE, _piano, post=VEDERE, data=lambda cast, ruolo: {"scheda": "", "sezione": "ambito"}
    ),
}
