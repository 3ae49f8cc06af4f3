"""Which uploaded files the archive accepts: decided by their content, never by their name.

Allowed: PDF, signed PDF (P7M, DER or base64), ODT/DOCX, ODS/XLSX, CSV, PNG and JPEG. Everything
else — HTML, SVG, executables, macro-enabled Office files, archives of any other kind — is refused
with one Italian message, and so is an allowed format carrying active content or a compressed bomb
(``pianizona.contenuti_sicuri``, shared with the spreadsheet imports). The name the user gave is only shown (after cleaning); the stored name
is ours.
"""

import base64
import binascii
import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from pianizona.contenuti_sicuri import (
    ContenutoNonAmmesso,
    LimitiZip,
    contenuto_attivo,
    zip_controllato,
)

# Office files are ZIPs: a real one expands a few times over, a bomb thousands of times.
ZIP_DECOMPRESSO_MASSIMO = 200 * 1024 * 1024
ZIP_VOCI_MASSIME = 5000
ZIP_RAPPORTO_MASSIMO = 100
LIMITI_ZIP = LimitiZip(ZIP_DECOMPRESSO_MASSIMO, ZIP_VOCI_MASSIME, ZIP_RAPPORTO_MASSIMO)
PIXEL_MASSIMI = 50_000_000

FORMATI_AMMESSI = (
    "PDF, PDF firmato (P7M), documenti ODT e DOCX, fogli di calcolo ODS e XLSX, CSV, "
    "immagini PNG e JPEG"
)


# The upload is refused; ``str(err)`` says why, in Italian. The same class as the shared checks'
# (bombs, active content), so every refusal reaches the page the same way.
FileNonAmmesso = ContenutoNonAmmesso


@dataclass(frozen=True)
class Formato:
    tipo: str  # shown to the user
    content_type: str
    estensioni: tuple[str, ...]  # the first is the one we store under


PDF = Formato("PDF", "application/pdf", (".pdf",))
P7M = Formato("PDF firmato (P7M)", "application/pkcs7-mime", (".p7m",))
DOCX = Formato(
    "Documento DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = Formato(
    "Foglio di calcolo XLSX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
ODT = Formato("Documento ODT", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = Formato("Foglio di calcolo ODS", "application/vnd.oasis.opendocument.spreadsheet", (".ods",))
CSV = Formato("CSV", "text/csv", (".csv",))
PNG = Formato("Immagine PNG", "image/png", (".png",))
JPEG = Formato("Immagine JPEG", "image/jpeg", (".jpg", ".jpeg"))


@dataclass(frozen=True)
class FileVerificato:
    contenuto: bytes
    nome: str  # the user's name, cleaned, for display and for the download
    formato: Formato
    sha256: str

    @property
    def dimensione(self) -> int:
        return len(self.contenuto)

    @property
    def estensione(self) -> str:
        return self.formato.estensioni[0]


# --- names --------------------------------------------------------------------------------------

# Bidirectional overrides and isolates: "fattura\u202efdp.exe" would read as "fatturaexe.pdf".
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def nome_pulito(nome: str) -> str:
    """The name to show: refused if it names a path or hides its extension, otherwise tidied."""
    if BIDI.search(nome):
        raise FileNonAmmesso(
            "Il nome del file contiene caratteri che ne invertono la direzione di lettura e "
            "potrebbero nasconderne l'estensione: rinominalo e caricalo di nuovo."
        )
    if "/" in nome or "\\" in nome or nome.strip().startswith("."):
        raise FileNonAmmesso(
            "Il nome del file non può contenere percorsi di cartelle («/», «\\», «..»): "
            "rinominalo e caricalo di nuovo."
        )
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in nome):
        raise FileNonAmmesso(
            "Il nome del file contiene caratteri di controllo: rinominalo e caricalo di nuovo."
        )
    pulito = " ".join(unicodedata.normalize("NFC", nome).split())
    if not pulito:
        raise FileNonAmmesso("Il file non ha un nome: rinominalo e caricalo di nuovo.")
    radice, punto, estensione = pulito.rpartition(".")
    if len(pulito) > 150:
        pulito = f"{radice[: 140 - len(estensione)]}.{estensione}" if punto else pulito[:150]
    return pulito


def _estensione_coerente(nome: str, formato: Formato) -> str:
    """The shown name with the extension of what the file is; a misleading one is refused."""
    radice, punto, estensione = nome.rpartition(".")
    if not punto or not radice:
        return f"{nome}{formato.estensioni[0]}"
    if f".{estensione.lower()}" not in formato.estensioni:
        raise FileNonAmmesso(
            f"Il nome del file termina in «.{estensione}» ma il contenuto è {_articolo(formato)}: "
            f"rinominalo con l'estensione «{formato.estensioni[0]}» e caricalo di nuovo."
        )
    return nome


def _articolo(formato: Formato) -> str:
    return {"CSV": "un file CSV"}.get(formato.tipo, f"un file {formato.tipo}")


# --- content ------------------------------------------------------------------------------------

MARCATORI_HTML = (
    b"<html",
    b"<script",
    b"<!doctype",
    b"<body",
    b"<iframe",
    b"<object",
    b"<embed",
    b"javascript:",
)
NON_AMMESSO = f"Formato non ammesso. Si possono caricare: {FORMATI_AMMESSI}."
CON_HTML = (
    "Il file contiene codice HTML o script, che potrebbe essere eseguito da un browser: "
    "non è ammesso."
)
SVG = "Le immagini SVG non sono ammesse perché possono contenere script: usa PNG, JPEG o PDF."


def _ha_html(porzione: bytes) -> bool:
    minuscolo = porzione.lower()
    return any(marcatore in minuscolo for marcatore in MARCATORI_HTML)


def _pdf(contenuto: bytes) -> Formato:
    if b"%%EOF" not in contenuto[-1024:]:
        raise FileNonAmmesso(
            "Il file inizia come un PDF ma è incompleto o danneggiato (manca la fine del documento)."
        )
    if _ha_html(contenuto[:1024]):
        raise FileNonAmmesso(CON_HTML)
    return PDF


# The DER encoding of the OID 1.2.840.113549.1.7.2 (PKCS #7 / CMS SignedData).
OID_SIGNED_DATA = bytes.fromhex("06092a864886f70d010702")
PEM = re.compile(rb"-----BEGIN (?:PKCS7|CMS|SIGNED MESSAGE)-----(.+?)-----END", re.DOTALL)
BASE64 = re.compile(rb"[A-Za-z0-9+/=\s]+")


def _lunghezza_der(contenuto: bytes) -> int | None:
    """The total length the outer DER SEQUENCE declares, or None if its header is not DER."""
    if len(contenuto) < 2 or contenuto[0] != 0x30:
        return None
    primo = contenuto[1]
    if primo < 0x80:
        return 2 + primo
    byte_lunghezza = primo & 0x7F
    if not 1 <= byte_lunghezza <= 4 or len(contenuto) < 2 + byte_lunghezza:
        return None
    return 2 + byte_lunghezza + int.from_bytes(contenuto[2 : 2 + byte_lunghezza], "big")


def _der_firmato(contenuto: bytes) -> bool:
    lunghezza = _lunghezza_der(contenuto)
    # Signing tools may pad the file with a few trailing zero bytes after the structure.
    return (
        lunghezza is not None
        and lunghezza <= len(contenuto)
        and not contenuto[lunghezza:].strip(b"\x00\r\n")
        and OID_SIGNED_DATA in contenuto[:64]
    )


def _p7m_testuale(contenuto: bytes) -> bool:
    """A signed file saved as PEM or plain base64 (some signing tools do)."""
    trovato = PEM.search(contenuto[:200_000] if len(contenuto) > 200_000 else contenuto)
    corpo = trovato.group(1) if trovato else contenuto
    if not BASE64.fullmatch(corpo):
        return False
    try:
        return _der_firmato(base64.b64decode(b"".join(corpo.split()), validate=True))
    except (binascii.Error, ValueError):
        return False


def _zip(contenuto: bytes) -> Formato:
    with zip_controllato(contenuto, LIMITI_ZIP) as archivio:
        return _formato_ufficio(archivio, set(archivio.namelist()))


def _formato_ufficio(archivio: zipfile.ZipFile, nomi: set[str]) -> Formato:
    if "mimetype" in nomi:
        tipo = archivio.read("mimetype")[:100].strip()
        if tipo == b"application/vnd.oasis.opendocument.text":
            return ODT
        if tipo == b"application/vnd.oasis.opendocument.spreadsheet":
            return ODS
        raise FileNonAmmesso(NON_AMMESSO)
    if "[Content_Types].xml" not in nomi:
        raise FileNonAmmesso(
            f"Gli archivi compressi (ZIP) non sono ammessi. Si possono caricare: {FORMATI_AMMESSI}."
        )
    tipi = archivio.read("[Content_Types].xml")[:1_000_000].lower()
    if b"macroenabled" in tipi or any(n.lower().endswith("vbaproject.bin") for n in nomi):
        raise FileNonAmmesso(
            "Il documento contiene macro, che possono eseguire codice: salvalo senza macro "
            "(DOCX o XLSX) e caricalo di nuovo."
        )
    if "word/document.xml" in nomi:
        return DOCX
    if "xl/workbook.xml" in nomi:
        return XLSX
    raise FileNonAmmesso(NON_AMMESSO)


def _immagine(contenuto: bytes, formato: Formato) -> Formato:
    # A PNG or JPEG carrying HTML in a chunk or comment is a polyglot a browser might run.
    if _ha_html(contenuto):
        raise FileNonAmmesso(CON_HTML)
    from PIL import Image, UnidentifiedImageError

    atteso = "PNG" if formato is PNG else "JPEG"
    try:
        with Image.open(io.BytesIO(contenuto)) as immagine:
            if immagine.format != atteso:
                raise FileNonAmmesso(NON_AMMESSO)
            larghezza, altezza = immagine.size
            if larghezza * altezza > PIXEL_MASSIMI:
                raise FileNonAmmesso("L'immagine è troppo grande (troppi pixel).")
            immagine.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise FileNonAmmesso(f"L'immagine {atteso} è danneggiata o non leggibile.") from exc
    return formato


def _testo(contenuto: bytes) -> Formato:
    if b"\x00" in contenuto:
        raise FileNonAmmesso(NON_AMMESSO)
    minuscolo = contenuto.lower()
    if b"<svg" in minuscolo:
        raise FileNonAmmesso(SVG)
    if _ha_html(minuscolo) or b"<?xml" in minuscolo:
        raise FileNonAmmesso(CON_HTML)
    try:
        testo = contenuto.decode("utf-8-sig")
    except UnicodeDecodeError:
        testo = contenuto.decode("cp1252", errors="replace")
    if any(unicodedata.category(c) == "Cc" and c not in "\t\r\n" for c in testo):
        raise FileNonAmmesso(NON_AMMESSO)
    campione = testo[:20_000]
    try:
        csv.Sniffer().sniff(campione, delimiters=";,\t|")
    except csv.Error as exc:
        # One column has no delimiter to sniff; anything else that cannot be read is not a CSV.
        if any(d in campione for d in ";,\t|"):
            raise FileNonAmmesso(
                "Il file di testo non è un CSV leggibile (righe con colonne incoerenti)."
            ) from exc
    return CSV


def formato_del_contenuto(contenuto: bytes) -> Formato:
    """What the bytes are, among the allowed formats, without active content (scripts, remote
    templates, external links); anything else raises ``FileNonAmmesso``."""
    formato = _formato(contenuto)
    if formato in (PDF, P7M, DOCX, XLSX):
        contenuto_attivo(contenuto)
    return formato


def _formato(contenuto: bytes) -> Formato:
    if contenuto.startswith(b"%PDF-"):
        return _pdf(contenuto)
    if contenuto.startswith(b"PK\x03\x04"):
        return _zip(contenuto)
    if contenuto.startswith(b"\x89PNG\r\n\x1a\n"):
        return _immagine(contenuto, PNG)
    if contenuto.startswith(b"\xff\xd8\xff"):
        return _immagine(contenuto, JPEG)
    if contenuto[:1] == b"\x30" and _der_firmato(contenuto):
        return P7M
    if _p7m_testuale(contenuto):
        return P7M
    if contenuto.startswith((b"MZ", b"\x7fELF", b"PK", b"Rar!", b"\x1f\x8b", b"7z\xbc\xaf")):
        raise FileNonAmmesso(NON_AMMESSO)
    return _testo(contenuto)


def verifica_file(file: UploadedFile, nome: str | None = None) -> FileVerificato:
    """Read and check an upload; its size is checked before its content is read."""
    nome_mostrato = nome_pulito(nome if nome is not None else (file.name or ""))
    massimo = settings.ARCHIVIO_DIMENSIONE_MASSIMA
    if file.size is not None and file.size > massimo:
        raise FileNonAmmesso(
            f"Il file supera la dimensione massima consentita di {filesizeformat(massimo)}."
        )
    file.seek(0)
    contenuto = file.read(massimo + 1)
    if not contenuto:
        raise FileNonAmmesso("Il file è vuoto.")
    if len(contenuto) > massimo:
        raise FileNonAmmesso(
            f"Il file supera la dimensione massima consentita di {filesizeformat(massimo)}."
        )
    formato = formato_del_contenuto(contenuto)
    return FileVerificato(
        contenuto=contenuto,
        nome=_estensione_coerente(nome_mostrato, formato),
        formato=formato,
        sha256=hashlib.sha256(contenuto).hexdigest(),
    )
