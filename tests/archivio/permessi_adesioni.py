"""Permission-matrix rows for the adhesions to the Accordo di programma.

The form and its receipt are public: everyone, signed in or not, gets them (its POST, with the
anti-spam guards, is tested in test_adesioni_pubbliche). The requests are the ambito's business:
its users, the regional officer and the administrator read them, another ambito finds nothing
(404); only the ambito's manager decides and revokes (POST 302), everyone else who sees them gets 403.
"""

from django.utils import timezone

from archivio.models import Adesione

from ..conftest import Cast
from ..permessi import LOGIN, TUTTI, Row, per_ruolo
from .utili import adesione_di


def _codice(cast: Cast) -> dict:
    return {"regione": cast.regione.codice_istat, "codice": cast.ambito_a.codice}


def _ambito(cast: Cast) -> dict:
    return {"ambito_pk": cast.ambito_a.pk}


def _adesione(cast: Cast) -> dict:
    return {"pk": adesione_di(cast.ambito_a).pk}


def _accetta(cast: Cast, ruolo: str) -> dict:
    return {"esito": "accetta", "nota": ""}


def _accettata(cast: Cast) -> dict:
    adesione = adesione_di(cast.ambito_a)
    Adesione.objects.filter(pk=adesione.pk).update(
        stato=Adesione.Stato.ACCETTATA, decisa_da=cast.responsabile_a, decisa_il=timezone.now()
    )
    return {"pk": adesione.pk}


def _motivo(cast: Cast, ruolo: str) -> dict:
    return {"motivo": "L'ente ha chiuso la sede nell'ambito."}


RIGHE: dict[str, Row] = {
    "archivio:adesioni_pubbliche": Row(TUTTI),
    "archivio:adesione": Row(TUTTI, _codice),
    # Without the signed number of a request just sent, the receipt page shows nothing (404)
    # to anyone; with it, test_adesione_modulo_pubblico reads the number on the page.
    "archivio:adesione_ricevuta": Row(per_ruolo(404, 404, 404, 404, 404, 404), _codice),
    "archivio:adesione_informativa": Row(TUTTI, _codice),
    "archivio:adesione_modulo_vuoto": Row(TUTTI, _codice),
    # The old address, without the Region: a permanent redirect to the form, for everyone.
    "archivio:adesione_indirizzo_precedente": Row(
        per_ruolo(301, 301, 301, 301, 301, 301), lambda c: {"codice": c.ambito_a.codice}
    ),
    "archivio:adesioni": Row(per_ruolo(LOGIN, 200, 200, 404, 200, 200), _ambito),
    "archivio:adesione_dettaglio": Row(per_ruolo(LOGIN, 200, 200, 404, 200, 200), _adesione),
    "archivio:adesione_decidi": Row(
        per_ruolo(LOGIN, 403, 302, 404, 403, 403), _adesione, method="post", data=_accetta
    ),
    # Revoking an accepted adhesion: the same right as deciding, POST only.
    "archivio:adesione_revoca": Row(
        per_ruolo(LOGIN, 403, 302, 404, 403, 403), _accettata, method="post", data=_motivo
    ),
    "archivio:adesione_modulo": Row(per_ruolo(LOGIN, 200, 200, 404, 200, 200), _adesione),
    "archivio:aderenti_piano": Row(
        per_ruolo(LOGIN, 200, 200, 404, 200, 200), lambda c: {"piano_pk": c.piano_a.pk}
    ),
}
