"""Adhesions: the public form (no login) and the Ufficio di Piano's pages to decide on requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pianizona.accessi.tenancy import (
    Azione,
    can,
    get_ambito_for_user,
    get_piano_for_user,
    scope_queryset,
)
from pianizona.dominio import ErroreDominio
from pianizona.lavori.download import allegato
from pianizona.models import Ambito

from .. import adesioni, antispam, in_sospeso, modulo_vuoto, selectors
from ..file_sicuri import FileNonAmmesso
from ..forms import AdesioneForm, DecisioneForm, RevocaForm
from ..models import Adesione
from .documenti import file_allegato

CAMPO_TRAPPOLA = (
    "La richiesta non è stata accettata perché è stato compilato un campo che va lasciato vuoto: "
    "ricaricare la pagina e compilare solo i campi visibili."
)
TROPPO_VELOCE = (
    "Il modulo è stato inviato troppo in fretta o da una pagina scaduta: controllare i dati, "
    "allegare di nuovo il modulo firmato e inviarlo."
)
GIA_INVIATO = (
    "Questo modulo è già stato inviato e la richiesta è stata registrata: il numero è nella "
    "ricevuta inviata per e-mail. Per la richiesta di un altro ente compilare il modulo qui sotto."
)
SALE_RICEVUTA = "archivio.adesione.ricevuta"
# The thank-you page's address works for a week: afterwards the e-mail holds the number.
VALIDITA_RICEVUTA = 7 * 24 * 3600


def _ambito_pubblico(regione: str, codice: str) -> Ambito:
    # An ambito's code is unique only within its Region (ISTAT code in the address).
    return get_object_or_404(
        Ambito.objects.select_related("regione"), regione__codice_istat=regione, codice=codice
    )


@require_GET
def adesioni_pubbliche(request: HttpRequest) -> HttpResponse:
    """The public list of adhesion forms, one per ambito, grouped by Region."""
    return render(
        request, "archivio/adesioni_pubbliche.html", {"ambiti": selectors.ambiti_per_adesione()}
    )


@require_GET
def adesione_indirizzo_precedente(request: HttpRequest, codice: str) -> HttpResponse:
    """The form's address before codes repeated across Regions: links already sent keep working."""
    ambiti = list(Ambito.objects.select_related("regione").filter(codice=codice)[:2])
    if len(ambiti) != 1:
        raise Http404(
            "Indirizzo del modulo non più valido: chiedere il nuovo all'Ufficio di Piano."
        )
    ambito = ambiti[0]
    return redirect(
        "archivio:adesione", regione=ambito.regione.codice_istat, codice=codice, permanent=True
    )


@require_http_methods(["GET", "POST"])
def adesione(request: HttpRequest, regione: str, codice: str) -> HttpResponse:
    """The public form: any third-sector organisation may ask to join the ambito's Accordo."""
    ambito = _ambito_pubblico(regione, codice)
    if request.method != "POST":
        form = AdesioneForm(initial={"inizio": antispam.gettone_inizio()}, ambito=ambito)
        return _pagina(request, ambito, form)
    form = AdesioneForm(request.POST, request.FILES, ambito=ambito)
    gettone = antispam.gettone_leggi(request.POST.get("inizio", ""))
    trattieni = False
    if request.POST.get("sito_web"):
        form.is_valid()  # so that the page shows the data back with the refusal
        form.add_error(None, CAMPO_TRAPPOLA)
        stato = 400
    elif not antispam.compilato_da_persona(gettone):
        form.is_valid()
        form.add_error(None, TROPPO_VELOCE)
        gettone, stato = None, 400
    elif antispam.gettone_usato(gettone):
        form.is_valid()
        form.add_error(None, GIA_INVIATO)
        gettone, stato = None, 400
    elif form.is_valid():
        risposta, stato = _crea(request, ambito, form, gettone)
        if risposta is not None:
            return risposta
        trattieni = True
    else:
        trattieni, stato = True, 400
    form.data = form.data.copy()
    # A valid token is kept: the time a person spends correcting the form still counts.
    form.data["inizio"] = request.POST["inizio"] if gettone else antispam.gettone_inizio()
    form.data["sito_web"] = ""
    modulo = _modulo_trattenuto(request, ambito, form) if trattieni else None
    form.offri_modulo(modulo)
    return _pagina(request, ambito, form, modulo=modulo, stato=stato)


def _pagina(
    request: HttpRequest,
    ambito: Ambito,
    form: AdesioneForm,
    *,
    modulo: in_sospeso.ModuloInSospeso | None = None,
    stato: int = 200,
) -> HttpResponse:
    return render(
        request,
        "archivio/adesione.html",
        {"ambito": ambito, "form": form, "modulo_in_sospeso": modulo},
        status=stato,
    )


def _modulo_trattenuto(
    request: HttpRequest, ambito: Ambito, form: AdesioneForm
) -> in_sospeso.ModuloInSospeso | None:
    """The signed form to offer back: a fresh upload that passed its checks (kept now, in place
    of an earlier one), or the one kept before (also when a new file was refused)."""
    precedente = form.data.get("modulo_in_sospeso") or ""
    if form.modulo_nuovo is not None and antispam.trattenere_file_consentito(request):
        if precedente:
            in_sospeso.modulo_scarta(precedente, ambito.pk)
        return in_sospeso.modulo_trattieni(form.modulo_nuovo, ambito.pk)
    if form.modulo_in_uso is not None:
        return form.modulo_in_uso
    trovato = in_sospeso.modulo_recupera(precedente, ambito.pk) if precedente else None
    return trovato[0] if trovato else None


def _crea(
    request: HttpRequest, ambito: Ambito, form: AdesioneForm, gettone: antispam.Gettone
) -> tuple[HttpResponse | None, int]:
    """Register the request: the start token is spent and the limits counted only if it is."""
    if not antispam.gettone_spendi(gettone):
        form.add_error(None, GIA_INVIATO)
        return None, 400
    dati = form.cleaned_data
    try:
        usi = antispam.limiti_consuma(request, email=dati["email"], ambito_pk=ambito.pk)
    except antispam.LimiteRaggiunto as limite:
        antispam.gettone_restituisci(gettone)
        form.add_error(None, limite.messaggio)
        return None, 429
    try:
        adesione = adesioni.adesione_crea(
            ambito=ambito,
            denominazione=dati["denominazione"],
            forma_giuridica=dati["forma_giuridica"],
            codice_fiscale=dati["codice_fiscale"],
            indirizzo=dati["indirizzo"],
            referente=dati["referente"],
            email=dati["email"],
            aree_intervento=list(dati["aree_intervento"]),
            aree_utenza=list(dati["aree_utenza"]),
            attivita=dati["attivita"],
            modulo=dati["modulo"],
            ip_impronta=antispam.impronta_ip(request),
        )
    except ErroreDominio as err:
        # Refused: nothing was sent, so nothing is counted and the same form may be sent again.
        usi.rollback()
        antispam.gettone_restituisci(gettone)
        if isinstance(err, FileNonAmmesso):
            form.add_error("modulo", str(err))
        elif isinstance(err, adesioni.CodiceFiscaleNonValido):
            form.add_error("codice_fiscale", str(err))
        else:
            form.add_error(None, str(err))
        return None, 400
    if dati.get("modulo_in_sospeso"):
        in_sospeso.modulo_scarta(dati["modulo_in_sospeso"], ambito.pk)
    ricevuta = signing.dumps(adesione.pk, salt=SALE_RICEVUTA)
    indirizzo = reverse(
        "archivio:adesione_ricevuta", args=[ambito.regione.codice_istat, ambito.codice]
    )
    return redirect(f"{indirizzo}?{urlencode({'r': ricevuta})}"), 302


@require_GET
def adesione_ricevuta(request: HttpRequest, regione: str, codice: str) -> HttpResponse:
    """The thank-you page with the receipt number, read from the signed id in its address."""
    ambito = _ambito_pubblico(regione, codice)
    adesione = None
    try:
        pk = signing.loads(request.GET.get("r", ""), salt=SALE_RICEVUTA, max_age=VALIDITA_RICEVUTA)
    except signing.BadSignature:
        pk = None
    if isinstance(pk, int):
        adesione = Adesione.objects.filter(pk=pk, ambito=ambito).first()
    return render(
        request,
        "archivio/adesione_ricevuta.html",
        {"ambito": ambito, "adesione": adesione},
        status=200 if adesione is not None else 404,
    )


@require_GET
def adesione_informativa(request: HttpRequest, regione: str, codice: str) -> HttpResponse:
    """The privacy notice (GDPR art. 13) for the data the adhesion form collects."""
    ambito = _ambito_pubblico(regione, codice)
    return render(
        request,
        "archivio/adesione_informativa.html",
        {"ambito": ambito, "informativa": selectors.informativa_adesioni(ambito)},
    )


@require_GET
def adesione_modulo_vuoto(request: HttpRequest, regione: str, codice: str) -> HttpResponse:
    """The blank adhesion form, in PDF, with the ambito and the Region already written in."""
    ambito = _ambito_pubblico(regione, codice)
    nome = f"modulo-adesione-{slugify(ambito.codice)}.pdf"
    return allegato(modulo_vuoto.pdf_modulo_vuoto(ambito), nome, "application/pdf")


# --- the Ufficio di Piano ----------------------------------------------------------------------


def _get_adesione_for_user(user, pk: int) -> Adesione:
    try:
        return scope_queryset(
            Adesione.objects.select_related("ambito__regione", "decisa_da", "revocata_da"),
            user,
            "ambito",
        ).get(pk=pk)
    except Adesione.DoesNotExist as exc:
        raise Http404("Richiesta di adesione non trovata.") from exc


@require_GET
@login_required
def adesioni_elenco(request: HttpRequest, ambito_pk: int) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, ambito_pk)
    stato = request.GET.get("stato", Adesione.Stato.IN_ATTESA)
    if stato not in Adesione.Stato.values:
        stato = Adesione.Stato.IN_ATTESA
    conteggi = selectors.conteggio_adesioni(ambito)
    return render(
        request,
        "archivio/adesioni.html",
        {
            "ambito": ambito,
            "stato": stato,
            "schede": [
                (valore, etichetta, conteggi[valore])
                for valore, etichetta in Adesione.Stato.choices
            ],
            "adesioni": selectors.adesioni_dell_ambito(ambito, stato),
        },
    )


@require_GET
@login_required
def adesione_dettaglio(request: HttpRequest, pk: int) -> HttpResponse:
    adesione = _get_adesione_for_user(request.user, pk)
    return _dettaglio(request, adesione)


def _dettaglio(
    request: HttpRequest,
    adesione: Adesione,
    *,
    form: DecisioneForm | None = None,
    form_revoca: RevocaForm | None = None,
    status: int = 200,
) -> HttpResponse:
    responsabile = can(request.user, Azione.INVIARE, adesione.ambito)
    puo_decidere = responsabile and adesione.stato == Adesione.Stato.IN_ATTESA
    puo_revocare = responsabile and adesione.stato == Adesione.Stato.ACCETTATA
    return render(
        request,
        "archivio/adesione_dettaglio.html",
        {
            "adesione": adesione,
            "ambito": adesione.ambito,
            "puo_decidere": puo_decidere,
            "form": (form or DecisioneForm()) if puo_decidere else None,
            "puo_revocare": puo_revocare,
            "form_revoca": (form_revoca or RevocaForm()) if puo_revocare else None,
        },
        status=status,
    )


@require_POST
@login_required
def adesione_decidi(request: HttpRequest, pk: int) -> HttpResponse:
    adesione = _get_adesione_for_user(request.user, pk)
    if not can(request.user, Azione.INVIARE, adesione.ambito):
        raise PermissionDenied("Solo il responsabile dell'Ufficio di Piano decide sulle adesioni.")
    form = DecisioneForm(request.POST)
    if form.is_valid():
        try:
            decisa = adesioni.adesione_decidi(
                user=request.user,
                adesione=adesione,
                accetta=form.cleaned_data["esito"] == "accetta",
                nota=form.cleaned_data["nota"],
            )
        except ErroreDominio as err:
            messages.error(request, str(err))
            return redirect("archivio:adesione_dettaglio", pk=adesione.pk)
        messages.success(
            request,
            f"Adesione di {decisa.denominazione} {decisa.get_stato_display().lower()}: "
            "l'ente riceve l'esito per e-mail.",
        )
        return redirect("archivio:adesioni", ambito_pk=adesione.ambito_id)
    return _dettaglio(request, adesione, form=form, status=400)


@require_POST
@login_required
def adesione_revoca(request: HttpRequest, pk: int) -> HttpResponse:
    """The manager revokes an accepted adhesion (same right as deciding), with a reason."""
    adesione = _get_adesione_for_user(request.user, pk)
    if not can(request.user, Azione.INVIARE, adesione.ambito):
        raise PermissionDenied("Solo il responsabile dell'Ufficio di Piano revoca le adesioni.")
    form = RevocaForm(request.POST)
    if not form.is_valid():
        return _dettaglio(request, adesione, form_revoca=form, status=400)
    try:
        revocata = adesioni.adesione_revoca(
            user=request.user, adesione=adesione, motivo=form.cleaned_data["motivo"]
        )
    except ErroreDominio as err:
        messages.error(request, str(err))
        return redirect("archivio:adesione_dettaglio", pk=adesione.pk)
    messages.success(
        request,
        f"Adesione di {revocata.denominazione} revocata: l'ente non è più tra gli aderenti del "
        "piano e riceve il motivo per e-mail.",
    )
    return redirect("archivio:adesione_dettaglio", pk=adesione.pk)


@require_GET
@login_required
def adesione_modulo(request: HttpRequest, pk: int) -> HttpResponse:
    adesione = _get_adesione_for_user(request.user, pk)
    return file_allegato(
        request, adesione.modulo, adesione.modulo_nome, adesione.modulo_content_type
    )


@require_GET
@login_required
def aderenti_piano(request: HttpRequest, piano_pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk)
    return render(
        request,
        "archivio/aderenti_piano.html",
        {
            "piano": piano,
            "ambito": piano.ambito,
            "aderenti": selectors.aderenti_del_piano(piano),
        },
    )
