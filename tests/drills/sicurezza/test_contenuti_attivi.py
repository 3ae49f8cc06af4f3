"""Drill: active content is refused in every upload (issue #21, point 8).

PDFs that run JavaScript (also with its names hex-escaped), launch a program, open a web page by
themselves or carry attached files; DOCX files that load a remote template or run a DDE field;
XLSX files linked to other workbooks or running a DDE formula. The archive's document upload and
the public adhesion form refuse them with a clear message and store nothing; the spreadsheet
imports refuse the XLSX ones (``test_importazioni``). A PDF that merely opens at its first page
and a DOCX with a web link are accepted.
"""

import html

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archivio.models import Adesione, Documento
from tests.archivio.utili import dati_adesione, invia_adesione

from .conftest import figura
from .file_ostili import ATTIVI, INNOCUI

_esiti = {"rifiutati": 0, "tentativi": 0}


@pytest.fixture(autouse=True)
def archivio_vuoto(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield tmp_path
    cache.clear()


def _file_salvati(cartella) -> list:
    return (
        [p for p in (cartella / "archivio").rglob("*") if p.is_file()]
        if (cartella / "archivio").exists()
        else []
    )


def _carica(client, cast, nome: str, contenuto: bytes):
    dati = {
        "titolo": "Relazione sociale",
        "categoria": "relazione",
        "anno": "2025",
        "file": SimpleUploadedFile(nome, contenuto, content_type="application/octet-stream"),
    }
    return client.post(reverse("archivio:documento_nuovo", args=[cast.ambito_a.pk]), dati)


def _aderisci(client, cast, nome: str, contenuto: bytes):
    modulo = SimpleUploadedFile(nome, contenuto, content_type="application/pdf")
    return invia_adesione(client, cast.ambito_a, dati_adesione(modulo=modulo))


@pytest.mark.parametrize(("nome", "contenuto", "messaggio"), ATTIVI, ids=[a[0] for a in ATTIVI])
def test_the_archive_refuses_active_content_and_stores_nothing(
    cast, client_for, archivio_vuoto, nome, contenuto, messaggio
):
    risposta = _carica(client_for("responsabile_a"), cast, nome, contenuto)
    _esiti["tentativi"] += 1
    assert risposta.status_code == 400
    assert messaggio in html.unescape(risposta.content.decode())
    assert not Documento.objects.exists() and _file_salvati(archivio_vuoto) == []
    _esiti["rifiutati"] += 1


PDF_ATTIVI = [a for a in ATTIVI if a[0].endswith(".pdf")]


@pytest.mark.parametrize(
    ("nome", "contenuto", "messaggio"), PDF_ATTIVI, ids=[a[0] for a in PDF_ATTIVI]
)
def test_the_public_form_refuses_a_signed_form_with_active_content(
    cast, client, archivio_vuoto, nome, contenuto, messaggio
):
    risposta = _aderisci(client, cast, nome, contenuto)
    _esiti["tentativi"] += 1
    assert risposta.status_code in (200, 400)
    assert messaggio in html.unescape(risposta.content.decode())
    assert not Adesione.objects.exists() and _file_salvati(archivio_vuoto) == []
    _esiti["rifiutati"] += 1


@pytest.mark.parametrize(("nome", "contenuto"), INNOCUI, ids=[i[0] for i in INNOCUI])
def test_harmless_files_of_the_same_kinds_are_accepted(
    cast, client_for, archivio_vuoto, nome, contenuto
):
    risposta = _carica(client_for("responsabile_a"), cast, nome, contenuto)
    assert risposta.status_code == 302
    assert Documento.objects.count() == 1
    figura(
        contenuti_attivi_rifiutati=_esiti["rifiutati"], contenuti_attivi_provati=_esiti["tentativi"]
    )
