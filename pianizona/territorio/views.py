"""The pages of a territory: an ambito with its municipalities and plans, a region with its ambiti."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from pianizona import registry
from pianizona.accessi.tenancy import Azione, can, get_ambito_for_user, get_regione_for_user

from . import selectors


@login_required
def ambito_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, pk)
    comuni = list(selectors.comuni_dell_ambito(ambito))
    return render(
        request,
        "pianizona/ambito_detail.html",
        {
            "ambito": ambito,
            "piani": selectors.piani_dell_ambito(ambito),
            "comuni": comuni,
            "popolazione": sum(c.popolazione for c in comuni),
            "anni_popolazione": selectors.anni_popolazione(comuni),
            "fasce": {
                campo: sum(getattr(c, campo) or 0 for c in comuni)
                for campo in ("eta_0_17", "eta_65_piu", "eta_75_piu")
            },
            "puo_vedere_regione": can(request.user, Azione.PANORAMICA_REGIONALE, ambito.regione),
            "pagine_ambito": [
                (p, reverse(p.url_name, args=[ambito.pk])) for p in registry.pagine_ambito()
            ],
        },
    )


@login_required
def regione_detail(request: HttpRequest, pk: int) -> HttpResponse:
    regione = get_regione_for_user(request.user, pk, Azione.PANORAMICA_REGIONALE)
    ciclo_id = request.GET.get("ciclo", "")
    panoramica = selectors.panoramica_regionale(
        regione, int(ciclo_id) if ciclo_id.isdigit() else None
    )
    pagine = []
    if panoramica.ciclo is not None:
        pagine = [
            (p, reverse(p.url_name, args=[panoramica.ciclo.pk])) for p in registry.pagine_ciclo()
        ]
    da_istruire = sorted(
        selectors.da_istruire_piani(regione) + registry.da_istruire(regione),
        key=lambda voce: voce.ordine,
    )
    return render(
        request,
        "pianizona/regione_detail.html",
        {
            "panoramica": panoramica,
            "da_istruire": da_istruire,
            "pagine_ciclo": pagine,
            "pagine_regione": [
                (p, reverse(p.url_name, args=[regione.pk])) for p in registry.pagine_regione()
            ],
        },
    )
