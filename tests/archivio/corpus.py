"""Files for the archive's tests, made on the spot: one valid file per allowed format, and the bad
input every upload must refuse."""

import datetime
import io
import struct
import zipfile
import zlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from PIL import Image

from archivio.demo import pdf_minimo

PDF = pdf_minimo("Delibera di approvazione del Piano sociale di zona")


def p7m(contenuto: bytes = PDF, encoding=serialization.Encoding.DER) -> bytes:
    """A real CAdES-like envelope: ``contenuto`` signed with a throwaway self-signed certificate."""
    chiave = ec.generate_private_key(ec.SECP256R1())
    nome = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Mario Rossi")])
    adesso = datetime.datetime.now(datetime.UTC)
    certificato = (
        x509.CertificateBuilder()
        .subject_name(nome)
        .issuer_name(nome)
        .public_key(chiave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(adesso)
        .not_valid_after(adesso + datetime.timedelta(days=30))
        .sign(chiave, hashes.SHA256())
    )
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(contenuto)
        .add_signer(certificato, chiave, hashes.SHA256())
        .sign(encoding, [pkcs7.PKCS7Options.Binary])
    )


def _zip(voci: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archivio:
        for i, (nome, dati) in enumerate(voci):
            metodo = zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED
            archivio.writestr(nome, dati, compress_type=metodo)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx() -> bytes:
    return _zip([("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", b"<w:document/>")])


def xlsx() -> bytes:
    return _zip([("[Content_Types].xml", CONTENT_TYPES), ("xl/workbook.xml", b"<workbook/>")])


def odt() -> bytes:
    return _zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
        ],
        stored_first=True,
    )


def ods() -> bytes:
    return _zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", b"<office:document-content/>"),
        ],
        stored_first=True,
    )


CSV = b"Comune;Popolazione;Spesa\nBari;315933;1.234,56\nValenzano;18047;98,10\n"


def immagine(formato: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 16), (0, 102, 204)).save(buffer, formato)
    return buffer.getvalue()


PNG = immagine("PNG")
JPEG = immagine("JPEG")

# --- bad input ----------------------------------------------------------------------------------

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def polyglot_png_html() -> bytes:
    """A PNG that decodes as an image and carries an HTML page in a text chunk."""
    dati = b"Comment\x00<html><script>fetch('/admin/')</script></html>"
    chunk = struct.pack(">I", len(dati)) + b"tEXt" + dati
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + dati) & 0xFFFFFFFF)
    return PNG[:33] + chunk + PNG[33:]  # after the signature and the IHDR chunk


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)


def xlsx_bomba() -> bytes:
    """A real XLSX whose sheet expands from a few kilobytes to 30 MB of zeros."""
    return _zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/worksheets/sheet1.xml", b"\x00" * (30 * 1024 * 1024)),
        ]
    )


def docm() -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES.replace(b"/>", b" macroEnabled/>")),
            ("word/document.xml", b"<w:document/>"),
            ("word/vbaProject.bin", b"\x00" * 64),
        ]
    )
