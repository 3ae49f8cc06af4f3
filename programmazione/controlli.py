"""The allocation phase's checks: shown live while editing, and blocking the submission ([4/9])."""

from dataclasses import replace

from django.urls import reverse

from pianizona.models import Piano
from pianizona.money import format_euro, format_percentuale
from pianizona.registry import EsitoControllo

from . import selectors
from .models import Sezione


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
                )
            )
    return esiti


def esiti_narrativa(piano: Piano) -> list[EsitoControllo]:
    """Every chapter of the narrative must be written before submission."""
    vuoti = [c for c in selectors.capitoli_del_piano(piano) if not c.testo.strip()]
    if not vuoti:
        return []
    url = reverse("programmazione:narrativa", args=[piano.pk])
    return [
        EsitoControllo(
            f"narrativa_vuota:{c.codice}",
            f"Parte narrativa: il capitolo «{c.titolo}» non è ancora scritto.",
            bloccante=True,
            url=url,
        )
        for c in vuoti
    ]


def controlli_programmazione(piano: Piano) -> list[EsitoControllo]:
    quadro = selectors.quadro_allocazioni(piano)
    esiti = esiti_quadro(quadro, selectors.stato_vincoli(piano, quadro), url=None)
    if esiti:
        url = reverse("programmazione:schede", args=[piano.pk])
        esiti = [replace(e, url=url) for e in esiti]
    return esiti + esiti_schede(piano, selectors.schede_del_piano(piano)) + esiti_narrativa(piano)
