"""The plan's narrative: seven chapters written in Markdown, shown as sanitised HTML.

The plan is reached through ``get_piano_for_user`` (VEDERE to read, MODIFICARE to write); each
chapter is saved under its own optimistic revision, so two people may write two chapters at once.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pianizona.accessi.tenancy import Azione, get_piano_for_user
from pianizona.dominio import ErroreDominio, PianoNonModificabile, piano_deve_essere_modificabile
from pianizona.iter.pagine import contesto_piano
from pianizona.models import Piano
from pianizona.revisioni import ConflittoModifica, revisione_corrente

from .. import selectors, services
from ..forms.narrativa import AnteprimaForm, NarrativaForm
from ..models import Narrativa


def _capitolo(piano: Piano, codice: str) -> selectors.Capitolo:
    if codice not in Narrativa.Capitolo.values:
        raise Http404("Capitolo non trovato.")
    scritto = (
        Narrativa.objects.filter(piano=piano, capitolo=codice)
        .select_related("aggiornato_da")
        .first()
    )
    return selectors.Capitolo(
        codice,
        Narrativa.Capitolo(codice).label,
        scritto.testo if scritto else "",
        scritto.aggiornato_da if scritto else None,
        scritto.aggiornato_il if scritto else None,
    )


def _tabella(codice: str) -> str:
    return f"{services.TABELLA_NARRATIVA}:{codice}"


def _contesto(request: HttpRequest, piano: Piano, **altro) -> dict:
    return contesto_piano(request, piano, **altro)


@require_GET
@login_required
def narrativa(request: HttpRequest, piano_pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, Azione.VEDERE)
    contesto = _contesto(request, piano, capitoli=selectors.capitoli_del_piano(piano))
    return render(request, "programmazione/narrativa/capitoli.html", contesto)


def _modifica_render(
    request: HttpRequest,
    piano: Piano,
    capitolo: selectors.Capitolo,
    form: NarrativaForm,
    *,
    conflitto: str = "",
    status: int = 200,
) -> HttpResponse:
    testo = form["testo"].value() or ""  # what the user typed, when the form comes back
    contesto = _contesto(
        request, piano, capitolo=capitolo, form=form, testo=testo, conflitto=conflitto
    )
    return render(request, "programmazione/narrativa/modifica.html", contesto, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def narrativa_modifica(request: HttpRequest, piano_pk: int, capitolo: str) -> HttpResponse:
    azione = Azione.MODIFICARE if request.method == "POST" else Azione.VEDERE
    piano = get_piano_for_user(request.user, piano_pk, azione)
    scritto = _capitolo(piano, capitolo)
    if request.method == "GET":
        revisione = revisione_corrente(piano, _tabella(capitolo))
        form = NarrativaForm(initial={"testo": scritto.testo, "revisione": revisione})
        return _modifica_render(request, piano, scritto, form)

    form = NarrativaForm(request.POST)
    try:
        piano_deve_essere_modificabile(piano)  # a read-only page has no form to show errors in
        if not form.is_valid():
            return _modifica_render(request, piano, scritto, form)
        services.narrativa_salva(
            piano=piano,
            capitolo=capitolo,
            testo=form.cleaned_data["testo"],
            revisione=form.cleaned_data["revisione"],
            user=request.user,
        )
    except ConflittoModifica as err:
        # The stale revision stays in the form: saving again must not overwrite the other text.
        return _modifica_render(request, piano, scritto, form, conflitto=str(err), status=409)
    except PianoNonModificabile as err:
        messages.error(request, str(err))
        return redirect("programmazione:narrativa", piano_pk=piano.pk)
    except ErroreDominio as err:  # the user's text stays in the form
        form.add_error(None, str(err))
        return _modifica_render(request, piano, scritto, form)
    messages.success(request, f"Capitolo «{scritto.titolo}» salvato.")
    return redirect(f"{reverse('programmazione:narrativa', args=[piano.pk])}#{capitolo}")


@require_POST
@login_required
def narrativa_anteprima(request: HttpRequest, piano_pk: int) -> HttpResponse:
    """The text being written, as the plan will show it; saves nothing (so VEDERE is enough)."""
    piano = get_piano_for_user(request.user, piano_pk, Azione.VEDERE)
    form = AnteprimaForm(request.POST)
    troppo_lungo = not form.is_valid()
    testo = "" if troppo_lungo else form.cleaned_data["testo"]
    contesto = {"piano": piano, "testo": testo, "troppo_lungo": troppo_lungo}
    return render(request, "programmazione/narrativa/_anteprima.html", contesto)
