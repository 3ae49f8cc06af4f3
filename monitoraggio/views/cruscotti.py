"""Dashboards: the Region's (every ambito of a cycle) and a district's (its years against the region).

Each chart is drawn by static/monitoraggio/cruscotti.js from a json_script block, next to a table
with the same data, and can be downloaded as CSV (``?grafico=<nome>`` with the page's filters).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from pianizona.accessi.tenancy import (
    Azione,
    get_ambito_for_user,
    get_ciclo_for_user,
    get_regione_for_user,
)
from pianizona.iter.panoramica import province
from pianizona.lavori.download import allegato
from pianizona.models import Ambito, Regione
from pianizona.territorio.selectors import cicli_della_regione

from ..cruscotti.ambito import GRAFICI_AMBITO, ContestoAmbito, cruscotto_ambito
from ..cruscotti.forms import FiltroCicloForm, FiltroCruscottoForm
from ..cruscotti.grafici import Grafico
from ..cruscotti.regione import (
    GRAFICI_REGIONE,
    Contesto,
    ambiti_con_popolazione,
)
from ..cruscotti.regione import (
    cruscotto_regione as grafici_regione,
)

CSV = "text/csv; charset=utf-8"


def _contesto_regione(request: HttpRequest, regione: Regione):
    ambiti = ambiti_con_popolazione(regione)
    filtro = FiltroCruscottoForm(
        request.GET.dict() or None, cicli=cicli_della_regione(regione), province=province(ambiti)
    )
    ciclo, filtri = filtro.scelte()
    return filtro, (Contesto(regione, ciclo, ambiti, filtri) if ciclo else None)


def _csv(grafici: dict, request: HttpRequest, ctx, nome_file: str) -> HttpResponse:
    """One chart's CSV; an unknown ``grafico`` is a 400 naming the ones that exist."""
    nome = request.GET.get("grafico", "")
    if nome not in grafici:
        return HttpResponseBadRequest(
            f"Grafico sconosciuto: «{nome}». I grafici disponibili sono: {', '.join(grafici)}.",
            content_type="text/plain; charset=utf-8",
        )
    grafico: Grafico = grafici[nome](ctx)
    return allegato(grafico.csv(), f"{nome_file.format(grafico=grafico.nome)}.csv", CSV)


def _parametri(request: HttpRequest) -> str:
    parametri = request.GET.copy()
    parametri.pop("grafico", None)
    return parametri.urlencode()


@require_GET
@login_required
def cruscotto_regione(request: HttpRequest, pk: int) -> HttpResponse:
    regione = get_regione_for_user(request.user, pk, Azione.PANORAMICA_REGIONALE)
    filtro, ctx = _contesto_regione(request, regione)
    return render(
        request,
        "monitoraggio/cruscotti/regione.html",
        {
            "regione": regione,
            "filtro": filtro,
            "ctx": ctx,
            "grafici": grafici_regione(ctx) if ctx else [],
            "url_csv": reverse("monitoraggio:cruscotto_regione_csv", args=[regione.pk]),
            "parametri": _parametri(request),
        },
    )


@require_GET
@login_required
def cruscotto_regione_csv(request: HttpRequest, pk: int) -> HttpResponse:
    regione = get_regione_for_user(request.user, pk, Azione.PANORAMICA_REGIONALE)
    _, ctx = _contesto_regione(request, regione)
    if ctx is None:
        raise Http404("La regione non ha ancora cicli di programmazione.")
    nome = f"cruscotto-{{grafico}}-{ctx.ciclo.anno_inizio}-{ctx.ciclo.anno_fine}"
    if ctx.filtri.anno:
        nome += f"-anno-{ctx.filtri.anno}"
    return _csv(GRAFICI_REGIONE, request, ctx, nome)


@require_GET
@login_required
def cruscotto_ciclo(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    """The link on the Region's page for a cycle: the regional dashboard filtered on it."""
    ciclo = get_ciclo_for_user(request.user, ciclo_pk, Azione.PANORAMICA_REGIONALE)
    url = reverse("monitoraggio:cruscotto_regione", args=[ciclo.regione_id])
    return redirect(f"{url}?ciclo={ciclo.pk}")


def _contesto_ambito(request: HttpRequest, ambito: Ambito):
    filtro = FiltroCicloForm(request.GET.dict() or None, cicli=cicli_della_regione(ambito.regione))
    ciclo = filtro.ciclo_scelto()
    return filtro, (ContestoAmbito(ambito, ciclo) if ciclo else None)


@require_GET
@login_required
def cruscotto_ambito_view(request: HttpRequest, pk: int) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, pk, Azione.VEDERE)
    filtro, ctx = _contesto_ambito(request, ambito)
    return render(
        request,
        "monitoraggio/cruscotti/ambito.html",
        {
            "ambito": ambito,
            "filtro": filtro,
            "ctx": ctx,
            "grafici": cruscotto_ambito(ctx) if ctx else [],
            "url_csv": reverse("monitoraggio:cruscotto_ambito_csv", args=[ambito.pk]),
            "parametri": _parametri(request),
        },
    )


@require_GET
@login_required
def cruscotto_ambito_csv(request: HttpRequest, pk: int) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, pk, Azione.VEDERE)
    _, ctx = _contesto_ambito(request, ambito)
    if ctx is None:
        raise Http404("La regione non ha ancora cicli di programmazione.")
    nome = f"cruscotto-{ambito.codice}-{{grafico}}-{ctx.ciclo.anno_inizio}-{ctx.ciclo.anno_fine}"
    return _csv(GRAFICI_AMBITO, request, ctx, nome)
