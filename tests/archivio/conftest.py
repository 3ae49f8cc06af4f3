"""Archive tests use the core cast only (archivio depends only on pianizona).

Every test writes its files under its own temporary MEDIA_ROOT, so "nothing stored" can be
checked on disk and parallel runs never see each other's files.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archivio import services
from archivio.models import Documento
from pianizona.models import AreaInterventoFnps, AreaUtenzaIstat

from .corpus import PDF


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def file_salvati(media):
    """The files written under the archive's folder so far."""

    def elenco() -> list[Path]:
        cartella = media / "archivio"
        return sorted(p for p in cartella.rglob("*") if p.is_file()) if cartella.exists() else []

    return elenco


@pytest.fixture
def aree(db) -> tuple[AreaInterventoFnps, AreaUtenzaIstat]:
    return (
        AreaInterventoFnps.objects.create(codice=1, nome="Responsabilità familiari"),
        AreaUtenzaIstat.objects.create(codice="FAM", nome="Famiglia e minori"),
    )


def carica(nome: str, contenuto: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(nome, contenuto, content_type="application/octet-stream")


def documento_di(cast, ambito=None, *, titolo="Verbale della conferenza", **extra) -> Documento:
    """A document uploaded by the regional officer (who may upload anywhere in the region)."""
    dati = {
        "categoria": Documento.Categoria.VERBALE,
        "anno": 2025,
        "titolo": titolo,
        **extra,
    }
    return services.documento_crea(
        user=cast.funzionario,
        file=carica("verbale.pdf", PDF),
        regione=cast.regione,
        ambito=ambito,
        **dati,
    )
