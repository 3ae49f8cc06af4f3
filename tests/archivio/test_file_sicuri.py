"""What the archive accepts is decided by content: every allowed format passes, the bad input fails."""

import hashlib
import re

import pytest
from cryptography.hazmat.primitives import serialization

from archivio.file_sicuri import FileNonAmmesso, nome_pulito, verifica_file

from . import corpus
from .utili import carica

VALIDI = [
    ("delibera.pdf", corpus.PDF, "PDF", "application/pdf"),
    ("delibera.pdf.p7m", corpus.p7m(), "PDF firmato (P7M)", "application/pkcs7-mime"),
    (
        "delibera-base64.p7m",
        corpus.p7m(encoding=serialization.Encoding.PEM),
        "PDF firmato (P7M)",
        "application/pkcs7-mime",
    ),
    (
        "relazione.docx",
        corpus.docx(),
        "Documento DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("relazione.odt", corpus.odt(), "Documento ODT", "application/vnd.oasis.opendocument.text"),
    (
        "budget.xlsx",
        corpus.xlsx(),
        "Foglio di calcolo XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "budget.ods",
        corpus.ods(),
        "Foglio di calcolo ODS",
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    ("dati.csv", corpus.CSV, "CSV", "text/csv"),
    ("logo.png", corpus.PNG, "Immagine PNG", "image/png"),
    ("foto.jpg", corpus.JPEG, "Immagine JPEG", "image/jpeg"),
]


@pytest.mark.parametrize(("nome", "contenuto", "tipo", "content_type"), VALIDI)
def test_every_allowed_format_is_recognised_by_its_content(
    settings, nome, contenuto, tipo, content_type
):
    verificato = verifica_file(carica(nome, contenuto))
    assert verificato.formato.tipo == tipo
    assert verificato.formato.content_type == content_type
    assert verificato.sha256 == hashlib.sha256(contenuto).hexdigest()
    assert verificato.nome == nome


def test_a_name_without_extension_gets_the_one_of_its_content():
    assert verifica_file(carica("delibera", corpus.PDF)).nome == "delibera.pdf"


RIFIUTATI = [
    ("pagina.pdf", corpus.HTML, "codice HTML o script"),
    ("logo.png", corpus.polyglot_png_html(), "codice HTML o script"),
    ("disegno.svg", corpus.SVG, "SVG non sono ammesse"),
    ("budget.xlsx", corpus.xlsx_bomba(), "zip bomb"),
    ("lettera.docm", corpus.docm(), "contiene macro"),
    ("vuoto.pdf", b"", "Il file è vuoto"),
    ("programma.exe", b"MZ\x90\x00" + b"\x00" * 100, "Formato non ammesso"),
    ("archivio.zip", corpus._zip([("a.txt", b"ciao")]), "archivi compressi (ZIP) non sono ammessi"),
    ("troncato.pdf", corpus.PDF[:-20], "incompleto o danneggiato"),
    ("immagine.png", corpus.PNG[:40], "danneggiata"),
    ("../../x.pdf", corpus.PDF, "percorsi di cartelle"),
    ("..\\x.pdf", corpus.PDF, "percorsi di cartelle"),
    ("fattura\u202efdp.exe", corpus.PDF, "direzione di lettura"),
    ("nota\u2067.pdf", corpus.PDF, "direzione di lettura"),
    ("a\x00b.pdf", corpus.PDF, "caratteri di controllo"),
    ("delibera.exe", corpus.PDF, "termina in «.exe» ma il contenuto è un file PDF"),
    ("dati.csv", corpus.PDF, "termina in «.csv»"),
]


@pytest.mark.parametrize(("nome", "contenuto", "messaggio"), RIFIUTATI)
def test_bad_input_is_refused_with_a_clear_message(nome, contenuto, messaggio):
    with pytest.raises(FileNonAmmesso, match=re.escape(messaggio)):
        verifica_file(carica("x", contenuto), nome=nome)


def test_a_file_one_byte_over_the_limit_is_refused_and_one_at_the_limit_accepted(settings):
    settings.ARCHIVIO_DIMENSIONE_MASSIMA = len(corpus.PDF)
    assert verifica_file(carica("a.pdf", corpus.PDF)).dimensione == len(corpus.PDF)
    with pytest.raises(FileNonAmmesso, match="supera la dimensione massima"):
        verifica_file(carica("a.pdf", corpus.PDF + b"\n"))


def test_a_file_that_lies_about_its_size_is_still_stopped_at_the_limit(settings):
    settings.ARCHIVIO_DIMENSIONE_MASSIMA = 100
    upload = carica("a.csv", b"a;b\n" * 100)
    upload.size = 10  # what a client may claim
    with pytest.raises(FileNonAmmesso, match="supera la dimensione massima"):
        verifica_file(upload)


def test_a_long_name_is_shortened_keeping_its_extension():
    nome = nome_pulito("verbale " * 40 + ".pdf")
    assert len(nome) <= 150
    assert nome.endswith(".pdf")


def test_spaces_in_a_name_are_tidied():
    assert nome_pulito("  Verbale   del   12 marzo.pdf ") == "Verbale del 12 marzo.pdf"
