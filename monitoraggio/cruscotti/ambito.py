"""A district's dashboard: its own trend across the cycle's years against the regional average.

The regional figures come from ``indicatori.medie``, the same as on the indicator pages: the ambiti
with an approved plan taken together (programmed €/inhabitant, computed indicators), the mean of
the ambiti's values for entered indicators. A fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from pianizona.models import Ambito, Ciclo
from pianizona.territorio.denominazioni import denominazione_distretti

from ..indicatori.formule import Dati
from ..indicatori.formule import programmato as programmato_di
from ..indicatori.medie import (
    MEDIA,
    didascalia,
    liquidato_sul_programmato,
    medie_regionali,
    programmato_per_abitante_per_anno,
)
from ..models import Indicatore, ValoreIndicatore
from .grafici import EURO, NUMERO, PERCENTUALE, Colonna, Grafico, formatta, per_abitante

ZERO = Decimal("0.00")
INDICATORI_CHIAVE = 8  # the dashboard shows the first ones of the catalogue that have a target


@dataclass
class ContestoAmbito:
    ambito: Ambito
    ciclo: Ciclo

    @property
    def anni(self) -> list[int]:
        return self.ciclo.anni

    @cached_property
    def dati(self) -> Dati:
        """The region's plans, programmed amounts and inhabitants, read once for every chart."""
        return Dati(self.ambito.regione, self.anni)

    @cached_property
    def programmato_per_anno(self) -> dict[int, Decimal]:
        """Anno → what the ambito's reference plan programmes for it."""
        return {anno: programmato_di(self.dati, self.ambito.pk, anno) for anno in self.anni}


def programmato(ctx: ContestoAmbito) -> Grafico:
    abitanti = ctx.dati.popolazione.get(ctx.ambito.pk, 0)
    per_anno = ctx.programmato_per_anno
    regione = programmato_per_abitante_per_anno(ctx.dati)
    righe = []
    for anno in ctx.anni:
        suo = per_anno[anno]
        media = regione[anno]
        righe.append(
            [anno, suo, per_abitante(suo, abitanti), _arrotonda(media.valore), media.contati]
        )
    parola = denominazione_distretti(ctx.ambito)
    conteggi = "; ".join(f"{anno}: {regione[anno].ambiti(ctx.ambito.regione)}" for anno in ctx.anni)
    return Grafico(
        nome="programmato",
        titolo="Programmato per abitante",
        descrizione=(
            f"Programmato per abitante {parola.forma('del')} "
            f"({formatta(abitanti, NUMERO)} abitanti), anni {ctx.ciclo.periodo}; media regionale: "
            f"{didascalia(ctx.ambito.regione)}; {parola.forma('plurale')} contati: {conteggi}"
        ),
        colonne=[
            Colonna("anno", "Anno"),
            Colonna("programmato", f"Programmato {parola.forma('del')}", EURO),
            Colonna(
                "programmato_per_abitante", f"{parola.forma().capitalize()}, per abitante", EURO
            ),
            Colonna("media_regionale_per_abitante", "Media regionale, per abitante", EURO),
            Colonna(
                "ambiti_nella_media", f"{parola.forma('plurale').capitalize()} nella media", NUMERO
            ),
        ],
        righe=righe,
        serie=["programmato_per_abitante", "media_regionale_per_abitante"],
    )


def liquidato(ctx: ContestoAmbito) -> Grafico:
    per_anno = ctx.programmato_per_anno
    quote = liquidato_sul_programmato(ctx.dati)
    righe = []
    for anno in ctx.anni:
        liquidato = ctx.dati.rendicontato.get((ctx.ambito.pk, anno), (ZERO, ZERO))[1]
        suo, regione = quote[(ctx.ambito.pk, anno)], quote[(None, anno)]
        righe.append(
            [
                anno,
                per_anno[anno],
                liquidato,
                _arrotonda(suo.valore),
                _arrotonda(regione.valore),
                regione.contati if regione.valore is not None else None,
            ]
        )
    parola = denominazione_distretti(ctx.ambito)
    return Grafico(
        nome="liquidato",
        titolo="Liquidato sul programmato",
        descrizione=(
            f"Quota del programmato già liquidata {parola.forma('dal')} e nella regione, anni "
            f"{ctx.ciclo.periodo}: ultime dichiarazioni delle rendicontazioni inviate alla "
            f"Regione; media regionale: la somma del liquidato {parola.forma('dei')} con un piano "
            "approvato che hanno inviato la rendicontazione dell'anno, divisa per il loro "
            "programmato"
        ),
        colonne=[
            Colonna("anno", "Anno"),
            Colonna("programmato", f"Programmato {parola.forma('del')}", EURO),
            Colonna("liquidato", f"Liquidato {parola.forma('del')}", EURO),
            Colonna(
                "liquidato_percentuale",
                f"{parola.forma().capitalize()}, liquidato sul programmato",
                PERCENTUALE,
            ),
            Colonna(
                "media_regionale_percentuale", "Regione, liquidato sul programmato", PERCENTUALE
            ),
            Colonna(
                "ambiti_nella_media", f"{parola.forma('plurale').capitalize()} nella media", NUMERO
            ),
        ],
        righe=righe,
        serie=["liquidato_percentuale", "media_regionale_percentuale"],
    )


def _arrotonda(valore: Decimal | None) -> Decimal | None:
    return None if valore is None else Decimal(valore).quantize(Decimal("0.01"), ROUND_HALF_UP)


def indicatori(ctx: ContestoAmbito) -> Grafico:
    chiave = list(
        Indicatore.objects.filter(
            regione_id=ctx.ambito.regione_id,
            attivo=True,
            livello=Indicatore.Livello.AMBITO,
            target__isnull=False,
        ).order_by("ordine", "codice")[:INDICATORI_CHIAVE]
    )
    suoi = (
        {
            (v.indicatore_id, v.anno): v.valore
            for v in ValoreIndicatore.objects.filter(
                indicatore__in=chiave, ambito_id=ctx.ambito.pk, anno__in=ctx.anni
            )
        }
        if chiave
        else {}
    )
    medie = medie_regionali(ctx.dati, chiave)
    righe = []
    for indicatore in chiave:
        for anno in ctx.anni:
            media = medie.get((indicatore.pk, anno))
            righe.append(
                [
                    f"{indicatore.codice} {anno}",
                    indicatore.nome,
                    anno,
                    indicatore.get_unita_display(),
                    _arrotonda(suoi.get((indicatore.pk, anno))),
                    _arrotonda(media.valore) if media else None,
                    media.contati if media and media.valore is not None else None,
                    indicatore.target,
                ]
            )
    parola = denominazione_distretti(ctx.ambito)
    return Grafico(
        nome="indicatori",
        titolo="Indicatori chiave",
        descrizione=(
            f"Valore {parola.forma('del')} e media regionale per gli indicatori con un target, "
            f"anni {ctx.ciclo.periodo}. Media regionale degli indicatori calcolati: "
            f"{didascalia(ctx.ambito.regione)}; di quelli inseriti: "
            f"{didascalia(ctx.ambito.regione, MEDIA)}"
        ),
        colonne=[
            Colonna("indicatore_anno", "Indicatore e anno"),
            Colonna("indicatore", "Nome"),
            Colonna("anno", "Anno"),
            Colonna("unita", "Unità"),
            Colonna("valore_ambito", f"Valore {parola.forma('del')}", NUMERO),
            Colonna("media_regionale", "Media regionale", NUMERO),
            Colonna(
                "ambiti_nella_media", f"{parola.forma('plurale').capitalize()} nella media", NUMERO
            ),
            Colonna("target", "Target", NUMERO),
        ],
        righe=righe,
        serie=["valore_ambito", "media_regionale"],
        orizzontale=True,
        vuoto="La regione non ha indicatori di ambito attivi con un target.",
    )


GRAFICI_AMBITO: dict[str, Callable[[ContestoAmbito], Grafico]] = {
    "programmato": programmato,
    "liquidato": liquidato,
    "indicatori": indicatori,
}


def cruscotto_ambito(ctx: ContestoAmbito) -> list[Grafico]:
    return [costruisci(ctx) for costruisci in GRAFICI_AMBITO.values()]
