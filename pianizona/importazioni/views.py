"""The upload → preview → confirm steps a district's spreadsheet import page goes through.

Each page brings its own form, preview and confirmation; this is the dispatch they share, so a
cancelled, stale or locked import behaves the same on every page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from pianizona.dominio import ErroreDominio
from pianizona.importazioni.forms import FoglioForm
from pianizona.importazioni.services import in_sospeso_elimina, in_sospeso_salva, leggi_foglio


@dataclass(frozen=True)
class Importazione:
    chiave: str  # the pending file's key (pianizona.importazioni.services.in_sospeso_*)
    pagina: str  # the import page's URL: every step comes back to it
    form: Callable[..., FoglioForm]  # the upload form, unbound or bound to (POST, FILES)
    mostra: Callable[[FoglioForm], HttpResponse]  # the form, or the pending file's preview
    conferma: Callable[[], HttpResponse]  # imports the pending file
    modificabile: Callable[[], None]  # raises ErroreDominio when the data may not be written


def importazione(request: HttpRequest, passi: Importazione) -> HttpResponse:
    """GET shows the page. POST ``azione``: ``annulla`` forgets the pending file, ``conferma``
    imports it, anything else uploads a new one, kept for the preview with nothing saved.
    """
    if request.method != "POST":
        return passi.mostra(passi.form())
    azione = request.POST.get("azione", "carica")
    if azione == "annulla":
        in_sospeso_elimina(request, passi.chiave)
        messages.info(request, "Importazione annullata: nessun dato è stato modificato.")
        return redirect(passi.pagina)
    try:
        passi.modificabile()
        if azione == "conferma":
            return passi.conferma()
        form = passi.form(request.POST, request.FILES)
        if not form.is_valid():
            return passi.mostra(form)
        try:
            dataset = leggi_foglio(form.cleaned_data["file"])
            in_sospeso_salva(request, passi.chiave, dataset, form.cleaned_data["file"].name)
        except ErroreDominio as err:
            form.add_error("file", str(err))
            return passi.mostra(form)
    except ErroreDominio as err:
        messages.error(request, str(err))
        return redirect(passi.pagina)
    # The preview is made from what is kept for the confirmation, so both see the same data.
    return redirect(passi.pagina)
