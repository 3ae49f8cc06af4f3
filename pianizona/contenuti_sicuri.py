"""What an uploaded file may not carry, whatever the page that receives it.

One mechanism for the archive's documents, the public adhesion form and every spreadsheet import:

- *compressed bombs*: an Office file is a ZIP; a real one expands a few times over, a bomb
  thousands of times. ``zip_controllato`` checks the entries, their declared sizes and ratios,
  then decompresses for real, stopping at the limit (the declared sizes can lie);
- *active content*: a PDF that runs JavaScript, launches a program, submits itself or carries
  attached files, or acts on its own when opened; a DOCX that loads a remote template, object or
  frame, or runs a DDE field; an XLSX linked to other workbooks or running a DDE formula
  (``=cmd|'/c calc'!A0``). ``contenuto_attivo`` refuses them.

Each refusal is a ``ContenutoNonAmmesso`` whose text says why, in Italian.
"""

import io
import logging
import re
import zipfile
from dataclasses import dataclass

from pianizona.dominio import ErroreDominio

logger = logging.getLogger(__name__)


class ContenutoNonAmmesso(ErroreDominio):
    """The file is refused; ``str(err)`` says why, in Italian."""


# --- compressed bombs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LimitiZip:
    decompresso: int  # bytes, all entries together
    voci: int  # entries
    rapporto: int  # decompressed / compressed, for an entry above a megabyte


ZIP_BOMBA = (
    "Il file compresso si espande in modo anomalo (possibile «zip bomb») e non è stato accettato."
)
ZIP_DANNEGGIATO = "Il file compresso è danneggiato o usa una compressione non supportata."
SOGLIA_RAPPORTO = 1_000_000  # small entries may compress very well (an empty sheet's XML)


def zip_controllato(contenuto: bytes, limiti: LimitiZip) -> zipfile.ZipFile:
    """The ZIP, opened, once it is known not to be a bomb; refused otherwise."""
    try:
        archivio = zipfile.ZipFile(io.BytesIO(contenuto))
        voci = archivio.infolist()
        if len(voci) > limiti.voci or sum(v.file_size for v in voci) > limiti.decompresso:
            raise ContenutoNonAmmesso(ZIP_BOMBA)
        for voce in voci:
            if voce.file_size > SOGLIA_RAPPORTO and voce.file_size > limiti.rapporto * max(
                voce.compress_size, 1
            ):
                raise ContenutoNonAmmesso(ZIP_BOMBA)
        letti = 0
        for voce in voci:
            with archivio.open(voce) as flusso:
                while blocco := flusso.read(65536):
                    letti += len(blocco)
                    if letti > limiti.decompresso:
                        raise ContenutoNonAmmesso(ZIP_BOMBA)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise ContenutoNonAmmesso(ZIP_DANNEGGIATO) from exc
    except (OSError, ValueError, RuntimeError) as exc:  # e.g. an encrypted entry, a bad CRC
        raise ContenutoNonAmmesso(ZIP_DANNEGGIATO) from exc
    return archivio


# --- active content -------------------------------------------------------------------------------

PDF_JAVASCRIPT = (
    "Il PDF contiene codice JavaScript, che un lettore di PDF potrebbe eseguire: salvarlo di "
    "nuovo come PDF semplice (ad esempio «Stampa in PDF» o PDF/A) e caricarlo di nuovo."
)
PDF_AZIONI = (
    "Il PDF contiene azioni che avviano programmi, inviano dati o si eseguono da sole "
    "all'apertura: salvarlo di nuovo come PDF semplice (ad esempio PDF/A) e caricarlo di nuovo."
)
PDF_ALLEGATI = (
    "Il PDF contiene file allegati al suo interno, che non sono controllati: caricarli come "
    "documenti separati e salvare il PDF senza allegati."
)
PDF_PASSWORD = (
    "Il PDF è protetto da password e non può essere controllato: caricarlo senza password."
)
PDF_ILLEGGIBILE = "Il PDF è danneggiato e il suo contenuto non può essere controllato."
DOCX_REMOTO = (
    "Il documento carica contenuti da indirizzi esterni (un modello, un oggetto o una pagina "
    "remota): salvarlo senza collegamenti esterni e caricarlo di nuovo."
)
DOCX_DDE = "Il documento contiene un campo DDE, che può avviare programmi: rimuoverlo e caricare di nuovo il file."
XLSX_COLLEGAMENTI = (
    "Il foglio di calcolo è collegato ad altre cartelle di lavoro (collegamenti esterni): "
    "interrompere i collegamenti (in Excel: Dati › Modifica collegamenti › Interrompi) e "
    "caricarlo di nuovo."
)
XLSX_DDE = (
    "Il foglio di calcolo contiene una formula DDE, che può avviare programmi: sostituirla "
    "con il suo valore e caricare di nuovo il file."
)

# Actions a reader runs that reach outside the document.
AZIONI_PERICOLOSE = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
    "/RichMediaExecute",
}
# What /OpenAction and /AA (run on opening, on a page, on a field) may do: move within the file.
AZIONI_AUTOMATICHE_AMMESSE = {"/GoTo"}
CHIAVI_ALLEGATI = {"/EmbeddedFiles", "/EmbeddedFile", "/RichMedia"}
MASSIMO_OGGETTI_PDF = 2_000_000


def contenuto_attivo(contenuto: bytes) -> None:
    """Refuse a PDF, signed PDF, DOCX or XLSX that carries active content; others pass."""
    if contenuto.startswith(b"%PDF-"):
        pdf_attivo(contenuto)
    elif contenuto.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(contenuto)) as archivio:
                ooxml_attivo(archivio)
        except zipfile.BadZipFile as exc:
            raise ContenutoNonAmmesso(ZIP_DANNEGGIATO) from exc
    elif contenuto[:1] == b"\x30":
        _p7m_attivo(contenuto)


def _p7m_attivo(contenuto: bytes) -> None:
    """A signed PDF: the PDF inside the envelope, when it is there in one piece."""
    inizio, fine = contenuto.find(b"%PDF-"), contenuto.rfind(b"%%EOF")
    if inizio < 0 or fine < inizio:
        return
    try:
        pdf_attivo(contenuto[inizio : fine + 5])
    except ContenutoNonAmmesso as exc:
        if str(exc) in (PDF_ILLEGGIBILE, PDF_PASSWORD):
            return  # the content is split in pieces by the envelope: the signature vouches for it
        raise


def pdf_attivo(contenuto: bytes) -> None:
    """Walk every object reachable from the document's root (object streams included)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        lettore = PdfReader(io.BytesIO(contenuto), strict=False)
        if lettore.is_encrypted and not lettore.decrypt(""):
            raise ContenutoNonAmmesso(PDF_PASSWORD)
        _visita_pdf(lettore.trailer.get("/Root"))
    except ContenutoNonAmmesso:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ContenutoNonAmmesso(PDF_ILLEGGIBILE) from exc
    except (RecursionError, OSError, NotImplementedError, AssertionError) as exc:
        logger.info("PDF non controllabile: %s", exc)
        raise ContenutoNonAmmesso(PDF_ILLEGGIBILE) from exc


def _visita_pdf(radice) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    visti: set[tuple[int, int]] = set()
    da_visitare = [radice]
    contati = 0
    while da_visitare:
        oggetto = da_visitare.pop()
        if isinstance(oggetto, IndirectObject):
            chiave = (oggetto.idnum, oggetto.generation)
            if chiave in visti:
                continue
            visti.add(chiave)
            oggetto = oggetto.get_object()
        contati += 1
        if contati > MASSIMO_OGGETTI_PDF:
            raise ContenutoNonAmmesso(PDF_ILLEGGIBILE)
        if isinstance(oggetto, DictionaryObject):
            for nome, valore in oggetto.items():
                if nome in ("/JS", "/JavaScript"):
                    raise ContenutoNonAmmesso(PDF_JAVASCRIPT)
                if nome in CHIAVI_ALLEGATI or (nome == "/Type" and valore in CHIAVI_ALLEGATI):
                    raise ContenutoNonAmmesso(PDF_ALLEGATI)
                if nome == "/S" and valore in AZIONI_PERICOLOSE:
                    raise ContenutoNonAmmesso(
                        PDF_JAVASCRIPT if valore == "/JavaScript" else PDF_AZIONI
                    )
                if nome in ("/OpenAction", "/AA"):
                    _azioni_automatiche(valore, nome)
                if nome != "/Parent":  # the page tree's way up: reached from the root anyway
                    da_visitare.append(valore)
        elif isinstance(oggetto, ArrayObject):
            da_visitare.extend(
                v for v in oggetto if isinstance(v, IndirectObject | DictionaryObject | ArrayObject)
            )


def _azioni_automatiche(valore, nome: str) -> None:
    """/OpenAction may be a destination (open at page 1, fit): fine; an action other than GoTo is
    run with no click. /AA maps triggers to actions: each must be a GoTo."""
    from pypdf.generic import DictionaryObject

    valore = valore.get_object()
    if not isinstance(valore, DictionaryObject):
        return  # a destination array
    azioni = [valore] if nome == "/OpenAction" else [v.get_object() for v in valore.values()]
    for azione in azioni:
        if (
            isinstance(azione, DictionaryObject)
            and azione.get("/S") not in AZIONI_AUTOMATICHE_AMMESSE
        ):
            raise ContenutoNonAmmesso(PDF_AZIONI)


# Relationships that make Word or Excel fetch something from outside when the file opens.
RELAZIONE_ESTERNA = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>", re.IGNORECASE)
TIPI_REMOTI = re.compile(
    rb"/(?:attachedTemplate|oleObject|subDocument|frame|externalLink|externalLinkPath|aFChunk)\"",
    re.IGNORECASE,
)
# A DDE formula calls another program: cmd|'/c calc'!A0, MSEXCEL|'…'!''.
FORMULA_DDE = re.compile(
    rb"<(?:\w+:)?f\b[^>]*>[^<]*?[A-Za-z_][\w.]*\s*\|\s*(?:'|&apos;|[\w.])[^<]*?!", re.IGNORECASE
)
CAMPO_DDE = re.compile(rb"(?:instrText\b[^>]*>|instr=\")\s*DDE(?:AUTO)?\b", re.IGNORECASE)


def ooxml_attivo(archivio: zipfile.ZipFile) -> None:
    """Remote templates and objects in a DOCX, external links and DDE in an XLSX.

    Called after ``zip_controllato`` (or the archive's own checks): the parts read are bounded.
    """
    nomi = archivio.namelist()
    minuscoli = [n.lower() for n in nomi]
    if any(n.startswith("xl/externallinks/") for n in minuscoli):
        raise ContenutoNonAmmesso(XLSX_COLLEGAMENTI)
    for nome, minuscolo in zip(nomi, minuscoli, strict=True):
        if minuscolo.endswith(".rels"):
            for relazione in RELAZIONE_ESTERNA.findall(archivio.read(nome)):
                if b"external" in relazione.lower() and TIPI_REMOTI.search(relazione):
                    raise ContenutoNonAmmesso(
                        XLSX_COLLEGAMENTI if minuscolo.startswith("xl/") else DOCX_REMOTO
                    )
        elif minuscolo.startswith("xl/worksheets/") and minuscolo.endswith(".xml"):
            if FORMULA_DDE.search(archivio.read(nome)):
                raise ContenutoNonAmmesso(XLSX_DDE)
        elif (
            minuscolo.startswith("word/")
            and minuscolo.endswith(".xml")
            and CAMPO_DDE.search(archivio.read(nome))
        ):
            raise ContenutoNonAmmesso(DOCX_DDE)
