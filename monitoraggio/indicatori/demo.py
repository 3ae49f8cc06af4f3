"""Demo data of the indicators: the standard catalogue for the region, the values the ambiti
communicate (users taken in charge, waiting days, social workers) for the years already past,
and one recalculation of the computed ones, run here and now rather than as a job.

Rebuilding the demo changes nothing: the catalogue and the entered values are added only where
missing, and the recalculation writes only values that changed.
"""

import random
from decimal import Decimal

from django.utils import timezone

from pianizona.models import Ambito, Ciclo, Regione

from ..models import Indicatore, StoricoValoreIndicatore, ValoreIndicatore
from .services import anni_dei_cicli, indicatori_carica_catalogo, indicatori_ricalcola

# code → (lowest, highest) per 10.000 inhabitants, or absolute for the waiting days
INSERITI = {
    "UTE01": (Decimal("180"), Decimal("420")),  # users taken in charge per 10.000 inhabitants
    "UTE02": (Decimal("12"), Decimal("55")),  # waiting days
    "UTE03": (Decimal("1.2"), Decimal("2.6")),  # social workers per 10.000 inhabitants
}


def _valori_inseriti(regione: Regione, ambiti: list[Ambito], anni: list[int], rng) -> None:
    indicatori = {
        i.codice: i
        for i in Indicatore.objects.filter(regione=regione, codice__in=INSERITI, attivo=True)
    }
    popolazione = {
        a.pk: sum(c.popolazione for c in a.comuni.all())
        for a in Ambito.objects.filter(pk__in=[a.pk for a in ambiti]).prefetch_related("comuni")
    }
    esistenti = set(
        ValoreIndicatore.objects.filter(
            indicatore__in=indicatori.values(), ambito__in=ambiti
        ).values_list("indicatore_id", "ambito_id", "anno")
    )
    adesso = timezone.now()
    valori, storico = [], []
    for ambito in ambiti:
        for anno in anni:
            for codice, (minimo, massimo) in INSERITI.items():
                indicatore = indicatori.get(codice)
                if indicatore is None or (indicatore.pk, ambito.pk, anno) in esistenti:
                    continue
                casuale = minimo + (massimo - minimo) * Decimal(str(rng.random()))
                if codice == "UTE01":
                    valore = Decimal(int(casuale * popolazione.get(ambito.pk, 0) / 10_000))
                elif codice == "UTE02":
                    valore = Decimal(int(casuale))
                else:
                    valore = casuale.quantize(Decimal("0.01"))
                nota = "Dato comunicato dall'Ufficio di Piano (demo)."
                valori.append(
                    ValoreIndicatore(
                        indicatore=indicatore,
                        ambito=ambito,
                        anno=anno,
                        valore=valore,
                        nota=nota,
                        aggiornato_il=adesso,
                    )
                )
                storico.append(
                    StoricoValoreIndicatore(
                        indicatore=indicatore,
                        ambito=ambito,
                        anno=anno,
                        valore=valore,
                        origine=StoricoValoreIndicatore.Origine.INSERIMENTO,
                        nota=nota,
                        registrato_il=adesso,
                    )
                )
    ValoreIndicatore.objects.bulk_create(valori, batch_size=1000)
    StoricoValoreIndicatore.objects.bulk_create(storico, batch_size=1000)


def crea_dati_demo(regione: Regione, ambiti: list[Ambito], rng: random.Random, scale: str) -> None:
    indicatori_carica_catalogo(regione=regione)
    ciclo = Ciclo.objects.filter(regione=regione).order_by("-anno_inizio").first()
    if ciclo is None:
        return
    # The previous cycle's years and the current one's first: the figures of years already closed.
    anni = [a for a in anni_dei_cicli(regione) if a <= ciclo.anno_inizio]
    # A generator of our own: the shared one's sequence stays as the other builders expect it.
    _valori_inseriti(regione, ambiti, anni, random.Random(f"indicatori-{scale}"))
    indicatori_ricalcola(regione=regione)
