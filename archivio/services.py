"""Writes of the document archive: a new document, a new version, a soft deletion.

A file is written to storage only once it has passed ``file_sicuri``; if the rows cannot be saved
afterwards the file is removed again, so a refused upload leaves nothing behind.
"""

import datetime
import logging
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pianizona.dominio import ErroreDominio
from pianizona.models import Ambito, Piano, Regione, User

from . import permessi
from .file_sicuri import FileVerificato, verifica_file
from .models import Documento, VersioneDocumento

logger = logging.getLogger(__name__)


class OperazioneNonConsentita(ErroreDominio):
    pass


@contextmanager
def file_rimosso_se_fallisce(campo):
    """Delete a just-written file if what follows fails: no orphan on disk."""
    try:
        yield
    except BaseException:
        if campo.name:
            campo.storage.delete(campo.name)
        raise


def _salva_versione(
    documento: Documento, verificato: FileVerificato, numero: int, user: User
) -> VersioneDocumento:
    versione = VersioneDocumento(
        documento=documento,
        numero=numero,
        nome_originale=verificato.nome,
        dimensione=verificato.dimensione,
        sha256=verificato.sha256,
        content_type=verificato.formato.content_type,
        tipo=verificato.formato.tipo,
        caricata_da=user,
    )
    versione.file.save(f"v{verificato.estensione}", ContentFile(verificato.contenuto), save=False)
    with file_rimosso_se_fallisce(versione.file):
        versione.save()
    return versione


def documento_crea(
    *,
    user: User,
    file: UploadedFile,
    regione: Regione,
    ambito: Ambito | None,
    categoria: str,
    anno: int,
    titolo: str,
    descrizione: str = "",
    numero_protocollo: str = "",
    data_protocollo: datetime.date | None = None,
    piano: Piano | None = None,
) -> Documento:
    """A document with its first version; ``ambito`` None makes it regional."""
    if ambito is not None:
        if ambito.regione_id != regione.pk:
            raise OperazioneNonConsentita("L'ambito non appartiene alla regione indicata.")
        consentito = permessi.puo_caricare_in_ambito(user, ambito)
    else:
        consentito = permessi.puo_caricare_in_regione(user, regione)
    if not consentito:
        raise OperazioneNonConsentita("Il ruolo assegnato non consente di caricare documenti qui.")
    if piano is not None and (ambito is None or piano.ambito_id != ambito.pk):
        raise OperazioneNonConsentita("Il piano indicato non è di questo ambito.")
    verificato = verifica_file(file)
    with transaction.atomic():
        documento = Documento.objects.create(
            regione=regione,
            ambito=ambito,
            piano=piano,
            categoria=categoria,
            anno=anno,
            titolo=titolo.strip(),
            descrizione=descrizione.strip(),
            numero_protocollo=numero_protocollo.strip(),
            data_protocollo=data_protocollo,
            creato_da=user,
        )
        _salva_versione(documento, verificato, 1, user)
    return documento


def documento_versione_aggiungi(
    *, user: User, documento: Documento, file: UploadedFile
) -> VersioneDocumento:
    """A new file for the document; the earlier versions are kept."""
    verificato = verifica_file(file)
    with transaction.atomic():
        # The lock makes two simultaneous uploads take numbers one after the other.
        bloccato = Documento.objects.select_for_update().get(pk=documento.pk)
        if not permessi.puo_aggiungere_versione(user, bloccato):
            raise OperazioneNonConsentita(
                "Il documento è stato eliminato."
                if bloccato.eliminato
                else "Il ruolo assegnato non consente di caricare nuove versioni di questo documento."
            )
        ultimo = bloccato.versioni.aggregate(m=Max("numero"))["m"] or 0
        return _salva_versione(bloccato, verificato, ultimo + 1, user)


@transaction.atomic
def documento_elimina(*, user: User, documento: Documento, motivo: str) -> Documento:
    """Soft deletion: the document leaves the archive and stays in its history, with the reason."""
    motivo = motivo.strip()
    if not motivo:
        raise OperazioneNonConsentita("Indica il motivo dell'eliminazione.")
    bloccato = Documento.objects.select_for_update().get(pk=documento.pk)
    if bloccato.eliminato:
        raise OperazioneNonConsentita("Il documento era già stato eliminato.")
    if not permessi.puo_eliminare(user, bloccato):
        raise OperazioneNonConsentita(
            "Solo il responsabile dell'ambito o la Regione possono eliminare un documento."
        )
    bloccato.eliminato_il = timezone.now()
    bloccato.eliminato_da = user
    bloccato.motivo_eliminazione = motivo
    bloccato.save(update_fields=["eliminato_il", "eliminato_da", "motivo_eliminazione"])
    logger.info("Documento %s eliminato da %s: %s", bloccato.pk, user.pk, motivo)
    return bloccato
