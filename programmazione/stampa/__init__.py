"""The plan as a PDF (WeasyPrint), and the PDFs of a cycle's approved plans in one ZIP.

A frozen version is printed from its own body (``Istantanea.from_dict``), so its PDF never changes
after later edits; without a version the live draft is printed, marked as such on every page.
Only ``stampa_del_piano`` imports WeasyPrint (slow to import), and only when it runs.
"""

from .documento import Documento, documento
from .indirizzi import ORIGINE, STATICO
from .lotto import nome_zip, versioni_approvate, zip_dei_piani_approvati
from .piano import PDF, Stampa, nome_file, pdf_del_piano, stampa_del_piano

__all__ = [
    "ORIGINE",
    "PDF",
    "STATICO",
    "Documento",
    "Stampa",
    "documento",
    "nome_file",
    "nome_zip",
    "pdf_del_piano",
    "stampa_del_piano",
    "versioni_approvate",
    "zip_dei_piani_approvati",
]
