"""The archive's pages: lists with filters, a document and its versions, uploads, deletion, download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from pianizona.accessi.tenancy import Azione, can, get_ambito_for_user, get_regione_for_user
from pianizona.dominio import ErroreDominio
from pianizona.models import Ambito, Regione

from .. import permessi, selectors, services
from ..forms import DocumentoForm, EliminaForm, FiltroDocumentiForm, VersioneForm
from ..models import Documento

CAMPI_FILTRO = ("testo", "categoria", "anno", "ambito")


def _dati_filtro(request: HttpRequest):
    """The query string binds the filters only when it holds one (not for the tab or the page)."""
    return request.GET if any(request.GET.get(c) for c in CAMPI_FILTRO) else None


def _elenco(request: HttpRequest, filtro: FiltroDocumentiForm, contesto: dict):
    eliminati = request.GET.get("vista") == "eliminati"
    filtri = filtro.filtri(eliminati)
    pagina = Paginator(contesto.pop("selettore")(filtri), selectors.PER_PAGINA).get_page(
        request.GET.get("pagina")
    )
    parametri = request.GET.copy()
    parametri.pop("pagina", None)
    return render(
        request,
        "archivio/documenti.html",
        {
            **contesto,
            "filtro": filtro,
            "filtri": filtri,
            "pagina": pagina,
            "eliminati": eliminati,
            "parametri": parametri.urlencode(),
        },
    )


@require_GET
@login_required
def documenti(request: HttpRequest, ambito_pk: int) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, ambito_pk)
    anni = selectors.anni_dei_documenti(
        Documento.objects.filter(ambito=ambito)
        | Documento.objects.filter(ambito__isnull=True, regione_id=ambito.regione_id)
    )
    filtro = FiltroDocumentiForm(_dati_filtro(request), anni=anni)
    return _elenco(
        request,
        filtro,
        {
            "ambito": ambito,
            "regione": ambito.regione,
            "selettore": lambda filtri: selectors.documenti_dell_ambito(ambito, filtri),
            "puo_caricare": permessi.puo_caricare_in_ambito(request.user, ambito),
            "puo_vedere_regione": can(request.user, Azione.PANORAMICA_REGIONALE, ambito.regione),
        },
    )


@require_GET
@login_required
def documenti_regione(request: HttpRequest, regione_pk: int) -> HttpResponse:
    regione = get_regione_for_user(request.user, regione_pk, Azione.PANORAMICA_REGIONALE)
    ambiti = list(Ambito.objects.filter(regione=regione).order_by("codice"))
    anni = selectors.anni_dei_documenti(Documento.objects.filter(regione=regione))
    filtro = FiltroDocumentiForm(_dati_filtro(request), anni=anni, ambiti=ambiti, regione=regione)
    return _elenco(
        request,
        filtro,
        {
            "ambito": None,
            "regione": regione,
            "selettore": lambda filtri: selectors.documenti_della_regione(regione, filtri),
            "puo_caricare": permessi.puo_caricare_in_regione(request.user, regione),
            "puo_vedere_regione": True,
        },
    )


def _carica(request: HttpRequest, regione: Regione, ambito: Ambito | None) -> HttpResponse:
    form = DocumentoForm(request.POST or None, request.FILES or None, ambito=ambito)
    if request.method == "POST" and form.is_valid():
        dati = form.cleaned_data
        try:
            documento = services.documento_crea(
                user=request.user,
                file=dati["file"],
                regione=regione,
                ambito=ambito,
                categoria=dati["categoria"],
                anno=dati["anno"],
                titolo=dati["titolo"],
                descrizione=dati["descrizione"],
                numero_protocollo=dati["numero_protocollo"],
                data_protocollo=dati["data_protocollo"],
                piano=dati.get("piano"),
            )
        except ErroreDominio as err:
            form.add_error("file", str(err))
        else:
            messages.success(request, f"Documento «{documento.titolo}» caricato.")
            return redirect("archivio:documento", pk=documento.pk)
    return render(
        request,
        "archivio/documento_form.html",
        {"form": form, "ambito": ambito, "regione": regione},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def documento_nuovo(request: HttpRequest, ambito_pk: int) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, ambito_pk)
    if not permessi.puo_caricare_in_ambito(request.user, ambito):
        raise PermissionDenied("Il ruolo assegnato non consente di caricare documenti nell'ambito.")
    return _carica(request, ambito.regione, ambito)


@require_http_methods(["GET", "POST"])
@login_required
def documento_nuovo_regione(request: HttpRequest, regione_pk: int) -> HttpResponse:
    regione = get_regione_for_user(request.user, regione_pk, Azione.CONFIGURARE)
    return _carica(request, regione, None)


@require_GET
@login_required
def documento(request: HttpRequest, pk: int) -> HttpResponse:
    documento = permessi.get_documento_for_user(request.user, pk)
    return render(
        request,
        "archivio/documento.html",
        {
            "documento": documento,
            "versioni": selectors.versioni_del_documento(documento),
            "puo_scaricare": permessi.puo_scaricare(request.user, documento),
            "puo_aggiungere_versione": permessi.puo_aggiungere_versione(request.user, documento),
            "puo_eliminare": permessi.puo_eliminare(request.user, documento),
            **_contesto_briciole(request, documento),
        },
    )


def _contesto_briciole(request: HttpRequest, documento: Documento) -> dict:
    """Where "back to the archive" leads: the ambito's archive, or the region's for the officer."""
    if documento.ambito is not None and can(request.user, Azione.VEDERE, documento.ambito):
        return {"archivio_ambito": documento.ambito, "archivio_regione": None}
    membro = next(
        (
            m.ambito
            for m in permessi.accessi_for_user(request.user).memberships
            if m.ambito_id and m.ambito.regione_id == documento.regione_id
        ),
        None,
    )
    if membro is not None:
        return {"archivio_ambito": membro, "archivio_regione": None}
    return {"archivio_ambito": None, "archivio_regione": documento.regione}


@require_http_methods(["GET", "POST"])
@login_required
def versione_nuova(request: HttpRequest, pk: int) -> HttpResponse:
    documento = permessi.get_documento_for_user(request.user, pk)
    if not permessi.puo_aggiungere_versione(request.user, documento):
        raise PermissionDenied(
            "Il ruolo assegnato non consente di caricare nuove versioni di questo documento."
        )
    form = VersioneForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            versione = services.documento_versione_aggiungi(
                user=request.user, documento=documento, file=form.cleaned_data["file"]
            )
        except ErroreDominio as err:
            form.add_error("file", str(err))
        else:
            messages.success(request, f"Caricata la versione {versione.numero}.")
            return redirect("archivio:documento", pk=documento.pk)
    return render(
        request,
        "archivio/versione_form.html",
        {"form": form, "documento": documento, **_contesto_briciole(request, documento)},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def documento_elimina(request: HttpRequest, pk: int) -> HttpResponse:
    documento = permessi.get_documento_for_user(request.user, pk)
    if not permessi.puo_eliminare(request.user, documento):
        raise PermissionDenied(
            "Solo il responsabile dell'ambito o la Regione possono eliminare questo documento."
        )
    form = EliminaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.documento_elimina(
                user=request.user, documento=documento, motivo=form.cleaned_data["motivo"]
            )
        except ErroreDominio as err:
            form.add_error("motivo", str(err))
        else:
            messages.success(
                request, f"Documento «{documento.titolo}» eliminato: resta nello storico."
            )
            return redirect("archivio:documento", pk=documento.pk)
    return render(
        request,
        "archivio/documento_elimina.html",
        {"form": form, "documento": documento, **_contesto_briciole(request, documento)},
        status=400 if form.errors else 200,
    )


@require_GET
@login_required
def versione_scarica(request: HttpRequest, pk: int) -> HttpResponse:
    versione = permessi.get_versione_for_user(request.user, pk)
    if not permessi.puo_scaricare(request.user, versione.documento):
        raise PermissionDenied("Il documento è stato eliminato: i suoi file non si scaricano più.")
    return file_allegato(request, versione.file, versione.nome_originale, versione.content_type)


def file_allegato(request: HttpRequest, campo, nome: str, content_type: str) -> HttpResponse:
    """A stored file as an attachment, never rendered nor sniffed by the browser."""
    try:
        aperto = campo.open("rb")
    except FileNotFoundError:
        return render(request, "archivio/file_mancante.html", status=410)
    risposta = FileResponse(aperto, content_type=content_type)
    risposta["Content-Disposition"] = content_disposition_header(True, nome)
    risposta["X-Content-Type-Options"] = "nosniff"
    risposta["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return risposta
