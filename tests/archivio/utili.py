"""Helpers shared by the archive's tests and permission rows."""

import secrets
import time

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from stdnum import luhn

from archivio import adesioni, antispam, services
from archivio.models import Adesione, Documento, FormaGiuridica
from pianizona.models import AreaInterventoFnps, AreaUtenzaIstat

from .corpus import PDF

# Valid codes: an organisation's 11 digits (partita IVA check digit) and a person's 16 characters.
CF_ENTE = "00743110157"
CF_PERSONA = "RSSMRA85T10A562S"


def cf_ente(n: int) -> str:
    """The n-th valid 11-digit organisation code."""
    base = f"{n + 1:07d}072"  # 072: an office code (Bari) the check accepts
    return base + luhn.calc_check_digit(base)


def carica(nome: str, contenuto: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(nome, contenuto, content_type="application/octet-stream")


def documento_di(cast, ambito=None, *, titolo="Verbale della conferenza", **extra) -> Documento:
    """A document uploaded by the regional officer (who may upload anywhere in the region)."""
    dati = {"categoria": Documento.Categoria.VERBALE, "anno": 2025, "titolo": titolo, **extra}
    return services.documento_crea(
        user=cast.funzionario,
        file=carica("verbale.pdf", PDF),
        regione=cast.regione,
        ambito=ambito,
        **dati,
    )


def aree_di_riferimento() -> tuple[AreaInterventoFnps, AreaUtenzaIstat]:
    area, _ = AreaInterventoFnps.objects.get_or_create(
        codice=1, defaults={"nome": "Responsabilità familiari"}
    )
    utenza, _ = AreaUtenzaIstat.objects.get_or_create(
        codice="FAM", defaults={"nome": "Famiglia e minori"}
    )
    return area, utenza


def adesione_di(ambito, *, denominazione="Cooperativa sociale Il Faro", codice=CF_ENTE) -> Adesione:
    area, utenza = aree_di_riferimento()
    return adesioni.adesione_crea(
        ambito=ambito,
        denominazione=denominazione,
        forma_giuridica=FormaGiuridica.COOPERATIVA,
        codice_fiscale=codice,
        indirizzo="Via Roma 1, Bari",
        referente="Maria Rossi",
        email="maria.rossi@ilfaro.example",
        aree_intervento=[area],
        aree_utenza=[utenza],
        attivita="Servizi educativi per minori e famiglie.",
        modulo=carica("modulo.pdf", PDF),
    )


def gettone(secondi_fa: float = 60) -> str:
    """A genuine start token of the public form, as its page gives it, opened ``secondi_fa`` ago."""
    inizio = time.time() - secondi_fa
    return signing.dumps({"t": inizio, "id": secrets.token_urlsafe(16)}, salt=antispam.SALE)


def dati_adesione(**extra) -> dict:
    """A valid post of the public adhesion form (a fresh token, the signed form attached)."""
    area, utenza = aree_di_riferimento()
    return {
        "denominazione": "Cooperativa sociale Il Faro",
        "forma_giuridica": "cooperativa",
        "codice_fiscale": CF_ENTE,
        "indirizzo": "Via Roma 1, 70100 Bari",
        "referente": "Maria Rossi",
        "email": "maria.rossi@ilfaro.example",
        "aree_intervento": [str(area.pk)],
        "aree_utenza": [str(utenza.pk)],
        "attivita": "Servizi educativi per minori e sostegno alle famiglie.",
        "modulo": carica("modulo-firmato.pdf", PDF),
        "privacy": "on",
        "sito_web": "",
        "inizio": gettone(),
        **extra,
    }


def invia_adesione(client, ambito, dati: dict):
    """Post the public form; what it queues for after the commit (the e-mails) runs too."""
    indirizzo = reverse("archivio:adesione", args=[ambito.regione.codice_istat, ambito.codice])
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(indirizzo, dati)
