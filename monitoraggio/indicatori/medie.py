"""The regional figures, one definition each: what every page calls «media regionale».

Two kinds, and each page's caption says which:

- ``COMPLESSIVA``: the region taken as one ambito, by the indicator's own formula over the ambiti
  that have the data (an approved plan for the year; for the paid and committed shares, a
  submitted report): programmed €/inhabitant is their programmed sum over their inhabitants.
  Ambiti without an approved plan are neither in the numerator nor in the denominator.
- ``MEDIA``: the mean of the ambiti's values, for the indicators the ambiti enter themselves.

The indicator page, the district dashboard and the regional dashboard all read it from here.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count

from pianizona.models import Regione
from pianizona.territorio.denominazioni import denominazione_distretti

from ..models import Indicatore, ValoreIndicatore
from .formule import (
    FORMULE,
    Dati,
    arrotonda,
    per_abitante_nel_periodo,
    programmato,
    rendicontato_su_programmato,
)

COMPLESSIVA = "complessiva"
MEDIA = "media"


@dataclass(frozen=True)
class MediaRegionale:
    valore: Decimal | None
    modo: str  # COMPLESSIVA or MEDIA
    contati: int  # the ambiti the figure counts
    totali: int  # the ambiti it could count (the region's, or the filter's)
    nota: str = ""  # why there is no value

    def ambiti(self, regione: Regione) -> str:
        """«10 ambiti territoriali sociali su 45», in the Region's words."""
        parola = denominazione_distretti(regione)
        nome = parola.forma() if self.contati == 1 else parola.forma("plurale")
        return f"{self.contati} {nome} su {self.totali}"


def didascalia(regione: Regione, modo: str = COMPLESSIVA, *, un_anno: bool = True) -> str:
    """What a «media regionale» is, for a caption: «la somma degli ambiti… divisa per…»."""
    dei = denominazione_distretti(regione).forma("dei")
    if modo == MEDIA:
        return f"la media dei valori {dei} che li hanno comunicati"
    quando = "per l'anno" if un_anno else "per gli anni scelti"
    return (
        f"la somma {dei} con un piano approvato {quando} divisa per i loro "
        "abitanti (per le quote, per il loro programmato); chi non ha un piano approvato non conta"
    )


def _programmato_per_abitante(dati: Dati, ambiti: list[int], anni: list[int]) -> MediaRegionale:
    calcolo = per_abitante_nel_periodo(
        dati, ambiti, anni, lambda ambito_id, anno: programmato(dati, ambito_id, anno)
    )
    return MediaRegionale(calcolo.valore, COMPLESSIVA, calcolo.ambiti, len(ambiti), calcolo.nota)


def programmato_per_abitante(dati: Dati, ambito_ids: list[int] | None = None) -> MediaRegionale:
    """Programmed €/inhabitant of the region (or of ``ambito_ids``) over all of ``dati.anni``: the
    ambiti with an approved plan for those years, their programmed sum over their inhabitants (the
    formula of SPS01 and REG01)."""
    scelti = set(dati.ambiti if ambito_ids is None else ambito_ids)
    return _programmato_per_abitante(dati, [a for a in dati.ambiti if a in scelti], dati.anni)


def programmato_per_abitante_per_anno(dati: Dati) -> dict[int, MediaRegionale]:
    """The same figure for the whole region, year by year."""
    return {anno: _programmato_per_abitante(dati, list(dati.ambiti), [anno]) for anno in dati.anni}


def liquidato_sul_programmato(dati: Dati) -> dict[tuple[int | None, int], MediaRegionale]:
    """(ambito | None for the region, anno) → paid over programmed, in %, as MON02 and REG04
    compute it: the latest declarations of the reports submitted to the Region."""
    totali = len(dati.ambiti)
    return {
        chiave: MediaRegionale(arrotonda(c.valore), COMPLESSIVA, c.ambiti, totali, c.nota)
        for chiave, c in rendicontato_su_programmato(dati, 1).items()
    }


def medie_regionali(
    dati: Dati, indicatori: list[Indicatore]
) -> dict[tuple[int, int], MediaRegionale]:
    """(indicatore, anno) → its regional figure: the formula's over the region for a computed
    indicator, the mean of the ambiti's values for an entered one. A fixed number of queries."""
    medie: dict[tuple[int, int], MediaRegionale] = {}
    if not indicatori or not dati.anni:
        return medie
    totali = len(dati.ambiti)
    for indicatore in indicatori:
        formula = FORMULE.get(indicatore.formula)
        if indicatore.tipo != Indicatore.Tipo.CALCOLATO or formula is None:
            continue
        if Indicatore.Livello.REGIONALE not in formula.livelli:
            continue
        for (ambito_id, anno), calcolo in formula.calcola(dati, indicatore).items():
            if ambito_id is None:
                medie[(indicatore.pk, anno)] = MediaRegionale(
                    arrotonda(calcolo.valore), COMPLESSIVA, calcolo.ambiti, totali, calcolo.nota
                )
    inseriti = [i.pk for i in indicatori if i.tipo == Indicatore.Tipo.INSERITO]
    if inseriti:
        righe = (
            ValoreIndicatore.objects.filter(
                indicatore__in=inseriti,
                ambito__regione=dati.regione,
                anno__in=dati.anni,
                valore__isnull=False,
            )
            .values("indicatore_id", "anno")
            .annotate(media=Avg("valore"), n=Count("ambito_id", distinct=True))
            .order_by()
        )
        for r in righe:
            medie[(r["indicatore_id"], r["anno"])] = MediaRegionale(
                arrotonda(Decimal(r["media"])), MEDIA, r["n"], totali
            )
    return medie
