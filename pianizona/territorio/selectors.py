"""Reads of the territory: a region's ambiti and cycles, an ambito's municipalities and plans."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Min, Prefetch, QuerySet, Sum
from django.urls import reverse

from pianizona.models import Ambito, Ciclo, Commento, Comune, Piano, Regione
from pianizona.registry import DaIstruire


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


# What waits for the officer in a plan's journey, in the order the officer acts on it.
STATI_DA_ISTRUIRE = [
    (Piano.Stato.INVIATO, "Piani inviati da prendere in carico", 10),
    (Piano.Stato.IN_ISTRUTTORIA, "Piani in istruttoria da concludere", 20),
]


def da_istruire_piani(regione: Regione) -> list[DaIstruire]:
    """The plans and remarks waiting for the Region in its open cycles: three queries in all.

    Every open cycle gets its counts, zeros included (an officer wants to see that nothing
    waits); each links to the Region's table filtered to exactly those plans.
    """
    cicli = list(
        Ciclo.objects.filter(regione=regione, chiuso_il__isnull=True).order_by("-anno_inizio")
    )
    if not cicli:
        return []
    per_stato = Counter(
        {
            (ciclo_id, stato): n
            for ciclo_id, stato, n in Piano.objects.filter(
                ciclo__in=cicli, stato__in=[s for s, _, _ in STATI_DA_ISTRUIRE]
            )
            .values_list("ciclo_id", "stato")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )
    osservazioni = dict(
        Commento.objects.filter(
            piano__ciclo__in=cicli, risposta_a__isnull=True, risolto_il__isnull=True
        )
        .values_list("piano__ciclo_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tabella = reverse("regione_piani", args=[regione.pk])
    voci = []
    for posizione, ciclo in enumerate(cicli):
        for stato, etichetta, ordine in STATI_DA_ISTRUIRE:
            voci.append(
                DaIstruire(
                    etichetta,
                    per_stato[(ciclo.pk, stato)],
                    f"{tabella}?ciclo={ciclo.pk}&stato={stato}",
                    f"Ciclo {ciclo.nome}",
                    ordine + posizione,
                )
            )
        voci.append(
            DaIstruire(
                "Osservazioni aperte nell'istruttoria",
                osservazioni.get(ciclo.pk, 0),
                f"{tabella}?ciclo={ciclo.pk}&osservazioni=aperte",
                f"Ciclo {ciclo.nome}",
                30 + posizione,
            )
        )
    return voci


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
