"""Adhesions to an ambito's Accordo di programma: a public request, the Ufficio di Piano's decision.

The request comes from outside (no login): its file passes ``file_sicuri`` like any upload, and the
organisation hears by e-mail that it arrived and, later, what was decided. Only the ambito's
manager decides, because accepting binds the ambito.
"""

import logging
import unicodedata

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from stdnum.exceptions import ValidationError as CodiceNonValido
from stdnum.it import codicefiscale

from pianizona.accessi.tenancy import Azione, can
from pianizona.dominio import ErroreDominio
from pianizona.models import Ambito, AreaInterventoFnps, AreaUtenzaIstat, User

from .file_sicuri import FileNonAmmesso, FileVerificato, verifica_file
from .models import Adesione
from .services import file_rimosso_se_fallisce

logger = logging.getLogger(__name__)

# The signed form: a PDF (signed digitally or scanned), a P7M, or a photo of the signed paper.
FORMATI_MODULO = {"PDF", "PDF firmato (P7M)", "Immagine PNG", "Immagine JPEG"}


class AdesioneNonValida(ErroreDominio):
    pass


class CodiceFiscaleNonValido(AdesioneNonValida):
    pass


def codice_fiscale_normalizzato(valore: str) -> str:
    """An organisation's 11-digit code (check digit as for the partita IVA) or a person's 16-char
    one, checked with python-stdnum; raises ``AdesioneNonValida`` with the reason."""
    try:
        return codicefiscale.validate(valore)
    except CodiceNonValido as exc:
        raise CodiceFiscaleNonValido(
            "Il codice fiscale non è valido: controllare le cifre (11 per un ente, 16 caratteri "
            "per una persona fisica)."
        ) from exc


# Line and paragraph separators break a line as CR/LF do; bidi controls can disguise a text.
SEPARATORI_E_DIREZIONE = set(
    "\u2028\u2029\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def ha_caratteri_di_controllo(valore: str) -> bool:
    """True for a one-line field carrying CR, LF, TAB, any other control character or a
    line/paragraph separator: they would forge e-mail headers or the layout of a notice."""
    return any(unicodedata.category(c) == "Cc" or c in SEPARATORI_E_DIREZIONE for c in valore)


def messaggio_caratteri_di_controllo(etichetta: str) -> str:
    return (
        f"Il campo «{etichetta}» contiene a capo, tabulazioni o altri caratteri di controllo: "
        "va scritto su una sola riga, con caratteri normali."
    )


def modulo_verificato(modulo: UploadedFile) -> FileVerificato:
    """The signed form, checked by content (``file_sicuri``) and limited to what a signature can
    come as; raises ``FileNonAmmesso`` with the reason."""
    verificato = verifica_file(modulo)
    if verificato.formato.tipo not in FORMATI_MODULO:
        raise FileNonAmmesso(
            "Il modulo di adesione firmato va caricato come PDF, PDF firmato (P7M) o immagine "
            "PNG o JPEG della scansione."
        )
    return verificato


def adesione_crea(
    *,
    ambito: Ambito,
    denominazione: str,
    forma_giuridica: str,
    codice_fiscale: str,
    indirizzo: str,
    referente: str,
    email: str,
    aree_intervento: QuerySet[AreaInterventoFnps] | list[AreaInterventoFnps],
    aree_utenza: QuerySet[AreaUtenzaIstat] | list[AreaUtenzaIstat],
    attivita: str,
    modulo: UploadedFile,
    ip_impronta: str = "",
) -> Adesione:
    codice = codice_fiscale_normalizzato(codice_fiscale)
    righe = {
        "denominazione dell'ente": denominazione,
        "sede legale": indirizzo,
        "persona di riferimento": referente,
        "e-mail": email,
    }
    for etichetta, valore in righe.items():
        # A CR/LF in a name once made the office's notice fail on its subject line, unseen.
        if ha_caratteri_di_controllo(valore):
            raise AdesioneNonValida(messaggio_caratteri_di_controllo(etichetta))
    if not aree_intervento and not aree_utenza:
        raise AdesioneNonValida("Indica almeno un'area di intervento o di utenza.")
    verificato = modulo_verificato(modulo)
    with transaction.atomic():
        # The lock on the ambito hands out its receipt numbers one after the other.
        Ambito.objects.select_for_update().filter(pk=ambito.pk).first()
        # One open request per organisation and ambito: a second one would be a duplicate.
        gia = (
            Adesione.objects.select_for_update()
            .filter(
                ambito=ambito,
                codice_fiscale=codice,
                stato__in=[Adesione.Stato.IN_ATTESA, Adesione.Stato.ACCETTATA],
            )
            .first()
        )
        if gia is not None:
            raise AdesioneNonValida(
                "Questo ente ha già aderito all'Accordo di programma dell'ambito."
                if gia.stato == Adesione.Stato.ACCETTATA
                else "Questo ente ha già una richiesta di adesione in attesa di decisione."
            )
        adesione = Adesione(
            ambito=ambito,
            denominazione=denominazione.strip(),
            forma_giuridica=forma_giuridica,
            codice_fiscale=codice,
            indirizzo=indirizzo.strip(),
            referente=referente.strip(),
            email=email.strip(),
            attivita=attivita.strip(),
            modulo_nome=verificato.nome,
            modulo_sha256=verificato.sha256,
            modulo_content_type=verificato.formato.content_type,
            ip_impronta=ip_impronta,
        )
        adesione.modulo.save(
            f"m{verificato.estensione}", ContentFile(verificato.contenuto), save=False
        )
        with file_rimosso_se_fallisce(adesione.modulo):
            adesione.save()
            adesione.aree_intervento.set(aree_intervento)
            adesione.aree_utenza.set(aree_utenza)
        transaction.on_commit(lambda: _accoda("invia_ricevuta_adesione", adesione.pk), robust=True)
        # The Ufficio di Piano hears of it too: otherwise a request waits until someone looks.
        transaction.on_commit(lambda: _accoda("invia_avviso_adesione", adesione.pk), robust=True)
    return adesione


@transaction.atomic
def adesione_decidi(*, user: User, adesione: Adesione, accetta: bool, nota: str) -> Adesione:
    """Accept or reject a pending request; a rejection says why. The organisation is told."""
    nota = nota.strip()
    bloccata = Adesione.objects.select_for_update().select_related("ambito").get(pk=adesione.pk)
    if not can(user, Azione.INVIARE, bloccata.ambito):
        raise AdesioneNonValida(
            "Solo il responsabile dell'Ufficio di Piano può decidere sulle adesioni."
        )
    if bloccata.stato != Adesione.Stato.IN_ATTESA:
        raise AdesioneNonValida(
            f"La richiesta è già stata decisa ({bloccata.get_stato_display().lower()})."
        )
    if not accetta and not nota:
        raise AdesioneNonValida("Per respingere una richiesta indica il motivo nella nota.")
    bloccata.stato = Adesione.Stato.ACCETTATA if accetta else Adesione.Stato.RESPINTA
    bloccata.nota = nota
    bloccata.decisa_da = user
    bloccata.decisa_il = timezone.now()
    bloccata.save(update_fields=["stato", "nota", "decisa_da", "decisa_il"])
    transaction.on_commit(lambda: _accoda("invia_esito_adesione", bloccata.pk), robust=True)
    return bloccata


@transaction.atomic
def adesione_revoca(*, user: User, adesione: Adesione, motivo: str) -> Adesione:
    """Revoke an accepted adhesion, saying why: the organisation leaves the plan and is told.

    Versions frozen before the revocation keep listing it, as they did on their day.
    """
    motivo = motivo.strip()
    bloccata = Adesione.objects.select_for_update().select_related("ambito").get(pk=adesione.pk)
    if not can(user, Azione.INVIARE, bloccata.ambito):
        raise AdesioneNonValida(
            "Solo il responsabile dell'Ufficio di Piano può revocare un'adesione."
        )
    if bloccata.stato != Adesione.Stato.ACCETTATA:
        raise AdesioneNonValida(
            "Si può revocare solo un'adesione accettata "
            f"(questa è {bloccata.get_stato_display().lower()})."
        )
    if not motivo:
        raise AdesioneNonValida("Per revocare un'adesione indica il motivo.")
    bloccata.stato = Adesione.Stato.REVOCATA
    bloccata.motivo_revoca = motivo
    bloccata.revocata_da = user
    bloccata.revocata_il = timezone.now()
    bloccata.save(update_fields=["stato", "motivo_revoca", "revocata_da", "revocata_il"])
    transaction.on_commit(lambda: _accoda("invia_revoca_adesione", bloccata.pk), robust=True)
    return bloccata


def _accoda(nome_task: str, adesione_id: int) -> None:
    from . import tasks  # the task module imports this one

    try:
        getattr(tasks, nome_task).delay(adesione_id)
    except Exception:
        # The request has succeeded already: a broker outage must not turn it into an error.
        logger.exception("Impossibile accodare %s per l'adesione %s", nome_task, adesione_id)
