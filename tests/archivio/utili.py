"""Helpers shared by the archive's tests and permission rows."""

from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum import luhn

from archivio import adesioni, services
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
