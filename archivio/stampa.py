"""The adherents of the Accordo di programma, printed at the end of the plan's PDF."""

from django.template.loader import render_to_string

from pianizona.models import Piano, Versione
from pianizona.registry import SezionePdf

from .selectors import aderenti_del_piano

ANCORA = "aderenti"


def sezione_aderenti(piano: Piano, versione: Versione | None) -> SezionePdf:
    """Printed even when empty: the PDF then says that no organisation has joined yet."""
    html = render_to_string(
        "archivio/pdf/_aderenti.html",
        {
            "aderenti": aderenti_del_piano(piano, versione),
            "versione": versione,
            "ancora": ANCORA,
            "piano": piano,
        },
    )
    return SezionePdf("Enti aderenti all'Accordo di programma", ANCORA, html)
