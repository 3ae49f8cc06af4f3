"""SIOSS-style export of an ambito's year: the page listing the years, the CSV and the XLSX."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pianizona.accessi.tenancy import Azione, get_ambito_for_user
from pianizona.lavori.download import XLSX, allegato
from pianizona.models import Ambito

from .. import sioss


@require_GET
@login_required
def sioss_pagina(request: HttpRequest, pk: int) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, pk, Azione.VEDERE)
    return render(
        request,
        "monitoraggio/sioss/pagina.html",
        {"ambito": ambito, "anni": sioss.anni_disponibili(ambito), "colonne": sioss.COLONNE},
    )


def _ambito_e_anno(request: HttpRequest, pk: int, anno: int) -> Ambito:
    ambito = get_ambito_for_user(request.user, pk, Azione.VEDERE)
    if not sioss.anno_nei_cicli(ambito, anno):
        raise Http404("L'anno non cade in nessun ciclo di programmazione della regione.")
    return ambito


def _nome(ambito: Ambito, anno: int, estensione: str) -> str:
    return f"sioss-{ambito.codice}-{anno}.{estensione}"


@require_GET
@login_required
def sioss_csv(request: HttpRequest, pk: int, anno: int) -> HttpResponse:
    ambito = _ambito_e_anno(request, pk, anno)
    contenuto = sioss.sioss_csv(sioss.righe_sioss(ambito, anno))
    return allegato(contenuto, _nome(ambito, anno, "csv"), "text/csv; charset=utf-8")


@require_GET
@login_required
def sioss_xlsx(request: HttpRequest, pk: int, anno: int) -> HttpResponse:
    ambito = _ambito_e_anno(request, pk, anno)
    dichiarazioni = sioss.dichiarazioni_dell_anno(ambito, anno)
    righe = sioss.righe_sioss(ambito, anno, dichiarazioni)
    return allegato(sioss.sioss_xlsx(righe, dichiarazioni), _nome(ambito, anno, "xlsx"), XLSX)
