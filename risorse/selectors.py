"""Reads of the preliminary phase, each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, Sum
from django.urls import reverse

from pianizona.models import Ambito, Ciclo, Comune, FonteFinanziamento, Piano, Regione, UsoFonte
from pianizona.registry import DaIstruire
from pianizona.territorio.selectors import intervallo_anni

from .models import (
    Assegnazione,
    Cofinanziamento,
    CriterioRiparto,
    FonteCiclo,
    Recepimento,
    RegolaCiclo,
    ResiduoEconomia,
    RisorsaAggiuntiva,
    Segnalazione,
    ValoreCriterio,
)
from .riparto import Criterio

ZERO = Decimal("0.00")
CODICE_COFINANZIAMENTO = "COM"


def anni_del_piano(piano: Piano) -> list[int]:
    return [piano.anno] if piano.anno else piano.ciclo.anni


def fonti_del_ciclo(ciclo: Ciclo) -> list[FonteCiclo]:
    return list(FonteCiclo.objects.filter(ciclo=ciclo).select_related("fonte"))


def fonti_trasferibili(ciclo: Ciclo) -> list[FonteFinanziamento]:
    """The cycle's active funds the Region may transfer and distribute to its ambiti."""
    return list(
        FonteFinanziamento.objects.per_uso(UsoFonte.TRASFERIMENTO)
        .filter(pk__in=FonteCiclo.objects.filter(ciclo=ciclo).values("fonte_id"))
        .order_by("ordine", "codice")
    )


def regola_del_ciclo(ciclo: Ciclo) -> RegolaCiclo:
    return RegolaCiclo.objects.filter(ciclo=ciclo).first() or RegolaCiclo(ciclo=ciclo)


# Built-in criteria, summed from the municipalities' ISTAT residents: code -> (field, name).
CRITERI_POPOLAZIONE = {
    "popolazione": ("popolazione", "Popolazione residente"),
    "eta_0_17": ("eta_0_17", "Residenti 0-17 anni"),
    "eta_65_piu": ("eta_65_piu", "Residenti 65 anni e più"),
    "eta_75_piu": ("eta_75_piu", "Residenti 75 anni e più"),
}


def criteri_popolazione(ciclo: Ciclo) -> list[Criterio]:
    """Residents by ambito, total and by age band, named with the ISTAT year (one query)."""
    righe = list(
        Comune.objects.filter(ambito__regione_id=ciclo.regione_id)
        .values_list("ambito__codice")
        .annotate(
            *(Sum(campo) for campo, _ in CRITERI_POPOLAZIONE.values()),
            Min("popolazione_anno"),
            Max("popolazione_anno"),
        )
    )
    anno = intervallo_anni(a for r in righe for a in r[-2:])
    fonte = f" (ISTAT {anno})" if anno else ""
    return [
        Criterio(
            codice,
            nome + fonte,
            {r[0]: Decimal(r[i]) for r in righe if r[i] is not None},
        )
        for i, (codice, (_, nome)) in enumerate(CRITERI_POPOLAZIONE.items(), start=1)
    ]


def comuni_senza_fasce(ciclo: Ciclo) -> list[Comune]:
    """The Region's municipalities whose ISTAT residents or age bands are missing from the criteria."""
    return list(
        Comune.objects.filter(ambito__regione_id=ciclo.regione_id)
        .filter(
            Q(popolazione_anno=None) | Q(eta_0_17=None) | Q(eta_65_piu=None) | Q(eta_75_piu=None)
        )
        .order_by("nome")
    )


def criteri_di_riparto(ciclo: Ciclo) -> list[Criterio]:
    """ISTAT residents (from the municipalities) and every quantity the Region loaded."""
    criteri = criteri_popolazione(ciclo)
    valori: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for criterio_id, ambito, valore in ValoreCriterio.objects.filter(
        criterio__regione_id=ciclo.regione_id
    ).values_list("criterio_id", "ambito__codice", "valore"):
        valori[criterio_id][ambito] = valore
    for c in CriterioRiparto.objects.filter(regione_id=ciclo.regione_id):
        criteri.append(Criterio(c.codice, c.nome, valori[c.pk]))
    return criteri


def codici_ambiti(ciclo: Ciclo) -> list[str]:
    return list(
        Ambito.objects.filter(regione_id=ciclo.regione_id)
        .order_by("codice")
        .values_list("codice", flat=True)
    )


@dataclass
class TabellaImporti:
    """Amounts by fund (rows) and year (columns), with totals."""

    anni: list[int]
    fonti: list[FonteFinanziamento]
    celle: dict[tuple[int, int], Decimal] = field(default_factory=dict)  # (fonte_id, anno)

    def importo(self, fonte: FonteFinanziamento, anno: int) -> Decimal:
        return self.celle.get((fonte.pk, anno), ZERO)

    def righe(self) -> list[dict]:
        return [
            {
                "fonte": f,
                "importi": [self.importo(f, a) for a in self.anni],
                "totale": sum((self.importo(f, a) for a in self.anni), ZERO),
            }
            for f in self.fonti
        ]

    def totali_anno(self) -> list[Decimal]:
        return [sum((self.importo(f, a) for f in self.fonti), ZERO) for a in self.anni]

    @property
    def totale(self) -> Decimal:
        return sum(self.celle.values(), ZERO)


def tabella_importi(anni: list[int], righe) -> TabellaImporti:
    """``righe``: (fonte, anno, importo) triples; funds ordered as in the reference list."""
    tabella = TabellaImporti(anni=anni, fonti=[])
    fonti = {}
    for fonte, anno, importo in righe:
        if anno not in anni:
            continue
        fonti[fonte.pk] = fonte
        tabella.celle[(fonte.pk, anno)] = tabella.celle.get((fonte.pk, anno), ZERO) + importo
    tabella.fonti = sorted(fonti.values(), key=lambda f: (f.ordine, f.codice))
    return tabella


def assegnazioni_del_piano(piano: Piano) -> TabellaImporti:
    righe = Assegnazione.objects.filter(
        ciclo_id=piano.ciclo_id, ambito_id=piano.ambito_id
    ).select_related("fonte")
    return tabella_importi(anni_del_piano(piano), ((a.fonte, a.anno, a.importo) for a in righe))


def impronta_assegnazioni(tabella: TabellaImporti) -> dict[str, str]:
    """What a recepimento records: the amounts acknowledged, keyed ``FONTE-ANNO``."""
    return {
        f"{f.codice}-{a}": str(tabella.importo(f, a)) for f in tabella.fonti for a in tabella.anni
    }


@dataclass(frozen=True)
class StatoRecepimento:
    ultimo: Recepimento | None
    valido: bool  # the last acknowledgement still matches the transfers

    @property
    def da_rifare(self) -> bool:
        return self.ultimo is not None and not self.valido


def stato_recepimento(piano: Piano, tabella: TabellaImporti | None = None) -> StatoRecepimento:
    tabella = tabella or assegnazioni_del_piano(piano)
    ultimo = Recepimento.objects.filter(piano=piano).select_related("recepito_da").first()
    valido = ultimo is not None and ultimo.importi == impronta_assegnazioni(tabella)
    return StatoRecepimento(ultimo, valido)


def segnalazioni_del_piano(piano: Piano) -> list[Segnalazione]:
    return list(
        Segnalazione.objects.filter(piano=piano).select_related("fonte", "creata_da", "chiusa_da")
    )


def segnalazioni_aperte_del_ciclo(ciclo: Ciclo) -> list[Segnalazione]:
    return list(
        Segnalazione.objects.filter(piano__ciclo=ciclo, chiusa_il__isnull=True)
        .select_related("piano__ambito", "piano__ciclo", "fonte", "creata_da")
        .order_by("creata_il")
    )


def residui_del_piano(piano: Piano) -> list[ResiduoEconomia]:
    return list(ResiduoEconomia.objects.filter(piano=piano).select_related("fonte"))


def risorse_aggiuntive_del_piano(piano: Piano) -> list[RisorsaAggiuntiva]:
    return list(RisorsaAggiuntiva.objects.filter(piano=piano).select_related("fonte"))


@dataclass
class RigaCofinanziamento:
    comune: Comune
    importi: list[Decimal | None]  # per year; None = not entered yet
    per_abitante: list[Decimal | None]
    sotto_minimo: list[bool]


@dataclass
class TabellaCofinanziamento:
    anni: list[int]
    minimo: Decimal
    righe: list[RigaCofinanziamento]
    totali: list[Decimal]
    popolazione: int

    @property
    def comuni_sotto_minimo(self) -> list[Comune]:
        return [r.comune for r in self.righe if any(r.sotto_minimo)]

    @property
    def totale(self) -> Decimal:
        return sum(self.totali, ZERO)


def per_abitante(importo: Decimal, popolazione: int) -> Decimal:
    return (importo / popolazione).quantize(Decimal("0.01")) if popolazione else ZERO


def cofinanziamento_del_piano(piano: Piano) -> TabellaCofinanziamento:
    """Every municipality of the ambito × year, with per-inhabitant value and the minimum check."""
    anni = anni_del_piano(piano)
    minimo = regola_del_ciclo(piano.ciclo).cofinanziamento_minimo
    comuni = list(Comune.objects.filter(ambito_id=piano.ambito_id).order_by("nome"))
    importi = {
        (c.comune_id, c.anno): c.importo for c in Cofinanziamento.objects.filter(piano=piano)
    }
    righe = []
    for comune in comuni:
        valori = [importi.get((comune.pk, a)) for a in anni]
        pro_capite = [
            per_abitante(v, comune.popolazione) if v is not None else None for v in valori
        ]
        sotto = [minimo > 0 and (v is None or v < minimo * comune.popolazione) for v in valori]
        righe.append(RigaCofinanziamento(comune, valori, pro_capite, sotto))
    totali = [sum((r.importi[i] or ZERO for r in righe), ZERO) for i in range(len(anni))]
    return TabellaCofinanziamento(anni, minimo, righe, totali, sum(c.popolazione for c in comuni))


@dataclass
class Budget:
    """The plan's resources per fund × year: derived from transfers, residui, co-financing, others."""

    tabella: TabellaImporti
    per_livello: list[dict]  # [{"livello": label, "importi": [...], "totale": ...}]
    componenti: dict[
        str, Decimal
    ]  # totals by origin: assegnazioni, residui, cofinanziamento, altre

    @property
    def anni(self) -> list[int]:
        return self.tabella.anni


def budget_del_piano(piano: Piano) -> Budget:
    anni = anni_del_piano(piano)
    assegnazioni = list(
        Assegnazione.objects.filter(
            ciclo_id=piano.ciclo_id, ambito_id=piano.ambito_id
        ).select_related("fonte")
    )
    residui = residui_del_piano(piano)
    altre = risorse_aggiuntive_del_piano(piano)
    cofinanziamento = list(
        Cofinanziamento.objects.filter(piano=piano).values("anno").annotate(totale=Sum("importo"))
    )
    fonte_com = FonteFinanziamento.objects.filter(codice=CODICE_COFINANZIAMENTO).first()

    righe = [(a.fonte, a.anno, a.importo) for a in assegnazioni]
    righe += [(r.fonte, r.anno_impiego, r.importo) for r in residui]
    righe += [(r.fonte, r.anno, r.importo) for r in altre]
    if fonte_com is not None:
        righe += [(fonte_com, c["anno"], c["totale"]) for c in cofinanziamento]
    tabella = tabella_importi(anni, righe)

    livelli: dict[str, list[Decimal]] = {}
    for fonte in tabella.fonti:
        importi = livelli.setdefault(fonte.livello, [ZERO] * len(anni))
        for i, anno in enumerate(anni):
            importi[i] += tabella.importo(fonte, anno)
    etichette = dict(FonteFinanziamento.Livello.choices)
    per_livello = [
        {"livello": etichette[liv], "codice": liv, "importi": imp, "totale": sum(imp, ZERO)}
        for liv, imp in sorted(livelli.items(), key=lambda kv: list(etichette).index(kv[0]))
    ]

    def somma(valori) -> Decimal:
        return sum((v for anno, v in valori if anno in anni), ZERO)

    componenti = {
        "Trasferimenti regionali": somma((a.anno, a.importo) for a in assegnazioni),
        "Residui ed economie": somma((r.anno_impiego, r.importo) for r in residui),
        "Cofinanziamento comunale": somma((c["anno"], c["totale"]) for c in cofinanziamento),
        "Altre risorse": somma((r.anno, r.importo) for r in altre),
    }
    return Budget(tabella, per_livello, componenti)


def segnalazioni_da_rispondere(regione: Regione) -> list[DaIstruire]:
    """The officer's home: the districts' open discrepancy reports per open cycle (two queries)."""
    cicli = list(
        Ciclo.objects.filter(regione=regione, chiuso_il__isnull=True).order_by("-anno_inizio")
    )
    aperte = dict(
        Segnalazione.objects.filter(piano__ciclo__in=cicli, chiusa_il__isnull=True)
        .values_list("piano__ciclo_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        DaIstruire(
            "Segnalazioni sui trasferimenti da chiudere",
            aperte.get(ciclo.pk, 0),
            reverse("risorse:segnalazioni", kwargs={"ciclo_pk": ciclo.pk}),
            f"Ciclo {ciclo.nome}",
            50 + posizione,
        )
        for posizione, ciclo in enumerate(cicli)
    ]
