"""What the PDF may read: our own static files (stylesheet, vendored fonts) and data: URLs only."""

import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .indirizzi import STATICO


class RisorsaNonConsentita(ValueError):
    pass


class FetcherStatico(URLFetcher):
    """Serves files found by the staticfiles finders and data: URLs; refuses anything else.

    No network, no file: URL, no path outside the static directories, whatever a text contains.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(STATICO):
            raise RisorsaNonConsentita(f"Risorsa esterna non consentita nel PDF: {url}")
        relativo = unquote(urlsplit(url).path).removeprefix("/static/")
        if not relativo or relativo.startswith("/") or ".." in PurePosixPath(relativo).parts:
            raise RisorsaNonConsentita(f"Percorso non consentito nel PDF: {url}")
        try:
            trovato = finders.find(relativo)
        except SuspiciousFileOperation as exc:
            raise RisorsaNonConsentita(f"Percorso non consentito nel PDF: {url}") from exc
        if not trovato:
            raise FileNotFoundError(f"File statico non trovato: {relativo}")
        tipo = mimetypes.guess_type(trovato)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(trovato).read_bytes(), {"Content-Type": tipo})
