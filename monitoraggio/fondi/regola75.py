"""The FNPS 75% rule: a year's quota is released only once the ambito has reported as paid at
least 75% of the quota of two years earlier. Computed set-based for many ambiti at once.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db.models import Q, Sum

from pianizona.models import Ambito, FonteFinanziamento, Regione
from pianizona.money import CENT, format_euro, format_percentuale
from risorse.models import Assegnazione

from ..models import Rendicontazione
from ..programmato import CODICE_FNPS, ZERO, programmato_per_linea, ultime_dichiarazioni

# The FNPS decree releases a year's quota only once the ambito has reported as paid at least 75%
# of the quota of two years earlier.
SOGLIA_EROGAZIONE = Decimal("75")
# What counts as reported for the rule: figures sent to the Region, not a draft still in progress.
CENTO = Decimal("100")


def percentuale(parte: Decimal, totale: Decimal) -> Decimal | None:
    """``parte`` as a percentage of ``totale``, truncated to the cent (74,999% reads 74,99%)."""
    if not totale:
        return None
    return (parte * CENTO / totale).quantize(CENT, rounding=ROUND_DOWN)


def testo_percentuale(valore: Decimal | None) -> str:
    """``74.99`` → ``74,99%``; a percentage of nothing programmed reads «n.d.»."""
    return "n.d." if valore is None else format_percentuale(valore)


@dataclass(frozen=True)
class Regola75:
    """Whether an ambito's FNPS quota of ``anno`` may be released, judged on ``anno - 2``."""

    ambito_id: int
    anno: int
    anno_riferimento: int
    quota: Decimal
    origine_quota: str  # "assegnazione", "programmato" or "" when there is no quota
    liquidato: Decimal
    percentuale: Decimal | None

    @property
    def applicabile(self) -> bool:
        return self.quota > 0

    @property
    def rispettata(self) -> bool:
        # Compared exactly, never on a rounded percentage: 74,999% is still short of 75%.
        return not self.applicabile or self.liquidato * CENTO >= self.quota * SOGLIA_EROGAZIONE

    @property
    def testo_percentuale(self) -> str:
        return testo_percentuale(self.percentuale)

    @property
    def mancante(self) -> Decimal:
        """How much more must be reported as paid to reach the threshold."""
        dovuto = (self.quota * SOGLIA_EROGAZIONE / CENTO).quantize(CENT)
        return max(dovuto - self.liquidato, ZERO)

    @property
    def messaggio(self) -> str:
        if not self.applicabile:
            return (
                f"Nessuna quota FNPS {self.anno_riferimento} su cui verificare la regola del 75%."
            )
        fatto = format_percentuale(self.percentuale or ZERO)
        if self.rispettata:
            return (
                f"Rendicontato come liquidato il {fatto} della quota FNPS {self.anno_riferimento} "
                f"({format_euro(self.liquidato)} su {format_euro(self.quota)}): la quota "
                f"{self.anno} può essere erogata."
            )
        return (
            f"Rendicontato come liquidato solo il {fatto} della quota FNPS {self.anno_riferimento} "
            f"({format_euro(self.liquidato)} su {format_euro(self.quota)}): la quota {self.anno} "
            f"non può essere erogata finché non si raggiunge il 75% (mancano "
            f"{format_euro(self.mancante)})."
        )


def regola_75_per_ids(ambito_ids: list[int], anno: int) -> dict[int, Regola75]:
    """The rule for the FNPS quota of ``anno`` for those ambiti, in five or six queries."""
    riferimento = anno - 2
    fnps = FonteFinanziamento.objects.filter(codice=CODICE_FNPS).first()
    if fnps is None or not ambito_ids:
        return {}
    assegnato = dict(
        Assegnazione.objects.filter(ambito_id__in=ambito_ids, fonte=fnps, anno=riferimento)
        .values("ambito_id")
        .annotate(totale=Sum("importo"))
        .order_by()
        .values_list("ambito_id", "totale")
    )
    senza_assegnazione = [pk for pk in ambito_ids if pk not in assegnato]
    programmato: dict[int, Decimal] = defaultdict(lambda: ZERO)
    if senza_assegnazione:
        for linea, importo in programmato_per_linea(senza_assegnazione, [riferimento]).items():
            if linea.fonte_id == fnps.pk:
                programmato[linea.ambito_id] += importo
    liquidato = dict(
        ultime_dichiarazioni(
            Q(
                rendicontazione__ambito_id__in=ambito_ids,
                rendicontazione__anno=riferimento,
                rendicontazione__stato__in=Rendicontazione.STATI_RENDICONTATI,
                fonte=fnps,
            )
        )
        .values("rendicontazione__ambito_id")
        .annotate(totale=Sum("liquidato"))
        .order_by()
        .values_list("rendicontazione__ambito_id", "totale")
    )
    esiti = {}
    for pk in ambito_ids:
        if pk in assegnato:
            quota, origine = assegnato[pk], "assegnazione"
        elif programmato.get(pk):
            quota, origine = programmato[pk], "programmato"
        else:
            quota, origine = ZERO, ""
        pagato = liquidato.get(pk, ZERO)
        esiti[pk] = Regola75(
            pk, anno, riferimento, quota, origine, pagato, percentuale(pagato, quota)
        )
    return esiti


def regola_75_per_ambiti(regione: Regione, anno: int) -> list[Regola75]:
    """The 75% rule for the FNPS quota of ``anno``, for every ambito of the region at once."""
    ambito_ids = list(
        Ambito.objects.filter(regione=regione).order_by("codice").values_list("pk", flat=True)
    )
    esiti = regola_75_per_ids(ambito_ids, anno)
    return [esiti[pk] for pk in ambito_ids if pk in esiti]


def regola_75_ambito(ambito: Ambito, anno: int) -> Regola75 | None:
    return regola_75_per_ids([ambito.pk], anno).get(ambito.pk)
