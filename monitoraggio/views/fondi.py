"""Fund monitoring pages: an ambito's year, a line's declarations, the report's moves, the Region's list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pianizona.accessi.tenancy import (
    Azione,
    can,
    get_ambito_for_user,
    get_ciclo_for_user,
    get_regione_for_user,
    scope_queryset,
)
from pianizona.dominio import ErroreDominio
from pianizona.iter.panoramica import ambiti_della_regione, province
from pianizona.models import AreaInterventoFnps, FonteFinanziamento, ObiettivoServizio
from pianizona.money import format_euro

from ..fondi import regola75, selectors, services
from ..fondi.forms import (
    AperturaForm,
    DichiarazioneForm,
    FiltroRendicontazioniForm,
    RestituzioneForm,
    TransizioneRendicontazioneForm,
)
from ..models import Rendicontazione, TransizioneRendicontazione
from ..programmato import ZERO, Linea, piani_di_riferimento, programmato_per_linea

AzioneFlusso = TransizioneRendicontazione.Azione


def get_rendicontazione_for_user(user, pk: int, azione: Azione = Azione.VEDERE) -> Rendicontazione:
    """A report of an ambito the user sees (404 otherwise), if the role may ``azione`` (403)."""
    qs = Rendicontazione.objects.select_related("ambito__regione", "ciclo")
    try:
        rendicontazione = scope_queryset(qs, user, "ambito").get(pk=pk)
    except Rendicontazione.DoesNotExist as exc:
        raise Http404("Rendicontazione non trovata.") from exc
    if not can(user, azione, rendicontazione.ambito):
        raise PermissionDenied("Il ruolo assegnato non consente questa operazione.")
    return rendicontazione


def _errori_del_modulo(request: HttpRequest, form) -> None:
    for errori in form.errors.values():
        for errore in errori:
            messages.error(request, errore)


def _alla_pagina(ambito_id: int, anno: int) -> HttpResponse:
    return redirect(f"{reverse('monitoraggio:fondi_ambito', args=[ambito_id])}?anno={anno}")


def _anno_richiesto(request: HttpRequest, anni: list[int], valore: str | None) -> int | None:
    if valore:
        try:
            anno = int(valore)
        except ValueError:
            anno = None
        if anno in anni:
            return anno
        messages.error(request, f"L'anno «{valore}» non è in un ciclo della regione.")
    return selectors.anno_predefinito(anni)


@login_required
@require_GET
def fondi_ambito(request: HttpRequest, pk: int) -> HttpResponse:
    """An ambito's year: lines with programmed, committed, paid; the 75% rule; the report."""
    ambito = get_ambito_for_user(request.user, pk)
    anni, cicli = selectors.anni_della_regione(ambito.regione_id)
    anno = _anno_richiesto(request, anni, request.GET.get("anno"))
    scelta = [request.GET.get(k, "") for k in ("fonte", "obiettivo", "area")]
    if anno is not None and all(v.isdigit() for v in scelta):  # "dichiara su un'altra linea"
        return redirect("monitoraggio:fondi_linea", ambito.pk, anno, *map(int, scelta))
    contesto = {"ambito": ambito, "anni": anni, "anno": anno}
    if anno is None:
        return render(request, "monitoraggio/fondi/ambito.html", contesto)
    dati = selectors.monitoraggio_anno(ambito, anno)
    r = dati.rendicontazione
    puo_modificare = can(request.user, Azione.MODIFICARE, ambito)
    ciclo = r.ciclo if r else (dati.piano.ciclo if dati.piano else cicli.get(anno))
    contesto.update(
        dati=dati,
        ciclo=ciclo,
        regola=regola75.regola_75_ambito(ambito, anno),
        prospettiva=regola75.regola_75_ambito(ambito, anno + 2),
        soglia=regola75.SOGLIA_EROGAZIONE,
        dichiarabile=puo_modificare and dati.piano is not None and (r is None or r.modificabile),
        puo_modificare=puo_modificare,
        azioni=services.azioni_possibili(r, request.user) if r else [],
        form=TransizioneRendicontazioneForm(initial={"stato_atteso": r.stato if r else ""}),
        # Its own ids: beside the acceptance form, each label must point to its own textarea.
        restituzione=RestituzioneForm(
            initial={"stato_atteso": r.stato if r else ""}, auto_id="id_restituzione_%s"
        ),
        apertura=AperturaForm(initial={"anno": anno}),
        fonti=dati.fonti,
        obiettivi=ObiettivoServizio.objects.select_related("macro_livello")
        if puo_modificare
        else [],
        aree=AreaInterventoFnps.objects.all() if puo_modificare else [],
        sintesi=_sintesi(dati),
        indice=_indice(dati),
    )
    return render(request, "monitoraggio/fondi/ambito.html", contesto)


def _sintesi(dati: selectors.MonitoraggioAnno) -> list[tuple[str, str, str]]:
    """The year's key figures above its (long) table of lines."""
    r, totali = dati.rendicontazione, dati.totali
    return [
        (
            f"Rendicontazione {dati.anno}",
            r.get_stato_display() if r else "Non ancora aperta",
            "",
        ),
        (
            "Programmato",
            format_euro(totali.programmato),
            f"dal {dati.piano.titolo.lower()} approvato"
            if dati.piano
            else "nessun piano approvato",
        ),
        ("Impegnato", format_euro(totali.impegnato), _quota(totali.perc_impegnato)),
        ("Liquidato", format_euro(totali.liquidato), _quota(totali.perc_liquidato)),
        ("Linee dichiarate", f"{dati.linee_dichiarate} su {dati.linee_totali}", ""),
    ]


def _quota(percentuale) -> str:
    return (
        "" if percentuale is None else f"{regola75.testo_percentuale(percentuale)} del programmato"
    )


def _indice(dati: selectors.MonitoraggioAnno) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The page's sections, and under the lines each fund's group (ids set in the template)."""
    indice = [
        ("titolo-rendicontazione", f"Rendicontazione {dati.anno}", []),
        ("titolo-regola", "Regola del 75% (FNPS)", []),
        (
            "titolo-linee",
            f"Linee di spesa {dati.anno}",
            [(f"fonte-{g.fonte.pk}", g.fonte.codice) for g in dati.gruppi],
        ),
    ]
    if dati.rendicontazione is not None:
        indice.append(("titolo-passaggi", "Passaggi della rendicontazione", []))
    return indice


@login_required
@require_POST
def fondi_apri(request: HttpRequest, pk: int) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, pk, Azione.MODIFICARE)
    form = AperturaForm(request.POST)
    if not form.is_valid():
        _errori_del_modulo(request, form)
        return redirect("monitoraggio:fondi_ambito", ambito.pk)
    anno = form.cleaned_data["anno"]
    try:
        services.rendicontazione_apri(ambito=ambito, anno=anno, user=request.user)
    except ErroreDominio as err:
        messages.error(request, str(err))
    else:
        messages.success(request, f"Rendicontazione {anno} aperta: si possono dichiarare le linee.")
    return _alla_pagina(ambito.pk, anno)


def _valori_iniziali(anno: int, ultima) -> dict:
    oggi = timezone.localdate()
    data = oggi if oggi.year == anno else oggi.replace(year=anno, month=12, day=31)
    if ultima is None:
        return {"data": data}
    return {"data": data, "impegnato": ultima.impegnato, "liquidato": ultima.liquidato}


@login_required
@require_http_methods(["GET", "POST"])
def fondi_linea(
    request: HttpRequest, pk: int, anno: int, fonte: int, obiettivo: int, area: int
) -> HttpResponse:
    """One line of a year: its declarations (dated history) and the form to declare again."""
    azione = Azione.MODIFICARE if request.method == "POST" else Azione.VEDERE
    ambito = get_ambito_for_user(request.user, pk, azione)
    anni, _ = selectors.anni_della_regione(ambito.regione_id)
    if anno not in anni:
        raise Http404("Anno non compreso nei cicli della regione.")
    fonte_obj = get_object_or_404(
        FonteFinanziamento.objects.della_regione(ambito.regione_id), pk=fonte
    )
    obiettivo_obj = get_object_or_404(
        ObiettivoServizio.objects.select_related("macro_livello"), pk=obiettivo
    )
    area_obj = get_object_or_404(AreaInterventoFnps, pk=area)
    linea = Linea(ambito.pk, anno, fonte, obiettivo, area)
    rendicontazione = Rendicontazione.objects.filter(ambito=ambito, anno=anno).first()
    status = 200
    if request.method == "POST":
        form = DichiarazioneForm(request.POST)
        if form.is_valid():
            try:
                services.dichiarazione_registra_per_anno(
                    ambito=ambito,
                    anno=anno,
                    user=request.user,
                    fonte=fonte_obj,
                    obiettivo=obiettivo_obj,
                    area=area_obj,
                    **form.cleaned_data,
                )
            except ErroreDominio as err:
                messages.error(request, str(err))
            else:
                messages.success(
                    request,
                    f"Dichiarazione registrata: {fonte_obj.codice} · {obiettivo_obj.codice} · "
                    f"{area_obj}.",
                )
                return _alla_pagina(ambito.pk, anno)
        else:
            _errori_del_modulo(request, form)
        status = 400
    storico = selectors.storico_linea(rendicontazione, linea)
    if request.method == "GET":
        form = DichiarazioneForm(initial=_valori_iniziali(anno, storico[0] if storico else None))
    programmato = programmato_per_linea([ambito.pk], [anno]).get(linea, ZERO)
    piano_approvato = rendicontazione is not None or bool(piani_di_riferimento([ambito.pk], [anno]))
    return render(
        request,
        "monitoraggio/fondi/linea.html",
        {
            "ambito": ambito,
            "anno": anno,
            "fonte": fonte_obj,
            "obiettivo": obiettivo_obj,
            "area": area_obj,
            "rendicontazione": rendicontazione,
            "programmato": programmato,
            "ultima": storico[0] if storico else None,
            "storico": storico,
            "form": form,
            "dichiarabile": can(request.user, Azione.MODIFICARE, ambito)
            and piano_approvato
            and (rendicontazione is None or rendicontazione.modificabile),
            "piano_approvato": piano_approvato,
        },
        status=status,
    )


def _transizione(request: HttpRequest, pk: int, azione: str, form_class, riuscita: str):
    permesso = services.REGOLE[azione].permesso
    rendicontazione = get_rendicontazione_for_user(request.user, pk, permesso)
    form = form_class(request.POST)
    if not form.is_valid():
        _errori_del_modulo(request, form)
    else:
        try:
            services.rendicontazione_transizione(
                rendicontazione=rendicontazione,
                user=request.user,
                azione=azione,
                stato_atteso=form.cleaned_data["stato_atteso"],
                commento=form.cleaned_data.get("commento", ""),
            )
        except ErroreDominio as err:
            messages.error(request, str(err))
        else:
            messages.success(request, riuscita)
    return _alla_pagina(rendicontazione.ambito_id, rendicontazione.anno)


@login_required
@require_POST
def fondi_invia(request: HttpRequest, pk: int) -> HttpResponse:
    return _transizione(
        request,
        pk,
        AzioneFlusso.INVIO,
        TransizioneRendicontazioneForm,
        "Rendicontazione inviata alla Regione: resta in sola lettura finché non viene accettata "
        "o restituita.",
    )


@login_required
@require_POST
def fondi_accetta(request: HttpRequest, pk: int) -> HttpResponse:
    return _transizione(
        request,
        pk,
        AzioneFlusso.ACCETTAZIONE,
        TransizioneRendicontazioneForm,
        "Rendicontazione accettata. L'Ufficio di Piano riceve una notifica.",
    )


@login_required
@require_POST
def fondi_restituisci(request: HttpRequest, pk: int) -> HttpResponse:
    return _transizione(
        request,
        pk,
        AzioneFlusso.RESTITUZIONE,
        RestituzioneForm,
        "Rendicontazione restituita per integrazioni: l'Ufficio di Piano riceve una notifica.",
    )


@login_required
@require_GET
def fondi_regione(request: HttpRequest, pk: int) -> HttpResponse:
    """Every ambito's report of a year: state, money, the 75% rule; filters by year, province, state."""
    regione = get_regione_for_user(request.user, pk, Azione.PANORAMICA_REGIONALE)
    anni, _ = selectors.anni_della_regione(regione.pk)
    filtro = FiltroRendicontazioniForm(
        request.GET.dict() or None,
        anni=anni,
        predefinito=selectors.anno_predefinito(anni),
        province=province(ambiti_della_regione(regione)),
    )
    anno, filtri = filtro.scelte()
    elenco = selectors.rendicontazioni_della_regione(regione, anno, filtri) if anno else None
    return render(
        request,
        "monitoraggio/fondi/regione.html",
        {"regione": regione, "filtro": filtro, "filtri": filtri, "elenco": elenco},
    )


@login_required
@require_GET
def fondi_ciclo(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle page's link: the Region's list at the cycle's current (or first) year."""
    ciclo = get_ciclo_for_user(request.user, pk, Azione.PANORAMICA_REGIONALE)
    anno = selectors.anno_predefinito(ciclo.anni)
    url = reverse("monitoraggio:fondi_regione", args=[ciclo.regione_id])
    return redirect(f"{url}?anno={anno}")
