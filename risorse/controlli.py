"""The preliminary phase's pre-submission checks, registered with the core (see apps.py)."""

from django.urls import reverse

from pianizona.models import Piano
from pianizona.money import format_euro
from pianizona.registry import EsitoControllo

from . import selectors

# The plan's sections (their url_names) these checks speak for: their cards show the results.
SEZIONE_RIEPILOGO = "risorse:riepilogo"
SEZIONE_COFINANZIAMENTO = "risorse:cofinanziamento"
SEZIONI = (SEZIONE_RIEPILOGO, SEZIONE_COFINANZIAMENTO)


def controlli_risorse(piano: Piano) -> list[EsitoControllo]:
    esiti = []
    recepimento = selectors.stato_recepimento(piano)
    url_riepilogo = reverse(SEZIONE_RIEPILOGO, args=[piano.pk])
    if recepimento.ultimo is None:
        esiti.append(
            EsitoControllo(
                "recepimento_mancante",
                "Le assegnazioni della Regione non sono state recepite.",
                bloccante=True,
                url=url_riepilogo,
                sezione=SEZIONE_RIEPILOGO,
            )
        )
    elif not recepimento.valido:
        esiti.append(
            EsitoControllo(
                "recepimento_superato",
                "La Regione ha modificato le assegnazioni dopo il recepimento: vanno recepite di nuovo.",
                bloccante=True,
                url=url_riepilogo,
                sezione=SEZIONE_RIEPILOGO,
            )
        )
    tabella = selectors.cofinanziamento_del_piano(piano)
    url_cofinanziamento = reverse(SEZIONE_COFINANZIAMENTO, args=[piano.pk])
    for riga in tabella.righe:
        for anno, importo, sotto in zip(tabella.anni, riga.importi, riga.sotto_minimo, strict=True):
            if not sotto:
                continue
            minimo = tabella.minimo * riga.comune.popolazione
            presente = importo or selectors.ZERO
            esiti.append(
                EsitoControllo(
                    f"cofinanziamento_minimo:{riga.comune.codice_istat}:{anno}",
                    f"{riga.comune.nome}, {anno}: cofinanziamento di {format_euro(presente)} "
                    f"({format_euro(selectors.per_abitante(presente, riga.comune.popolazione))} per "
                    f"abitante), sotto il minimo regionale di {format_euro(tabella.minimo)} per "
                    f"abitante; mancano {format_euro(minimo - presente)}.",
                    bloccante=True,
                    url=url_cofinanziamento,
                    sezione=SEZIONE_COFINANZIAMENTO,
                )
            )
    return esiti
