"""A district's dashboard: its own trend across the cycle's years against the regional average.

The regional figures are the region's totals over its inhabitants (programmed €/inhabitant, paid
over programmed) and, for indicators, the mean of the ambiti's values. A fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Avg, Max, Q, Sum

from pianizona.models import Ambito, Ciclo, Comune

from ..models import Indicatore, ValoreIndicatore
from ..programmato import allocazioni_programmate, ultime_dichiarazioni
from .grafici import EURO, NUMERO, PERCENTUALE, Colonna, Grafico, per_abitante, quota

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
    def programmato_per_anno(self) -> dict[int, dict[str, Decimal]]:
        return _programmato_per_anno(self)


def _abitanti(ctx: ContestoAmbito) -> tuple[int, int]:
    totali = Comune.objects.filter(ambito__regione_id=ctx.ambito.regione_id).aggregate(
        regione=Sum("popolazione"), ambito=Sum("popolazione", filter=Q(ambito_id=ctx.ambito.pk))
    )
    return totali["ambito"] or 0, totali["regione"] or 0


def _programmato_per_anno(ctx: ContestoAmbito) -> dict[int, dict[str, Decimal]]:
    ambito_ids = Ambito.objects.filter(regione_id=ctx.ambito.regione_id).values_list(
        "pk", flat=True
    )
    return {
        r["anno"]: r
        for r in allocazioni_programmate(list(ambito_ids), ctx.anni)
        .values("anno")
        .annotate(
            regione=Sum("importo"),
            ambito=Sum("importo", filter=Q(scheda__piano__ambito_id=ctx.ambito.pk)),
        )
        .order_by()
    }


def programmato(ctx: ContestoAmbito) -> Grafico:
    abitanti, abitanti_regione = _abitanti(ctx)
    per_anno = ctx.programmato_per_anno
    righe = []
    for anno in ctx.anni:
        r = per_anno.get(anno, {})
        suo, regione = r.get("ambito") or ZERO, r.get("regione") or ZERO
        righe.append(
            [
                anno,
                suo,
                per_abitante(suo, abitanti),
                per_abitante(regione, abitanti_regione),
            ]
        )
    return Grafico(
        nome="programmato",
        titolo="Programmato per abitante",
        descrizione=(
            f"Programmato per abitante dell'ambito ({abitanti:,} abitanti)".replace(",", ".")
            + " e media regionale "
            f"(programmato della regione sui suoi abitanti), anni {ctx.ciclo.periodo}"
        ),
        colonne=[
            Colonna("anno", "Anno"),
            Colonna("programmato", "Programmato dell'ambito", EURO),
            Colonna("programmato_per_abitante", "Ambito, per abitante", EURO),
            Colonna("media_regionale_per_abitante", "Media regionale, per abitante", EURO),
        ],
        righe=righe,
        serie=["programmato_per_abitante", "media_regionale_per_abitante"],
    )


def liquidato(ctx: ContestoAmbito) -> Grafico:
    per_anno = ctx.programmato_per_anno
    dichiarato = {
        r["rendicontazione__anno"]: r
        for r in ultime_dichiarazioni(
            Q(
                rendicontazione__ambito__regione_id=ctx.ambito.regione_id,
                rendicontazione__anno__in=ctx.anni,
            )
        )
        .values("rendicontazione__anno")
        .annotate(
            regione=Sum("liquidato"),
            ambito=Sum("liquidato", filter=Q(rendicontazione__ambito_id=ctx.ambito.pk)),
        )
        .order_by()
    }
    righe = []
    for anno in ctx.anni:
        p, d = per_anno.get(anno, {}), dichiarato.get(anno, {})
        prog, liq = p.get("ambito") or ZERO, d.get("ambito") or ZERO
        righe.append([anno, prog, liq, quota(liq, prog), quota(d.get("regione"), p.get("regione"))])
    return Grafico(
        nome="liquidato",
        titolo="Liquidato sul programmato",
        descrizione=(
            f"Quota del programmato già liquidata dall'ambito e nella regione, anni "
            f"{ctx.ciclo.periodo} (ultime dichiarazioni di ogni linea)"
        ),
        colonne=[
            Colonna("anno", "Anno"),
            Colonna("programmato", "Programmato dell'ambito", EURO),
            Colonna("liquidato", "Liquidato dell'ambito", EURO),
            Colonna("liquidato_percentuale", "Ambito, liquidato sul programmato", PERCENTUALE),
            Colonna(
                "media_regionale_percentuale", "Regione, liquidato sul programmato", PERCENTUALE
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
    valori = (
        {
            (r["indicatore_id"], r["anno"]): r
            for r in ValoreIndicatore.objects.filter(
                indicatore__in=chiave,
                ambito__regione_id=ctx.ambito.regione_id,
                anno__in=ctx.anni,
                valore__isnull=False,
            )
            .values("indicatore_id", "anno")
            .annotate(media=Avg("valore"), suo=Max("valore", filter=Q(ambito_id=ctx.ambito.pk)))
            .order_by()
        }
        if chiave
        else {}
    )
    righe = []
    for indicatore in chiave:
        for anno in ctx.anni:
            r = valori.get((indicatore.pk, anno), {})
            righe.append(
                [
                    f"{indicatore.codice} {anno}",
                    indicatore.nome,
                    anno,
                    indicatore.get_unita_display(),
                    _arrotonda(r.get("suo")),
                    _arrotonda(r.get("media")),
                    indicatore.target,
                ]
            )
    return Grafico(
        nome="indicatori",
        titolo="Indicatori chiave",
        descrizione=(
            "Valore dell'ambito e media dei valori degli ambiti della regione per gli indicatori "
            f"con un target, anni {ctx.ciclo.periodo}"
        ),
        colonne=[
            Colonna("indicatore_anno", "Indicatore e anno"),
            Colonna("indicatore", "Nome"),
            Colonna("anno", "Anno"),
            Colonna("unita", "Unità"),
            Colonna("valore_ambito", "Valore dell'ambito", NUMERO),
            Colonna("media_regionale", "Media regionale", NUMERO),
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
