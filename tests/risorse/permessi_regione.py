"""Permission-matrix rows for the Region's risorse pages (merged into the matrix with RIGHE).

GET: the funzionario and the administrator (read-only) see the cycle, district users 403.
POST: only the funzionario, who may configure the region; the administrator gets 403 too.
Pages answering only POST get 405 on GET from everyone signed in.
"""

from decimal import Decimal

from pianizona.models import AreaInterventoFnps, FonteFinanziamento

from ..conftest import Cast
from ..permessi import LOGIN, Row, per_ruolo

LETTURA = per_ruolo(LOGIN, 403, 403, 403, 200, 200)
SCRITTURA = per_ruolo(LOGIN, 403, 403, 403, 302, 403)
SCRITTURA_IN_PAGINA = per_ruolo(LOGIN, 403, 403, 403, 200, 403)  # the answer is the page itself
SOLO_POST = per_ruolo(LOGIN, 405, 405, 405, 405, 405)


def _fonte_attiva(cast: Cast) -> FonteFinanziamento:
    from risorse.models import FonteCiclo

    fonte = FonteFinanziamento.objects.get_or_create(
        codice="FNPS",
        defaults={
            "nome": "Fondo Nazionale Politiche Sociali",
            "livello": "statale",
            "sezione": "ordinarie",
            "ordine": 1,
        },
    )[0]
    FonteCiclo.objects.get_or_create(
        ciclo=cast.piano_a.ciclo, fonte=fonte, defaults={"sezione": "ordinarie"}
    )
    return fonte


def _ciclo(cast: Cast) -> dict:
    _fonte_attiva(cast)
    return {"ciclo_pk": cast.piano_a.ciclo_id}


def _vincolo(cast: Cast) -> dict:
    from risorse.models import Vincolo

    area = AreaInterventoFnps.objects.get_or_create(codice=1, defaults={"nome": "Infanzia"})[0]
    vincolo = Vincolo.objects.create(
        ciclo=cast.piano_a.ciclo,
        fonte=_fonte_attiva(cast),
        area=area,
        percentuale_minima=Decimal(50),
    )
    return {"ciclo_pk": vincolo.ciclo_id, "pk": vincolo.pk}


def _dati_vincolo(cast: Cast, ruolo: str) -> dict:
    area = AreaInterventoFnps.objects.get_or_create(codice=2, defaults={"nome": "Disabili"})[0]
    return {"fonte": _fonte_attiva(cast).pk, "area": area.pk, "percentuale": "30"}


def _criterio(cast: Cast) -> dict:
    from risorse.models import CriterioRiparto

    criterio = CriterioRiparto.objects.create(regione=cast.regione, codice="minori", nome="Minori")
    return {"ciclo_pk": cast.piano_a.ciclo_id, "pk": criterio.pk}


def _segnalazione(cast: Cast) -> dict:
    from risorse.models import Segnalazione

    segnalazione = Segnalazione.objects.create(
        piano=cast.piano_a, creata_da=cast.operatore_a, nota="Importo diverso dal decreto."
    )
    return {"ciclo_pk": cast.piano_a.ciclo_id, "pk": segnalazione.pk}


def _dati_configurazione(cast: Cast, ruolo: str) -> dict:
    return {f"sezione_{_fonte_attiva(cast).pk}": "ordinarie", "cofinanziamento_minimo": "2,00"}


def _dati_assegnazioni(cast: Cast, ruolo: str) -> dict:
    return {
        "fonte": "FNPS",
        "anno": "2025",
        "revisione": "0",
        f"importo_{cast.ambito_a.pk}": "1.000,00",
    }


def _dati_riparto(cast: Cast, ruolo: str) -> dict:
    return {
        "fonte": "FNPS",
        "anno": "2025",
        "totale": "1.000,00",
        "peso_popolazione": "100",
        "azione": "applica",
    }


RIGHE: dict[str, Row] = {
    "risorse:configurazione": Row(LETTURA, _ciclo, post=SCRITTURA, data=_dati_configurazione),
    "risorse:vincolo_crea": Row(SOLO_POST, _ciclo, post=SCRITTURA, data=_dati_vincolo),
    "risorse:vincolo_elimina": Row(SOLO_POST, _vincolo, post=SCRITTURA),
    "risorse:fonte_regionale_crea": Row(
        SOLO_POST,
        _ciclo,
        post=SCRITTURA,
        data=lambda cast, ruolo: {
            "codice": f"FR{ruolo[:6]}",
            "nome": "Fondo regionale per la non autosufficienza",
            "sezione": "ordinarie",
        },
    ),
    "risorse:denominazioni": Row(
        SOLO_POST,
        _ciclo,
        post=SCRITTURA,
        data=lambda cast, ruolo: {
            "denominazione_ambiti": "distretto",
            "organo_approvazione": "comitato",
        },
    ),
    "risorse:assegnazioni": Row(LETTURA, _ciclo, post=SCRITTURA, data=_dati_assegnazioni),
    "risorse:assegnazioni_esporta": Row(LETTURA, _ciclo),
    "risorse:assegnazioni_modello": Row(LETTURA, _ciclo),
    # POST without a file re-shows the form with its message: 200.
    "risorse:assegnazioni_importa": Row(LETTURA, _ciclo, post=SCRITTURA_IN_PAGINA),
    "risorse:riparto": Row(LETTURA, _ciclo, post=SCRITTURA, data=_dati_riparto),
    "risorse:criteri": Row(
        LETTURA,
        _ciclo,
        post=SCRITTURA,
        data=lambda cast, ruolo: {"codice": "anziani", "nome": "Over 65"},
    ),
    "risorse:criterio_importa": Row(LETTURA, _criterio, post=SCRITTURA_IN_PAGINA),
    "risorse:segnalazioni": Row(LETTURA, _ciclo),
    "risorse:segnalazione_chiudi": Row(
        SOLO_POST,
        _segnalazione,
        post=SCRITTURA,
        data=lambda cast, ruolo: {"risposta": "Verificato: l'importo è corretto."},
    ),
}
