"""What every Region page of the preliminary phase shares: access, context, imports."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from import_export.resources import Resource

from pianizona.accessi.tenancy import Azione, can, get_ciclo_for_user
from pianizona.dominio import ErroreDominio
from pianizona.importazioni.forms import FoglioForm
from pianizona.importazioni.services import (
    Anteprima,
    importa,
    in_sospeso_elimina,
    in_sospeso_leggi,
    in_sospeso_salva,
    leggi_foglio,
)
from pianizona.models import Ambito, Ciclo, FonteFinanziamento

from ... import selectors


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
    return selectors.fonti_trasferibili(ciclo)


def _ambiti_con_popolazione(ciclo: Ciclo) -> list[Ambito]:
    return list(
        Ambito.objects.filter(regione_id=ciclo.regione_id)
        .annotate(popolazione=Sum("comuni__popolazione"))
        .order_by("codice")
    )


def _url_assegnazioni(ciclo: Ciclo, fonte: FonteFinanziamento, anno: int) -> str:
    url = reverse("risorse:assegnazioni", args=[ciclo.pk])
    return f"{url}?{urlencode({'fonte': fonte.codice, 'anno': anno})}"


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

    form = FoglioForm(request.POST, request.FILES) if azione else FoglioForm()
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
