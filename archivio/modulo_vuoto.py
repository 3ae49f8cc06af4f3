"""The blank adhesion form in PDF, with the ambito and the Region already written in.

Laid out by WeasyPrint with the plan's print stylesheet and fetcher (our static files only). The
page is public, so the PDF is kept in the cache under the hash of its HTML: a crowd of downloads
lays it out once, and a change of the ambito's data gives a new one.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pianizona.models import Ambito, AreaInterventoFnps, AreaUtenzaIstat
from programmazione.stampa.indirizzi import ORIGINE, STATICO

from .models import FormaGiuridica
from .selectors import informativa_adesioni

DURATA = 24 * 60 * 60


def html_modulo_vuoto(ambito: Ambito) -> str:
    regione, codice = ambito.regione.codice_istat, ambito.codice
    with translation.override("it"):
        return render_to_string(
            "archivio/pdf/modulo_adesione.html",
            {
                "ambito": ambito,
                "statico": STATICO,
                "forme": FormaGiuridica.labels,
                "aree_intervento": list(AreaInterventoFnps.objects.order_by("codice")),
                "aree_utenza": list(AreaUtenzaIstat.objects.order_by("codice")),
                "informativa": informativa_adesioni(ambito),
                "url_modulo": settings.SITE_URL
                + reverse("archivio:adesione", args=[regione, codice]),
                "url_informativa": settings.SITE_URL
                + reverse("archivio:adesione_informativa", args=[regione, codice]),
            },
        )


def pdf_modulo_vuoto(ambito: Ambito) -> bytes:
    html = html_modulo_vuoto(ambito)
    chiave = f"archivio:modulo-vuoto:{hashlib.sha256(html.encode()).hexdigest()}"
    if (conservato := cache.get(chiave)) is not None:
        return conservato
    # WeasyPrint takes over half a second to import: only the process that prints pays for it.
    from weasyprint import HTML

    from programmazione.stampa.risorse import FetcherStatico

    contenuto = HTML(string=html, base_url=f"{ORIGINE}/", url_fetcher=FetcherStatico()).write_pdf()
    cache.set(chiave, contenuto, DURATA)
    return contenuto
