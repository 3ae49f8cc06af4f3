"""The preliminary phase's pre-submission checks, registered with the core (see apps.py)."""

from django.urls import reverse

from pianizona.models import Piano
from pianizona.money import format_euro
from pianizona.registry import EsitoControllo

from . import selectors


def controlli_risorse(piano: Piano) -> list[EsitoControllo]:
    esiti = []
    recepimento = selectors.stato_recepimento(piano)
    url_riepilogo = reverse("risorse:riepilogo", args=[piano.pk])
    if recepimento.ultimo is None:
        esiti.append(
            EsitoControllo(
                "recepimento_mancante",
                "Le assegnazioni della Regione non sono state recepite.",
                bloccante=True,
                url=url_riepilogo,
            )
        )
    elif not recepimento.valido:
        esiti.append(
            EsitoControllo(
                "recepimento_superato",
                "La Regione ha modificato le assegnazioni dopo il recepimento: vanno recepite di nuovo.",
                bloccante=True,
                url=url_riepilogo,
            )
        )
    tabella = selectors.cofinanziamento_del_piano(piano)
    url_cofinanziamento = reverse("risorse:cofinanziamento", args=[piano.pk])
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
                )
            )
    return esiti
