"""Reads of the territory: a region's ambiti and cycles, an ambito's municipalities and plans."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Min, Prefetch, QuerySet, Sum

from pianizona.models import Ambito, Ciclo, Comune, Piano, Regione


@dataclass
class RigaPanoramica:
    ambito: Ambito
    piani: list[Piano] = field(default_factory=list)


@dataclass
class Panoramica:
    regione: Regione
    ciclo: Ciclo | None
    cicli: list[Ciclo]
    righe: list[RigaPanoramica]
    conteggio_stati: list[tuple[str, str, int]]

    @property
    def anni_popolazione(self) -> str:
        return intervallo_anni(
            a for r in self.righe for a in (r.ambito.anno_min, r.ambito.anno_max)
        )


def cicli_della_regione(regione: Regione) -> list[Ciclo]:
    return list(Ciclo.objects.filter(regione=regione).order_by("-anno_inizio"))


def panoramica_regionale(regione: Regione, ciclo_id: int | None = None) -> Panoramica:
    """Every ambito of the region with its plans in the chosen cycle (the latest by default)."""
    cicli = cicli_della_regione(regione)
    ciclo = next((c for c in cicli if c.pk == ciclo_id), cicli[0] if cicli else None)
    ambiti = (
        Ambito.objects.filter(regione=regione)
        .select_related("comune_capofila")
        .annotate(
            n_comuni=Count("comuni"),
            popolazione=Sum("comuni__popolazione"),
            anno_min=Min("comuni__popolazione_anno"),
            anno_max=Max("comuni__popolazione_anno"),
        )
        .order_by("codice")
    )
    righe = {a.pk: RigaPanoramica(ambito=a) for a in ambiti}
    piani = (
        Piano.objects.filter(ciclo=ciclo).order_by(F("anno").asc(nulls_first=True)) if ciclo else []
    )
    conteggio = Counter()
    for piano in piani:
        riga = righe.get(piano.ambito_id)
        if riga is not None:
            piano.ciclo = ciclo  # the same cycle for all: no query per plan
            piano.ambito = riga.ambito
            riga.piani.append(piano)
            conteggio[piano.stato] += 1
    stati = [(value, label, conteggio[value]) for value, label in Piano.Stato.choices]
    return Panoramica(regione, ciclo, cicli, list(righe.values()), stati)


def piani_dell_ambito(ambito: Ambito) -> QuerySet[Piano]:
    return (
        Piano.objects.filter(ambito=ambito)
        .select_related("ciclo")
        .order_by("-ciclo__anno_inizio", F("anno").asc(nulls_first=True))
    )


def comuni_dell_ambito(ambito: Ambito) -> QuerySet[Comune]:
    """With the municipalities each one took over (mergers, transfers), to say so on the page."""
    return (
        Comune.objects.filter(ambito=ambito)
        .prefetch_related(Prefetch("predecessori", Comune.objects.order_by("nome")))
        .order_by("nome")
    )


def intervallo_anni(anni: Iterable[int | None]) -> str:
    """The ISTAT year(s) of residents shown together, e.g. «2023» or «2011–2023»."""
    presenti = sorted({a for a in anni if a})
    if not presenti:
        return ""
    return str(presenti[0]) if len(presenti) == 1 else f"{presenti[0]}–{presenti[-1]}"


def anni_popolazione(comuni: list[Comune]) -> str:
    return intervallo_anni(c.popolazione_anno for c in comuni)


def codice_di_esempio(regione_id: int) -> str:
    """The Region's first district code, for «es. …» hints; empty when it has none yet."""
    return (
        Ambito.objects.filter(regione_id=regione_id)
        .order_by("codice")
        .values_list("codice", flat=True)
        .first()
        or ""
    )
