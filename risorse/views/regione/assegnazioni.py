"""The Region's transfers to the ambiti: by hand, by spreadsheet, by the riparto calculator."""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from pianizona.dominio import ErroreDominio
from pianizona.lavori.download import allegato_xlsx
from pianizona.models import Ambito, Ciclo, FonteFinanziamento
from pianizona.revisioni import ConflittoModifica, revisione_corrente
from pianizona.territorio.selectors import codice_di_esempio
from pianizona.testo import plurale

from ... import selectors, services
from ...forms.regione import (
    AssegnazioniForm,
    FonteAnnoForm,
    RipartoForm,
)
from ...models import (
    Assegnazione,
    Riparto,
)
from ...resources import AssegnazioneResource
from ...riparto import QuotaAmbito
from ...selectors import ZERO
from ._comune import (
    _ambiti_con_popolazione,
    _ciclo_per,
    _contesto,
    _fonti_attive,
    _importazione,
    _url_assegnazioni,
)

# --- Transfers ---------------------------------------------------------------------------------

COLONNE_ASSEGNAZIONI = ["ambito", "fonte", "anno", "importo"]


class ColonnaFonte(NamedTuple):
    pk: int
    codice: str
    nome: str
    attiva: bool


@dataclass
class RiepilogoAssegnazioni:
    """Totals of the cycle's transfers by ambito (rows) and fund (columns)."""

    fonti: list[ColonnaFonte]
    righe: list[tuple[Ambito, list[Decimal], Decimal]] = field(default_factory=list)
    totali: list[Decimal] = field(default_factory=list)
    totale: Decimal = ZERO


def _riepilogo(
    ambiti: list[Ambito], attive: list[FonteFinanziamento], righe: list[tuple]
) -> RiepilogoAssegnazioni:
    """``righe``: (ambito id, fonte id, codice, nome, ordine, anno, importo) of every transfer."""
    colonne = {f.pk: (f.ordine, ColonnaFonte(f.pk, f.codice, f.nome, True)) for f in attive}
    celle: dict[tuple[int, int], Decimal] = {}
    for ambito_id, fonte_id, codice, nome, ordine, _anno, importo in righe:
        # Transfers of a fund deactivated later still exist: show them rather than hide money.
        colonne.setdefault(fonte_id, (ordine, ColonnaFonte(fonte_id, codice, nome, False)))
        celle[(ambito_id, fonte_id)] = celle.get((ambito_id, fonte_id), ZERO) + importo
    fonti = [c for _, c in sorted(colonne.values(), key=lambda oc: (oc[0], oc[1].codice))]
    riepilogo = RiepilogoAssegnazioni(fonti)
    for ambito in ambiti:
        importi = [celle.get((ambito.pk, f.pk), ZERO) for f in fonti]
        riepilogo.righe.append((ambito, importi, sum(importi, ZERO)))
    riepilogo.totali = [sum((r[1][i] for r in riepilogo.righe), ZERO) for i in range(len(fonti))]
    riepilogo.totale = sum(riepilogo.totali, ZERO)
    return riepilogo


def _scelta_fonte_anno(
    dati, fonti: list[FonteFinanziamento], ciclo: Ciclo
) -> tuple[FonteFinanziamento, int] | None:
    form = FonteAnnoForm(dati, fonti=fonti, anni=ciclo.anni)
    if not form.is_valid():
        return None
    return form.cleaned_data["fonte"], form.cleaned_data["anno"]


@login_required
@require_http_methods(["GET", "POST"])
def assegnazioni(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    fonti = _fonti_attive(ciclo)
    if request.method == "POST":
        scelta = _scelta_fonte_anno(request.POST, fonti, ciclo)
        if scelta is None:
            messages.error(
                request,
                "Scegliere una fonte statale o regionale attiva nel ciclo e uno dei suoi anni.",
            )
            return redirect("risorse:assegnazioni", ciclo_pk=ciclo.pk)
    else:
        scelta = _scelta_fonte_anno(request.GET, fonti, ciclo)
        if scelta is None and fonti:
            scelta = (fonti[0], ciclo.anni[0])
    ambiti = _ambiti_con_popolazione(ciclo)
    righe = list(
        Assegnazione.objects.filter(ciclo=ciclo).values_list(
            "ambito_id",
            "fonte_id",
            "fonte__codice",
            "fonte__nome",
            "fonte__ordine",
            "anno",
            "importo",
        )
    )
    contesto = _contesto(
        request, ciclo, fonti=fonti, riepilogo=_riepilogo(ambiti, fonti, righe), ambiti=ambiti
    )
    if scelta is None:  # no active fund yet: nothing to edit
        return render(request, "risorse/regione/assegnazioni.html", contesto)

    fonte, anno = scelta
    attuali = {r[0]: r[6] for r in righe if r[1] == fonte.pk and r[5] == anno}
    dati = request.POST if request.method == "POST" else None
    revisione = revisione_corrente(ciclo, services.tabella_assegnazioni(fonte, anno))
    form = AssegnazioniForm(dati, ambiti=ambiti, importi=attuali, revisione=revisione)
    stato = 200
    if request.method == "POST" and form.is_valid():
        try:
            modificate = services.assegnazioni_salva(
                ciclo=ciclo,
                fonte=fonte,
                anno=anno,
                importi=form.importi(),
                revisione=form.cleaned_data["revisione"],
                user=request.user,
            )
        except ConflittoModifica as err:
            form.add_error(None, str(err))
            stato = 409  # the user's input stays in the form; nothing was overwritten
        except ErroreDominio as err:
            form.add_error(None, str(err))
        else:
            messages.success(
                request,
                f"Assegnazioni {fonte.codice} {anno} salvate: "
                f"{plurale(modificate, 'ambito modificato', 'ambiti modificati')}.",
            )
            return redirect(_url_assegnazioni(ciclo, fonte, anno))
    contesto.update(
        fonte=fonte,
        anno=anno,
        form=form,
        form_scelta=FonteAnnoForm(
            fonti=fonti, anni=ciclo.anni, initial={"fonte": fonte.codice, "anno": anno}
        ),
        totale_attuale=sum(attuali.values(), ZERO),
    )
    return render(request, "risorse/regione/assegnazioni.html", contesto, status=stato)


@login_required
@require_GET
def assegnazioni_esporta(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    dataset = AssegnazioneResource(ciclo).export()
    return allegato_xlsx(dataset, f"assegnazioni-{ciclo.anno_inizio}-{ciclo.anno_fine}.xlsx")


@login_required
@require_GET
def assegnazioni_modello(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    _ciclo_per(request, ciclo_pk)
    return allegato_xlsx(tablib.Dataset(headers=COLONNE_ASSEGNAZIONI), "modello-assegnazioni.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def assegnazioni_importa(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    return _importazione(
        request,
        chiave=f"assegnazioni:{ciclo.pk}",
        resource=lambda: AssegnazioneResource(ciclo),
        template="risorse/regione/assegnazioni_importa.html",
        contesto=_contesto(
            request,
            ciclo,
            fonti=_fonti_attive(ciclo),
            codice_esempio=codice_di_esempio(ciclo.regione_id),
        ),
        dopo_conferma=reverse("risorse:assegnazioni", args=[ciclo.pk]),
    )


# --- Riparto -----------------------------------------------------------------------------------


@dataclass
class RigaAnteprima:
    ambito: Ambito
    valori: list[Decimal]
    percentuale: Decimal
    importo: Decimal
    attuale: Decimal | None


def _percentuale(quota: Fraction) -> Decimal:
    return (Decimal(quota.numerator * 100) / Decimal(quota.denominator)).quantize(Decimal("0.0001"))


@login_required
@require_http_methods(["GET", "POST"])
def riparto(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    fonti = _fonti_attive(ciclo)
    criteri = selectors.criteri_di_riparto(ciclo)
    form = RipartoForm(
        request.POST if request.method == "POST" else None,
        fonti=fonti,
        anni=ciclo.anni,
        criteri=criteri,
        initial={"fonte": request.GET.get("fonte"), "anno": request.GET.get("anno")},
    )
    contesto = _contesto(request, ciclo, form=form, fonti=fonti)
    if request.method == "POST" and form.is_valid():
        fonte, anno = form.cleaned_data["fonte"], form.cleaned_data["anno"]
        totale, pesi = form.cleaned_data["totale"], form.pesi()
        try:
            if request.POST.get("azione") == "applica":
                services.riparto_applica(
                    ciclo=ciclo, fonte=fonte, anno=anno, totale=totale, pesi=pesi, user=request.user
                )
                messages.success(
                    request,
                    f"Riparto applicato: le assegnazioni {fonte.codice} {anno} sono state "
                    "aggiornate per tutti gli ambiti.",
                )
                return redirect(_url_assegnazioni(ciclo, fonte, anno))
            quote = services.riparto_anteprima(
                ciclo=ciclo, fonte=fonte, anno=anno, totale=totale, pesi=pesi
            )
        except ErroreDominio as err:
            form.add_error(None, str(err))
        else:
            usati = [c for c in criteri if pesi.get(c.codice, 0) > 0]
            contesto.update(
                criteri_usati=usati,
                anteprima=_anteprima_riparto(ciclo, quote, usati, fonte, anno),
                totale=totale,
                totale_anteprima=sum((q.importo for q in quote), ZERO),
                totali_criteri=[sum(c.valori.values(), Decimal(0)) for c in usati],
            )
    contesto["storico"] = list(
        Riparto.objects.filter(ciclo=ciclo).select_related("fonte", "creato_da")
    )
    return render(request, "risorse/regione/riparto.html", contesto)


def _anteprima_riparto(
    ciclo: Ciclo, quote: list[QuotaAmbito], usati: list, fonte: FonteFinanziamento, anno: int
) -> list[RigaAnteprima]:
    ambiti = {a.codice: a for a in Ambito.objects.filter(regione_id=ciclo.regione_id)}
    attuali = dict(
        Assegnazione.objects.filter(ciclo=ciclo, fonte=fonte, anno=anno).values_list(
            "ambito__codice", "importo"
        )
    )
    return [
        RigaAnteprima(
            ambito=ambiti[q.ambito],
            valori=[c.valori.get(q.ambito, Decimal(0)) for c in usati],
            percentuale=_percentuale(q.quota),
            importo=q.importo,
            attuale=attuali.get(q.ambito),
        )
        for q in quote
    ]
