"""The allocation phase's checks: shown live while editing, blocking the submission ([4/9]) or
warning before it (budget left to programme)."""

from dataclasses import replace
from decimal import Decimal

from django.urls import reverse

from pianizona.models import Piano
from pianizona.money import CENT, format_euro, format_percentuale
from pianizona.registry import EsitoControllo

from . import selectors
from .models import Sezione

# The plan's sections (their url_names) these checks speak for: their cards show the results.
SEZIONE_SCHEDE = "programmazione:schede"
SEZIONE_NARRATIVA = "programmazione:narrativa"
SEZIONI = (SEZIONE_SCHEDE, SEZIONE_NARRATIVA)


def esiti_quadro(
    quadro: selectors.Quadro, vincoli: list[selectors.StatoVincolo], url: str | None
) -> list[EsitoControllo]:
    """Over-allocations and broken earmarks of an allocation picture (saved or being edited)."""
    esiti = []
    for riga in quadro.righe:
        if riga.sovra_allocata:
            esiti.append(
                EsitoControllo(
                    f"sovra_allocazione:{riga.fonte.codice}:{riga.anno}",
                    f"{riga.fonte.codice} {riga.anno}: allocati {format_euro(riga.allocato)} su un "
                    f"budget di {format_euro(riga.budget)}, oltre di "
                    f"{format_euro(riga.allocato - riga.budget)}.",
                    bloccante=True,
                    url=url,
                    sezione=SEZIONE_SCHEDE,
                )
            )
    for stato in vincoli:
        if not stato.rispettato:
            v = stato.vincolo
            esiti.append(
                EsitoControllo(
                    f"vincolo:{v.fonte.codice}:{v.area.codice}:{stato.anno}",
                    f"{v.fonte.codice} {stato.anno}: all'area «{v.area.nome}» vanno "
                    f"{format_euro(stato.nell_area)}, il {format_percentuale(stato.percentuale)} del budget del fondo "
                    f"({format_euro(stato.budget)}); il vincolo chiede almeno il "
                    f"{format_percentuale(v.percentuale_minima)}, cioè {format_euro(stato.richiesto)}: mancano "
                    f"{format_euro(stato.mancano)}.",
                    bloccante=True,
                    url=url,
                    sezione=SEZIONE_SCHEDE,
                )
            )
    return esiti


def esiti_schede(piano: Piano, schede) -> list[EsitoControllo]:
    """Sheets in the wrong place: a municipal one without municipality, an entry not allowed."""
    esiti = []

    def url(scheda) -> str:  # reversed only for the sheets that fail
        return reverse("programmazione:scheda_modifica", args=[piano.pk, scheda.pk])

    for scheda in schede:
        if scheda.sezione == Sezione.COMUNALE and scheda.comune_id is None:
            esiti.append(
                EsitoControllo(
                    f"scheda_senza_comune:{scheda.codice}",
                    f"{scheda.codice} «{scheda.titolo}»: un servizio a valenza comunale deve indicare il comune.",
                    bloccante=True,
                    url=url(scheda),
                    sezione=SEZIONE_SCHEDE,
                )
            )
        if scheda.voce.ciclo_id != piano.ciclo_id or not scheda.voce.ammessa_in(scheda.sezione):
            esiti.append(
                EsitoControllo(
                    f"scheda_voce_non_ammessa:{scheda.codice}",
                    f"{scheda.codice} «{scheda.titolo}»: la voce {scheda.voce.codice} del catalogo non "
                    f"è ammessa tra i «{Sezione(scheda.sezione).label.lower()}».",
                    bloccante=True,
                    url=url(scheda),
                    sezione=SEZIONE_SCHEDE,
                )
            )
    return esiti


def esiti_narrativa(piano: Piano) -> list[EsitoControllo]:
    """Every chapter of the narrative must be written before submission."""
    vuoti = [c for c in selectors.capitoli_del_piano(piano) if not c.testo.strip()]
    if not vuoti:
        return []
    url = reverse(SEZIONE_NARRATIVA, args=[piano.pk])
    return [
        EsitoControllo(
            f"narrativa_vuota:{c.codice}",
            f"Parte narrativa: il capitolo «{c.titolo}» non è ancora scritto.",
            bloccante=True,
            url=url,
            sezione=SEZIONE_NARRATIVA,
        )
        for c in vuoti
    ]


def _quota(parte: Decimal, totale: Decimal) -> str:
    quota = (parte * 100 / totale).quantize(CENT)
    # a few cents of a large budget must not read «0,00%», as if nothing were left
    return format_percentuale(quota) if quota else f"meno dello {format_percentuale(CENT)}"


def esiti_da_programmare(quadro: selectors.Quadro) -> list[EsitoControllo]:
    """Budget left unprogrammed, per fund and year: a warning, since a plan may keep a reserve."""
    return [
        EsitoControllo(
            f"da_programmare:{riga.fonte.codice}:{riga.anno}",
            f"{riga.fonte.codice} {riga.anno}: restano da programmare "
            f"{format_euro(riga.da_programmare)} su un budget di {format_euro(riga.budget)} "
            f"({_quota(riga.da_programmare, riga.budget)}).",
            bloccante=False,
            sezione=SEZIONE_SCHEDE,
        )
        for riga in quadro.righe
        if riga.da_programmare > 0
    ]


def controlli_programmazione(piano: Piano) -> list[EsitoControllo]:
    quadro = selectors.quadro_allocazioni(piano)
    esiti = esiti_quadro(quadro, selectors.stato_vincoli(piano, quadro), url=None)
    esiti += esiti_da_programmare(quadro)
    if esiti:
        url = reverse(SEZIONE_SCHEDE, args=[piano.pk])
        esiti = [replace(e, url=url) for e in esiti]
    # the sheet checks read entry and municipality, never the amounts
    schede = selectors.schede_del_piano(piano, con_allocazioni=False)
    return esiti + esiti_schede(piano, schede) + esiti_narrativa(piano)
