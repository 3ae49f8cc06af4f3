"""The live panel's picture: budget − allocated, earmarks and failing checks, saved or with input."""

from dataclasses import dataclass
from decimal import Decimal

from pianizona.models import Piano
from pianizona.registry import EsitoControllo
from risorse.selectors import ZERO

from . import controlli, selectors
from .models import SchedaIntervento, VoceCatalogo


@dataclass
class Pannello:
    """Budget − allocated per fund × year, the earmarks and every failing check of the plan."""

    quadro: selectors.Quadro
    vincoli: list[selectors.StatoVincolo]
    esiti: list[EsitoControllo]
    non_salvato: bool = False  # computed with a sheet's unsaved amounts

    @property
    def da_programmare(self) -> Decimal:
        return self.quadro.totale_budget - self.quadro.totale_allocato

    @property
    def sovra_allocate(self) -> list[selectors.RigaQuadro]:
        return [r for r in self.quadro.righe if r.sovra_allocata]


def _per_area_con_importi(
    piano: Piano, scheda_id: int | None, importi: selectors.Importi, area_id: int | None
) -> dict[tuple[int, int, int], Decimal]:
    """Allocated per fund, year and FNPS area if one sheet's allocations were ``importi``."""
    per_area = selectors.allocato_per_area(piano, escludi_scheda=scheda_id)
    if area_id is not None:
        for (fonte_id, anno), importo in importi.items():
            chiave = (fonte_id, anno, area_id)
            per_area[chiave] = per_area.get(chiave, ZERO) + importo
    return per_area


def pannello_del_piano(
    piano: Piano,
    *,
    schede: list[SchedaIntervento] | None = None,
    scheda_id: int | None = None,
    importi: selectors.Importi | None = None,
    area_id: int | None = None,
) -> Pannello:
    """The saved picture, or the one where sheet ``scheda_id`` (None: a new one) has ``importi``."""
    if importi is None:
        quadro = selectors.quadro_allocazioni(piano)
        vincoli = selectors.stato_vincoli(piano, quadro)
    else:
        quadro = selectors.quadro_allocazioni(
            piano, selectors.con_importi_di_scheda(piano, scheda_id, importi)
        )
        vincoli = selectors.stato_vincoli(
            piano, quadro, _per_area_con_importi(piano, scheda_id, importi, area_id)
        )
    if schede is None:  # the sheet checks need only entry and municipality
        schede = list(
            SchedaIntervento.objects.filter(piano=piano).select_related("voce").order_by("numero")
        )
    esiti = controlli.esiti_quadro(quadro, vincoli, url=None) + controlli.esiti_schede(
        piano, schede
    )
    return Pannello(quadro, vincoli, esiti, non_salvato=importi is not None)


def area_della_voce(piano: Piano, voce: str, scheda: SchedaIntervento | None) -> int | None:
    """The FNPS area of the entry chosen in the form (not saved yet), else of the saved one."""
    if voce.isdigit():
        area = (
            VoceCatalogo.objects.filter(pk=int(voce), ciclo_id=piano.ciclo_id)
            .values_list("area_intervento_id", flat=True)
            .first()
        )
        if area is not None:
            return area
    if scheda is not None and scheda.voce_id is not None:
        return scheda.voce.area_intervento_id
    return None
