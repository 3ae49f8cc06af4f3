"""The Region configures a cycle: active funds, co-financing rule, earmarks, criteria."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from pianizona.dominio import ErroreDominio
from pianizona.models import Ambito, AreaInterventoFnps, Ciclo, FonteFinanziamento, UsoFonte
from pianizona.territorio.services import regione_imposta_denominazioni

from ... import selectors, services
from ...forms.regione import (
    ConfigurazioneForm,
    CriterioForm,
    DenominazioniForm,
    FonteRegionaleForm,
    VincoloForm,
)
from ...models import (
    CriterioRiparto,
    RegolaCiclo,
    ValoreCriterio,
    Vincolo,
)
from ...resources import ValoreCriterioResource
from ._comune import _ciclo_per, _contesto, _importazione

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
            fonti=list(
                FonteFinanziamento.objects.della_regione(ciclo.regione_id)
                .per_uso(UsoFonte.ALLOCAZIONE)  # RES has no budget: nothing to activate
                .order_by("ordine", "codice")
            ),
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
    form_fonte: FonteRegionaleForm | None = None,
    form_denominazioni: DenominazioniForm | None = None,
) -> HttpResponse:
    form = form or dati.form()
    regione = ciclo.regione
    form_denominazioni = form_denominazioni or DenominazioniForm(
        initial={
            "denominazione_ambiti": regione.denominazione_ambiti,
            "organo_approvazione": regione.organo_approvazione,
        }
    )
    contesto = _contesto(
        request,
        ciclo,
        form=form,
        form_vincolo=form_vincolo or dati.form_vincolo(),
        form_fonte=form_fonte or FonteRegionaleForm(),
        form_denominazioni=form_denominazioni,
        vincoli=dati.vincoli,
        attive=dati.attive,
    )
    if not contesto["puo_configurare"]:  # the administrator sees the choices, cannot change them
        for campo in [*form.fields.values(), *form_denominazioni.fields.values()]:
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


@login_required
@require_POST
def fonte_regionale_crea(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    form_fonte = FonteRegionaleForm(request.POST)
    if form_fonte.is_valid():
        try:
            fonte = services.fonte_regionale_crea(regione=ciclo.regione, **form_fonte.cleaned_data)
        except ErroreDominio as err:
            form_fonte.add_error("codice", str(err))
        else:
            messages.success(
                request,
                f"Fonte regionale «{fonte.nome}» ({fonte.codice}) aggiunta: "
                "attivarla nel ciclo per offrirla ai piani.",
            )
            return redirect("risorse:configurazione", ciclo_pk=ciclo.pk)
    dati = _Configurazione.carica(ciclo)
    return _pagina_configurazione(request, ciclo, dati, form_fonte=form_fonte)


@login_required
@require_POST
def denominazioni(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    form = DenominazioniForm(request.POST)
    if form.is_valid():
        try:
            regione = regione_imposta_denominazioni(regione=ciclo.regione, **form.cleaned_data)
        except ErroreDominio as err:
            form.add_error(None, str(err))
        else:
            messages.success(
                request,
                f"Denominazioni salvate: {regione.get_denominazione_ambiti_display()} e "
                f"{regione.get_organo_approvazione_display()}.",
            )
            return redirect("risorse:configurazione", ciclo_pk=ciclo.pk)
    dati = _Configurazione.carica(ciclo)
    return _pagina_configurazione(request, ciclo, dati, form_denominazioni=form)


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
        _contesto(
            request,
            ciclo,
            form=form,
            criteri=elenco,
            criteri_istat=selectors.criteri_popolazione(ciclo),
            comuni_senza_fasce=selectors.comuni_senza_fasce(ciclo),
            numero_ambiti=numero_ambiti,
        ),
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
