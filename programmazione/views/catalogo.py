"""The Region's catalogue of interventions, per cycle: list, entry, deletion, spreadsheets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from pianizona.dominio import ErroreDominio
from pianizona.lavori.download import allegato_xlsx
from pianizona.models import AreaInterventoFnps, AreaUtenzaIstat, Ciclo

# The Region's cycle pages share one access rule and one import flow, kept by risorse.
from risorse.views.regione._comune import _ciclo_per, _contesto, _importazione

from .. import services_catalogo
from ..forms.catalogo import FiltroCatalogoForm, VoceForm
from ..models import SchedaIntervento, Sezione, VoceCatalogo
from ..resources import VoceCatalogoResource


def _voci_con_uso(ciclo: Ciclo) -> list[VoceCatalogo]:
    """The cycle's entries, each with ``numero_schede`` (sheets using it), in one query."""
    return list(
        VoceCatalogo.objects.filter(ciclo=ciclo)
        .select_related(
            "obiettivo_servizio__macro_livello",
            "area_intervento",
            "area_utenza",
            "prestazione_siuss",
        )
        .annotate(numero_schede=Count("schede"))
        .order_by("codice")
    )


def _schede_fuori_sezione(voce: VoceCatalogo) -> int:
    """Sheets left in a section the entry no longer allows (the checks will flag them)."""
    ammesse = [s for s in Sezione.values if voce.ammessa_in(s)]
    return SchedaIntervento.objects.filter(voce=voce).exclude(sezione__in=ammesse).count()


@login_required
@require_GET
def catalogo(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    filtro = FiltroCatalogoForm(
        request.GET or None,
        aree=list(AreaInterventoFnps.objects.order_by("codice")),
        utenze=list(AreaUtenzaIstat.objects.order_by("codice")),
    )
    tutte = _voci_con_uso(ciclo)
    voci = filtro.filtra(tutte) if filtro.is_bound else tutte
    return render(
        request,
        "programmazione/catalogo/elenco.html",
        _contesto(request, ciclo, voci=voci, totale=len(tutte), filtro=filtro),
    )


def _pagina_voce(
    request: HttpRequest, ciclo: Ciclo, voce: VoceCatalogo | None, form: VoceForm
) -> HttpResponse:
    contesto = _contesto(request, ciclo, voce=voce, form=form)
    if not contesto["puo_configurare"]:  # the administrator reads the entry, cannot change it
        for campo in form.fields.values():
            campo.disabled = True
    return render(request, "programmazione/catalogo/voce.html", contesto)


def _salva(request: HttpRequest, ciclo: Ciclo, form: VoceForm, nuova: bool) -> HttpResponse | None:
    """Save through the service; a refused rule lands on its field and the page is shown again."""
    if not form.is_valid():
        return None
    try:
        voce = services_catalogo.voce_salva(ciclo=ciclo, voce=form.save(commit=False))
    except services_catalogo.VoceNonValida as err:
        form.add_error(err.campo, str(err))
        return None
    except ErroreDominio as err:
        form.add_error(None, str(err))
        return None
    azione = "aggiunta al catalogo" if nuova else "salvata"
    messages.success(request, f"Voce {voce.codice} «{voce.nome}» {azione}.")
    if not nuova and (fuori := _schede_fuori_sezione(voce)):
        messages.warning(
            request,
            f"{fuori} sched{'a usa' if fuori == 1 else 'e usano'} la voce in una sezione ora non "
            "ammessa: i controlli del piano lo segnaleranno agli ambiti.",
        )
    return redirect("programmazione:catalogo", ciclo_pk=ciclo.pk)


@login_required
@require_http_methods(["GET", "POST"])
def voce_crea(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    form = VoceForm(
        request.POST if request.method == "POST" else None, instance=VoceCatalogo(ciclo=ciclo)
    )
    if request.method == "POST" and (risposta := _salva(request, ciclo, form, nuova=True)):
        return risposta
    return _pagina_voce(request, ciclo, None, form)


@login_required
@require_http_methods(["GET", "POST"])
def voce_modifica(request: HttpRequest, ciclo_pk: int, pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    voce = get_object_or_404(
        VoceCatalogo.objects.annotate(numero_schede=Count("schede")), pk=pk, ciclo=ciclo
    )
    form = VoceForm(request.POST if request.method == "POST" else None, instance=voce)
    if request.method == "POST" and (risposta := _salva(request, ciclo, form, nuova=False)):
        return risposta
    return _pagina_voce(request, ciclo, voce, form)


@login_required
@require_http_methods(["GET", "POST"])
def voce_elimina(request: HttpRequest, ciclo_pk: int, pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    voce = get_object_or_404(
        VoceCatalogo.objects.annotate(
            numero_schede=Count("schede"),
            numero_piani=Count("schede__piano", distinct=True),
        ),
        pk=pk,
        ciclo=ciclo,
    )
    errore = None
    if request.method == "POST":
        try:
            services_catalogo.voce_elimina(voce=voce)
        except ErroreDominio as err:
            errore = str(err)
        else:
            messages.success(request, f"Voce {voce.codice} «{voce.nome}» eliminata dal catalogo.")
            return redirect("programmazione:catalogo", ciclo_pk=ciclo.pk)
    return render(
        request,
        "programmazione/catalogo/elimina.html",
        _contesto(request, ciclo, voce=voce, errore=errore),
    )


@login_required
@require_GET
def catalogo_esporta(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    dataset = VoceCatalogoResource(ciclo).export()
    return allegato_xlsx(dataset, f"catalogo-{ciclo.anno_inizio}-{ciclo.anno_fine}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def catalogo_importa(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    ciclo = _ciclo_per(request, ciclo_pk)
    return _importazione(
        request,
        chiave=f"catalogo:{ciclo.pk}",
        resource=lambda: VoceCatalogoResource(ciclo),
        template="programmazione/catalogo/importa.html",
        contesto=_contesto(
            request,
            ciclo,
            aree=AreaInterventoFnps.objects.order_by("codice"),
            utenze=AreaUtenzaIstat.objects.order_by("codice"),
        ),
        dopo_conferma=reverse("programmazione:catalogo", args=[ciclo.pk]),
    )
