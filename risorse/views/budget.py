from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from pianizona.accessi.tenancy import Azione, get_piano_for_user
from pianizona.grafici import Serie, barre_impilate

from .. import selectors
from ..istantanea import scostamento_dal_budget_approvato


@require_GET
@login_required
def budget(request: HttpRequest, piano_pk: int) -> HttpResponse:
    """The plan's resources per fund × year, derived, with totals by year and level and a chart."""
    piano = get_piano_for_user(request.user, piano_pk, Azione.VEDERE)
    dati = selectors.budget_del_piano(piano)
    grafico = barre_impilate(
        titolo=f"Risorse per anno e livello di provenienza – {piano.titolo}",
        descrizione=(
            "Barre impilate: per ogni anno, le risorse distinte per livello (statale, regionale, "
            "comunale, sanitario, europeo). Gli stessi dati sono nella tabella seguente."
        ),
        categorie=[str(a) for a in dati.anni],
        serie=[Serie(r["livello"], r["importi"]) for r in dati.per_livello],
        id_grafico="grafico-budget",
    )
    return render(
        request,
        "risorse/piano/budget.html",
        {
            "piano": piano,
            "ambito": piano.ambito,
            "budget": dati,
            "righe": dati.tabella.righe(),
            "grafico": mark_safe(grafico),  # built by us from escaped text only
            "scostamento": scostamento_dal_budget_approvato(piano, dati),
        },
    )
