"""The PDF document's own address: .invalid is reserved (RFC 2606) and never resolved.

Its stylesheet and fonts are linked under ``STATICO``; the fetcher (``risorse``) maps those URLs to
our static files and refuses every other one.
"""

ORIGINE = "https://pianizona.invalid"
STATICO = f"{ORIGINE}/static/"
