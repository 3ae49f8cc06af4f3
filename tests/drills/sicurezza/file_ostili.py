"""Hostile files for the upload drills: compressed bombs, oversized sheets, active content.

Each builder returns the bytes; the lists pair a file with the Italian words its refusal shows.
"""

import io
import zipfile

import openpyxl
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from tests.archivio.corpus import xlsx_bomba


def _xlsx(righe: list[list]) -> bytes:
    libro = openpyxl.Workbook(write_only=True)
    foglio = libro.create_sheet()
    for riga in righe:
        foglio.append(riga)
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()


def _con_voci(contenuto: bytes, voci: dict[str, bytes]) -> bytes:
    """The ZIP with some entries added or replaced."""
    uscita = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(contenuto)) as origine,
        zipfile.ZipFile(uscita, "w", zipfile.ZIP_DEFLATED) as copia,
    ):
        for voce in origine.infolist():
            if voce.filename not in voci:
                copia.writestr(voce, origine.read(voce))
        for nome, dati in voci.items():
            copia.writestr(nome, dati)
    return uscita.getvalue()


def xlsx_troppe_righe(righe: int = 20_001) -> bytes:
    return _xlsx([["anno", "importo"], *([2025, i] for i in range(righe))])


def xlsx_colonna_lontana() -> bytes:
    """One cell in Excel's last column: read naively, every row is 16,384 cells wide."""
    libro = openpyxl.Workbook()
    libro.active["A1"] = "anno"
    libro.active["XFD1"] = "fine"
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()


def xlsx_cella_lunga() -> bytes:
    return _xlsx([["anno", "importo"], [2025, "x" * 10_001]])


def xlsx_collegamento_esterno() -> bytes:
    esterno = (
        b'<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships"/></externalLink>'
    )
    return _con_voci(
        _xlsx([["anno", "importo"], [2025, 1]]), {"xl/externalLinks/externalLink1.xml": esterno}
    )


def xlsx_dde() -> bytes:
    libro = openpyxl.Workbook()
    libro.active.append(["anno", "importo"])
    libro.active.append([2025, "=cmd|' /C calc'!A0"])
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()


def csv_troppe_righe(righe: int = 20_001) -> bytes:
    return b"anno;importo\n" + b"2025;1\n" * righe


def csv_larga() -> bytes:
    return b"anno;importo\n" + b"1;" * 1_000_000 + b"\n"


def csv_cella_lunga() -> bytes:
    return b"anno;importo\n2025;" + b"x" * 10_001 + b"\n"


def oltre_la_dimensione() -> bytes:
    return b"anno;importo\n" + b"2025;1\n" * (5 * 1024 * 1024 // 7 + 1)


# (file name, content, words of the refusal)
PER_LE_IMPORTAZIONI = [
    ("bomba.xlsx", xlsx_bomba(), "zip bomb"),
    ("righe.xlsx", xlsx_troppe_righe(), "righe: dividerlo in più file"),
    ("colonna.xlsx", xlsx_colonna_lontana(), "colonne"),
    ("cella.xlsx", xlsx_cella_lunga(), "10.000 caratteri"),
    ("collegato.xlsx", xlsx_collegamento_esterno(), "collegamenti esterni"),
    ("dde.xlsx", xlsx_dde(), "formula DDE"),
    ("righe.csv", csv_troppe_righe(), "righe: dividerlo in più file"),
    ("larga.csv", csv_larga(), "colonne"),
    ("cella.csv", csv_cella_lunga(), "10.000 caratteri"),
    ("grande.csv", oltre_la_dimensione(), "dimensione massima"),
]


# --- active content in documents ------------------------------------------------------------------


def _pdf(prepara) -> bytes:
    scrittore = PdfWriter()
    scrittore.add_blank_page(width=200, height=200)
    prepara(scrittore)
    uscita = io.BytesIO()
    scrittore.write(uscita)
    return uscita.getvalue()


def _con_javascript(scrittore: PdfWriter) -> None:
    """A document-level script, run on opening: the /Names /JavaScript tree."""
    azione = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('x');"),
        }
    )
    albero = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x"), scrittore._add_object(azione)])}
    )
    scrittore._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): scrittore._add_object(albero)}
    )


def pdf_javascript() -> bytes:
    return _pdf(_con_javascript)


def pdf_javascript_nascosto() -> bytes:
    """The names written with hex escapes (/J#61vaScript): a byte scan misses them, a reader not."""
    contenuto = pdf_javascript()
    return contenuto.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")


def pdf_apertura_che_avvia() -> bytes:
    def prepara(scrittore: PdfWriter) -> None:
        azione = DictionaryObject(
            {
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("cmd.exe"),
            }
        )
        scrittore._root_object[NameObject("/OpenAction")] = scrittore._add_object(azione)

    return _pdf(prepara)


def pdf_apertura_web() -> bytes:
    def prepara(scrittore: PdfWriter) -> None:
        azione = DictionaryObject(
            {
                NameObject("/S"): NameObject("/URI"),
                NameObject("/URI"): TextStringObject("http://esempio.invalid/"),
            }
        )
        scrittore._root_object[NameObject("/OpenAction")] = azione

    return _pdf(prepara)


def pdf_allegato() -> bytes:
    return _pdf(lambda s: s.add_attachment("leggimi.exe", b"MZ\x90\x00"))


def pdf_apertura_innocua() -> bytes:
    """Open at the first page, fitted: what LibreOffice and LaTeX write. Accepted."""

    def prepara(scrittore: PdfWriter) -> None:
        pagina = scrittore.pages[0].indirect_reference
        scrittore._root_object[NameObject("/OpenAction")] = ArrayObject(
            [pagina, NameObject("/Fit")]
        )

    return _pdf(prepara)


def docx_modello_remoto() -> bytes:
    relazioni = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/attachedTemplate" Target="http://esempio.invalid/'
        b'modello.dotm" TargetMode="External"/></Relationships>'
    )
    return _docx({"word/_rels/settings.xml.rels": relazioni, "word/settings.xml": b"<w:settings/>"})


def docx_dde() -> bytes:
    documento = (
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b'<w:body><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DDEAUTO '
        b'c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"</w:instrText></w:r></w:p></w:body>'
        b"</w:document>"
    )
    return _docx({"word/document.xml": documento})


def docx_con_collegamento() -> bytes:
    """A hyperlink to a web page is an external relationship too, and harmless. Accepted."""
    relazioni = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/hyperlink" Target="https://www.esempio.it/" '
        b'TargetMode="External"/></Relationships>'
    )
    return _docx({"word/_rels/document.xml.rels": relazioni})


def _docx(voci: dict[str, bytes]) -> bytes:
    tipi = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"/>'
    )
    base = {"[Content_Types].xml": tipi, "word/document.xml": b"<w:document/>"}
    uscita = io.BytesIO()
    with zipfile.ZipFile(uscita, "w", zipfile.ZIP_DEFLATED) as archivio:
        for nome, dati in {**base, **voci}.items():
            archivio.writestr(nome, dati)
    return uscita.getvalue()


# (file name, content, words of the refusal)
ATTIVI = [
    ("script.pdf", pdf_javascript(), "JavaScript"),
    ("avvio.pdf", pdf_apertura_che_avvia(), "avviano programmi"),
    ("web.pdf", pdf_apertura_web(), "si eseguono da sole"),
    ("allegato.pdf", pdf_allegato(), "file allegati"),
    ("nascosto.pdf", pdf_javascript_nascosto(), "JavaScript"),
    ("modello.docx", docx_modello_remoto(), "indirizzi esterni"),
    ("campo.docx", docx_dde(), "campo DDE"),
    ("collegato.xlsx", xlsx_collegamento_esterno(), "collegamenti esterni"),
    ("dde.xlsx", xlsx_dde(), "formula DDE"),
]
INNOCUI = [
    ("apertura.pdf", pdf_apertura_innocua()),
    ("collegamento.docx", docx_con_collegamento()),
]
