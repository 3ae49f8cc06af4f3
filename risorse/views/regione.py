"""The Region's pages of the preliminary phase, per cycle.

Configuration (active funds, co-financing rule, earmarks), transfers to the ambiti (by hand, by
spreadsheet, by the riparto calculator), allocation criteria and the districts' flags. GET needs
the regional overview; every write needs the right to configure the region.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple
from urllib.parse import urlencode

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from import_export.resources import Resource

from pianizona.dominio import ErroreDominio
from pianizona.importazione import (
    Anteprima,
    importa,
    in_sospeso_elimina,
    in_sospeso_leggi,
    in_sospeso_salva,
    leggi_foglio,
)
from pianizona.models import Ambito, AreaInterventoFnps, Ciclo, FonteFinanziamento
from pianizona.revisioni import ConflittoModifica, revisione_corrente
from pianizona.tenancy import Azione, can, get_ciclo_for_user

from .. import selectors, services
from ..forms.regione import (
    AssegnazioniForm,
    ConfigurazioneForm,
    CriterioForm,
    FonteAnnoForm,
    ImportaForm,
    RipartoForm,
    RispostaForm,
    VincoloForm,
)
from ..models import (
    Assegnazione,
    CriterioRiparto,
    RegolaCiclo,
    Riparto,
    Segnalazione,
    ValoreCriterio,
    Vincolo,
)
from ..resources import AssegnazioneResource, ValoreCriterioResource
from ..riparto import QuotaAmbito

ZERO = Decimal("0.00")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLONNE_ASSEGNAZIONI = ["ambito", "fonte", "anno", "importo"]
CHIUSE_MOSTRATE = 50


def _ciclo_per(request: HttpRequest, ciclo_pk: int) -> Ciclo:
    """The cycle, checked for reading on GET and for configuring on any write."""
    lettura = request.method in ("GET", "HEAD")
    azione = Azione.PANORAMICA_REGIONALE if lettura else Azione.CONFIGURARE
    return get_ciclo_for_user(request.user, ciclo_pk, azione)


def _contesto(request: HttpRequest, ciclo: Ciclo, **extra) -> dict:
    return {
        "ciclo": ciclo,
        "puo_configurare": can(request.user, Azione.CONFIGURARE, ciclo),
        **extra,
    }


def _fonti_attive(ciclo: Ciclo) -> list[FonteFinanziamento]:
    return [fc.fonte for fc in selectors.fonti_del_ciclo(ciclo)]


def _ambiti_con_popolazione(ciclo: Ciclo) -> list[Ambito]:
    return list(
        Ambito.objects.filter(regione_id=ciclo.regione_id)
        .annotate(popolazione=Sum("comuni__popolazione"))
        .order_by("codice")
    )


def _url_assegnazioni(ciclo: Ciclo, fonte: FonteFinanziamento, anno: int) -> str:
    url = reverse("risorse:assegnazioni", args=[ciclo.pk])
    return f"{url}?{urlencode({'fonte': fonte.codice, 'anno': anno})}"


def _allegato_xlsx(dataset: tablib.Dataset, nome: str) -> HttpResponse:
    response = HttpResponse(dataset.export("xlsx"), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{nome}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Configuration -----------------------------------------------------------------------------


@dataclass
class _Configurazione:
    """What the configuration page reads, once, for its forms and lists."""

    fonti: list[FonteFinanziamento]
    attive: dict[int, str]  # fonte id → section
    vincoli: list[Vincolo]
    aree: list[AreaInterventoFnps]
    regola: RegolaCiclo

    @classmethod
    def carica(cls, ciclo: Ciclo) -> "_Configurazione":
        return cls(
            fonti=list(FonteFinanziamento.objects.order_by("ordine", "codice")),
            attive={fc.fonte_id: fc.sezione for fc in selectors.fonti_del_ciclo(ciclo)},
            vincoli=list(Vincolo.objects.filter(ciclo=ciclo).select_related("fonte", "area")),
            aree=list(AreaInterventoFnps.objects.order_by("codice")),
            regola=selectors.regola_del_ciclo(ciclo),
        )

    def form(self, data=None) -> ConfigurazioneForm:
        return ConfigurazioneForm(data, fonti=self.fonti, attive=self.attive, regola=self.regola)

    def form_vincolo(self, data=None) -> VincoloForm:
        attive = [f for f in self.fonti if f.pk in self.attive]
        return VincoloForm(data, fonti=attive, aree=self.aree)


def _pagina_configurazione(
    request: HttpRequest,
    ciclo: Ciclo,
    dati: _Configurazione,
    form: ConfigurazioneForm | None = None,
    form_vincolo: VincoloForm | None = None,
) -> HttpResponse:
    form = form or dati.form()
    contesto = _contesto(
        request,
        ciclo,
        form=form,
        form_vincolo=form_vincolo or dati.form_vincolo(),
        vincoli=dati.vincoli,
        attive=dati.attive,
    )
    if not contesto["puo_configurare"]:  # the administrator sees the choices, cannot change them
        for campo in form.fields.values():
            campo.disabled = True
    return render(request, "risorse/regione/configurazione.html", contesto)


@login_required
@require_http_methods(["GET", "POST"])
def configurazione(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    dati = _Configurazione.carica(ciclo)
    form = dati.form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ciclo_configura(
                ciclo=ciclo,
                sezioni=form.sezioni(),
                cofinanziamento_minimo=form.cleaned_data["cofinanziamento_minimo"],
            )
        except ErroreDominio as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Configurazione del ciclo salvata.")
            return redirect("risorse:configurazione", ciclo_pk=ciclo.pk)
    return _pagina_configurazione(request, ciclo, dati, form=form)


@login_required
@require_POST
def vincolo_crea(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    dati = _Configurazione.carica(ciclo)
    form_vincolo = dati.form_vincolo(request.POST)
    if form_vincolo.is_valid():
        try:
            vincolo = services.vincolo_crea(
                ciclo=ciclo,
                fonte=form_vincolo.cleaned_data["fonte"],
                area=form_vincolo.cleaned_data["area"],
                percentuale=form_vincolo.cleaned_data["percentuale"],
                descrizione=form_vincolo.cleaned_data["descrizione"],
            )
        except ErroreDominio as err:
            form_vincolo.add_error(None, str(err))
        else:
            messages.success(request, f"Vincolo aggiunto: {vincolo}.")
            return redirect("risorse:configurazione", ciclo_pk=ciclo.pk)
    return _pagina_configurazione(request, ciclo, dati, form_vincolo=form_vincolo)


@login_required
@require_POST
def vincolo_elimina(request: HttpRequest, ciclo_pk: int, pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    vincolo = get_object_or_404(Vincolo.objects.select_related("fonte", "area"), pk=pk, ciclo=ciclo)
    descrizione = str(vincolo)
    services.vincolo_elimina(vincolo=vincolo)
    messages.success(request, f"Vincolo eliminato: {descrizione}.")
    return redirect("risorse:configurazione", ciclo_pk=ciclo.pk)


# --- Transfers ---------------------------------------------------------------------------------


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
            messages.error(request, "Scegliere una fonte attiva nel ciclo e uno dei suoi anni.")
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
                + (
                    "1 ambito modificato."
                    if modificate == 1
                    else f"{modificate} ambiti modificati."
                ),
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
    return _allegato_xlsx(dataset, f"assegnazioni-{ciclo.anno_inizio}-{ciclo.anno_fine}.xlsx")


@login_required
@require_GET
def assegnazioni_modello(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    _ciclo_per(request, ciclo_pk)
    return _allegato_xlsx(tablib.Dataset(headers=COLONNE_ASSEGNAZIONI), "modello-assegnazioni.xlsx")


# --- Imports (one flow for transfers and criterion values) -------------------------------------


def _importazione(
    request: HttpRequest,
    *,
    chiave: str,
    resource: Callable[[], Resource],
    template: str,
    contesto: dict,
    dopo_conferma: str,
) -> HttpResponse:
    """Upload → preview (nothing saved) → ``azione=conferma`` imports, ``azione=annulla`` forgets.

    The preview runs on the data as kept in the session, so what is confirmed is what was seen.
    """
    azione = request.POST.get("azione", "anteprima") if request.method == "POST" else None
    if azione == "annulla":
        in_sospeso_elimina(request, chiave)
        messages.info(request, "Importazione annullata: nessun dato è stato modificato.")
        return redirect(request.path)
    if azione == "conferma":
        sospeso = in_sospeso_leggi(request, chiave)
        if sospeso is None:
            messages.error(
                request, "Nessuna importazione da confermare: caricare di nuovo il file."
            )
            return redirect(request.path)
        try:
            esito = importa(resource(), sospeso[0], conferma=True)
        except ErroreDominio as err:  # the data changed since the preview: show it again
            messages.error(request, str(err))
            return redirect(request.path)
        in_sospeso_elimina(request, chiave)
        messages.success(
            request,
            f"Importazione completata. Righe nuove: {esito.nuove}, modificate: {esito.modificate}, "
            f"invariate: {esito.invariate}.",
        )
        return redirect(dopo_conferma)

    form = ImportaForm(request.POST, request.FILES) if azione else ImportaForm()
    anteprima: Anteprima | None = None
    nome = ""
    if azione == "anteprima" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            in_sospeso_salva(request, chiave, leggi_foglio(file), file.name)
            dataset, nome = in_sospeso_leggi(request, chiave)
            anteprima = importa(resource(), dataset, conferma=False)
        except ErroreDominio as err:
            in_sospeso_elimina(request, chiave)
            form.add_error("file", str(err))
        else:
            if not anteprima.valida:
                in_sospeso_elimina(request, chiave)
    elif azione is None and (sospeso := in_sospeso_leggi(request, chiave)) is not None:
        dataset, nome = sospeso
        try:
            anteprima = importa(resource(), dataset, conferma=False)
        except ErroreDominio as err:
            in_sospeso_elimina(request, chiave)
            messages.error(request, str(err))
    return render(
        request, template, {**contesto, "form": form, "anteprima": anteprima, "nome": nome}
    )


@login_required
@require_http_methods(["GET", "POST"])
def assegnazioni_importa(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    return _importazione(
        request,
        chiave=f"assegnazioni:{ciclo.pk}",
        resource=lambda: AssegnazioneResource(ciclo),
        template="risorse/regione/assegnazioni_importa.html",
        contesto=_contesto(request, ciclo, fonti=_fonti_attive(ciclo)),
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


# --- Criteria ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def criteri(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    form = CriterioForm(
        request.POST if request.method == "POST" else None,
        instance=CriterioRiparto(regione=ciclo.regione),
    )
    if request.method == "POST" and form.is_valid():
        try:
            criterio = services.criterio_crea(regione=ciclo.regione, **form.cleaned_data)
        except ErroreDominio as err:
            form.add_error("codice", str(err))
        else:
            messages.success(
                request, f"Criterio «{criterio.nome}» creato: ora se ne possono importare i valori."
            )
            return redirect("risorse:criterio_importa", ciclo_pk=ciclo.pk, pk=criterio.pk)
    elenco = list(
        CriterioRiparto.objects.filter(regione_id=ciclo.regione_id).annotate(
            ambiti_con_valore=Count("valori")
        )
    )
    numero_ambiti = Ambito.objects.filter(regione_id=ciclo.regione_id).count()
    return render(
        request,
        "risorse/regione/criteri.html",
        _contesto(request, ciclo, form=form, criteri=elenco, numero_ambiti=numero_ambiti),
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterio_importa(request: HttpRequest, ciclo_pk: int, pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    criterio = get_object_or_404(CriterioRiparto, pk=pk, regione_id=ciclo.regione_id)
    valori = dict(
        ValoreCriterio.objects.filter(criterio=criterio).values_list("ambito_id", "valore")
    )
    ambiti = list(Ambito.objects.filter(regione_id=ciclo.regione_id).order_by("codice"))
    url = reverse("risorse:criterio_importa", args=[ciclo.pk, criterio.pk])
    return _importazione(
        request,
        chiave=f"criterio:{criterio.pk}",
        resource=lambda: ValoreCriterioResource(criterio, ciclo),
        template="risorse/regione/criterio.html",
        contesto=_contesto(
            request,
            ciclo,
            criterio=criterio,
            valori=[(a, valori.get(a.pk)) for a in ambiti],
        ),
        dopo_conferma=url,
    )


# --- Flags from the districts ------------------------------------------------------------------


def _pagina_segnalazioni(
    request: HttpRequest, ciclo: Ciclo, errato: RispostaForm | None = None
) -> HttpResponse:
    aperte = [
        (s, errato if errato and errato.segnalazione.pk == s.pk else RispostaForm(segnalazione=s))
        for s in selectors.segnalazioni_aperte_del_ciclo(ciclo)
    ]
    chiuse = list(
        Segnalazione.objects.filter(piano__ciclo=ciclo, chiusa_il__isnull=False)
        .select_related("piano__ambito", "fonte", "creata_da", "chiusa_da")
        .order_by("-chiusa_il")[:CHIUSE_MOSTRATE]
    )
    return render(
        request,
        "risorse/regione/segnalazioni.html",
        _contesto(request, ciclo, aperte=aperte, chiuse=chiuse, chiuse_mostrate=CHIUSE_MOSTRATE),
    )


@login_required
@require_GET
def segnalazioni(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    return _pagina_segnalazioni(request, _ciclo_per(request, ciclo_pk))


@login_required
@require_POST
def segnalazione_chiudi(request: HttpRequest, ciclo_pk: int, pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    segnalazione = get_object_or_404(
        Segnalazione.objects.select_related("piano__ambito"), pk=pk, piano__ciclo=ciclo
    )
    if not segnalazione.aperta:
        messages.info(request, "La segnalazione era già stata chiusa.")
        return redirect("risorse:segnalazioni", ciclo_pk=ciclo.pk)
    form = RispostaForm(request.POST, segnalazione=segnalazione)
    if form.is_valid():
        try:
            services.segnalazione_chiudi(
                segnalazione=segnalazione, user=request.user, risposta=form.cleaned_data["risposta"]
            )
        except ErroreDominio as err:
            form.add_error("risposta", str(err))
        else:
            messages.success(
                request,
                f"Segnalazione di {segnalazione.piano.ambito.codice} chiusa: "
                "la risposta è visibile all'Ufficio di Piano.",
            )
            return redirect("risorse:segnalazioni", ciclo_pk=ciclo.pk)
    return _pagina_segnalazioni(request, ciclo, errato=form)
