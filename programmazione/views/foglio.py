"""The whole allocation as a spreadsheet: export it, fill it in offline, import it back.

The import follows the one import flow of the project: upload → preview of every row's fate
(kept in the cache, recomputed on each view) → confirm or cancel.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from pianizona.accessi.tenancy import Azione, get_piano_for_user
from pianizona.dominio import ErroreDominio, piano_deve_essere_modificabile
from pianizona.importazioni.forms import FoglioForm
from pianizona.importazioni.services import in_sospeso_elimina, in_sospeso_leggi
from pianizona.importazioni.views import Importazione, importazione
from pianizona.iter.pagine import contesto_piano
from pianizona.lavori.download import allegato_xlsx
from pianizona.models import Piano
from pianizona.revisioni import ConflittoModifica
from pianizona.testo import plurale

from .. import foglio

AIUTO_FILE = (
    "Un foglio Excel (.xlsx) o un file CSV con le colonne scheda, sezione, voce, titolo, comune, "
    "fonte, anno, importo: lo stesso formato del file esportato da questa pagina."
)


def _contesto(request: HttpRequest, piano: Piano, **altro) -> dict:
    return contesto_piano(request, piano, **altro)


def _form(*args) -> FoglioForm:
    return FoglioForm(*args, aiuto=AIUTO_FILE)


def _periodo(piano: Piano) -> str:
    return str(piano.anno) if piano.anno else f"{piano.ciclo.anno_inizio}-{piano.ciclo.anno_fine}"


@require_GET
@login_required
def allocazioni_esporta(request: HttpRequest, piano_pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, Azione.VEDERE)
    nome = f"allocazioni-{piano.ambito.codice}-{_periodo(piano)}.xlsx"
    return allegato_xlsx(foglio.allocazioni_foglio(piano), nome)


def _chiave(piano: Piano) -> str:
    return f"allocazioni-{piano.pk}"


def _importa_render(
    request: HttpRequest, piano: Piano, form: FoglioForm, status: int = 200
) -> HttpResponse:
    """The upload form, or the preview of the file waiting for confirmation."""
    anteprima, nome = None, ""
    if sospeso := in_sospeso_leggi(request, _chiave(piano)):
        dataset, nome = sospeso
        try:
            anteprima = foglio.allocazioni_anteprima(piano=piano, dataset=dataset)
        except ErroreDominio as err:  # e.g. missing columns: the file has to be fixed first
            in_sospeso_elimina(request, _chiave(piano))
            messages.error(request, f"«{nome}»: {err}")
            anteprima = None
    contesto = _contesto(request, piano, form=form, anteprima=anteprima, nome_file=nome)
    return render(request, "programmazione/foglio/importa.html", contesto, status=status)


def _importa_conferma(request: HttpRequest, piano: Piano) -> HttpResponse:
    sospeso = in_sospeso_leggi(request, _chiave(piano))
    if sospeso is None:
        messages.error(request, "Nessun file in attesa di conferma: caricarlo di nuovo.")
        return redirect("programmazione:allocazioni_importa", piano_pk=piano.pk)
    dataset, nome = sospeso
    try:
        anteprima = foglio.allocazioni_importa(piano=piano, dataset=dataset, user=request.user)
    except (ErroreDominio, ConflittoModifica) as err:
        # The file stays pending: the preview shows again why it cannot be imported.
        messages.error(request, str(err))
        return redirect("programmazione:allocazioni_importa", piano_pk=piano.pk)
    in_sospeso_elimina(request, _chiave(piano))
    tolti = f" (di cui {plurale(anteprima.tolte, 'tolto', 'tolti')})" if anteprima.tolte else ""
    messages.success(
        request,
        f"Importato «{nome}»: {plurale(anteprima.nuove, 'importo nuovo', 'importi nuovi')}, "
        f"{plurale(anteprima.modificate, 'modificato', 'modificati')}{tolti}, "
        f"{plurale(anteprima.invariate, 'invariato o vuoto', 'invariati o vuoti')}.",
    )
    return redirect("programmazione:allocazioni_importa", piano_pk=piano.pk)


@require_http_methods(["GET", "POST"])
@login_required
def allocazioni_importa(request: HttpRequest, piano_pk: int) -> HttpResponse:
    azione_richiesta = Azione.MODIFICARE if request.method == "POST" else Azione.VEDERE
    piano = get_piano_for_user(request.user, piano_pk, azione_richiesta)
    passi = Importazione(
        chiave=_chiave(piano),
        pagina=reverse("programmazione:allocazioni_importa", kwargs={"piano_pk": piano.pk}),
        form=_form,
        mostra=partial(_importa_render, request, piano),
        conferma=partial(_importa_conferma, request, piano),
        modificabile=partial(piano_deve_essere_modificabile, piano),
    )
    return importazione(request, passi)
