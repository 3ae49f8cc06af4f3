"""The archive's demo data: documents and adhesions where someone can log in, built once."""

import random
from datetime import date

from django.utils import timezone

from archivio.demo import crea_dati_demo
from archivio.file_sicuri import formato_del_contenuto
from archivio.models import Adesione, Documento, VersioneDocumento

from .utili import aree_di_riferimento


def test_the_demo_builds_documents_and_adhesions_once(cast):
    aree_di_riferimento()
    for _ in range(2):
        crea_dati_demo(cast.regione, [cast.ambito_a, cast.ambito_b], random.Random(1), "small")
    # Only ambito A has a manager in the cast: its four documents, the regional one, five requests.
    assert Documento.objects.filter(ambito=cast.ambito_a).count() == 4
    assert Documento.objects.filter(ambito__isnull=True).count() == 1
    assert not Documento.objects.filter(ambito=cast.ambito_b).exists()
    stati = sorted(Adesione.objects.values_list("stato", flat=True))
    assert stati == ["accettata"] * 3 + ["in_attesa", "revocata"]
    revocata = Adesione.objects.get(stato="revocata")
    assert revocata.motivo_revoca and revocata.revocata_il > revocata.decisa_il
    # Its files are real PDFs that pass the archive's own checks.
    for versione in VersioneDocumento.objects.all():
        with versione.file.open("rb") as f:
            assert formato_del_contenuto(f.read()).tipo == "PDF"


def test_a_demo_built_in_january_has_no_protocol_date_in_the_future(cast, monkeypatch):
    capodanno = date(2026, 1, 2)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: capodanno)
    aree_di_riferimento()
    crea_dati_demo(cast.regione, [cast.ambito_a], random.Random(1), "small")
    date_protocollo = set(Documento.objects.values_list("data_protocollo", flat=True))
    assert date_protocollo == {capodanno}
