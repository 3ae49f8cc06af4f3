"""Demo data of the archive: a few documents per demo ambito, a regional one, some adhesions.

Idempotent like the rest of the demo: an ambito that already has documents (or an organisation
that already asked) is left as it is.
"""

import hashlib
import random
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum import luhn

from pianizona.models import (
    Ambito,
    AreaInterventoFnps,
    AreaUtenzaIstat,
    Membership,
    Piano,
    Regione,
    Ruolo,
)

from .models import Adesione, Documento, FormaGiuridica, VersioneDocumento


def pdf_minimo(testo: str) -> bytes:
    """A valid one-page PDF showing ``testo`` (ASCII), built by hand with a correct xref table."""
    testo = testo.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    flusso = b"BT /F1 14 Tf 72 770 Td (" + testo + b") Tj ET"
    oggetti = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(flusso) + flusso + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = b"%PDF-1.4\n"
    posizioni = []
    for numero, corpo in enumerate(oggetti, start=1):
        posizioni.append(len(pdf))
        pdf += b"%d 0 obj\n" % numero + corpo + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(oggetti) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % p for p in posizioni)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(oggetti) + 1,
        xref,
    )
    return pdf


DOCUMENTI_AMBITO = [
    (Documento.Categoria.ACCORDO, "Accordo di programma per il Piano sociale di zona 2025–2027"),
    (Documento.Categoria.VERBALE, "Verbale della conferenza dei servizi del 12 marzo"),
    (Documento.Categoria.DELIBERA, "Delibera del Coordinamento istituzionale di approvazione"),
    (Documento.Categoria.MODULISTICA, "Modulo di adesione all'Accordo di programma"),
]
ENTI = [
    ("Cooperativa sociale Il Faro", FormaGiuridica.COOPERATIVA, Adesione.Stato.ACCETTATA),
    ("Associazione Auser Insieme", FormaGiuridica.APS, Adesione.Stato.ACCETTATA),
    ("Fondazione Casa della Carità", FormaGiuridica.FONDAZIONE, Adesione.Stato.ACCETTATA),
    ("Volontari per l'Accoglienza ODV", FormaGiuridica.ODV, Adesione.Stato.IN_ATTESA),
    ("Centro Sportivo Solidale APS", FormaGiuridica.APS, Adesione.Stato.REVOCATA),
]
MOTIVO_REVOCA = "L'ente ha cessato le attività nel territorio dell'ambito."


def _versione(documento: Documento, utente, contenuto: bytes, nome: str) -> None:
    versione = VersioneDocumento(
        documento=documento,
        numero=1,
        nome_originale=nome,
        dimensione=len(contenuto),
        sha256=hashlib.sha256(contenuto).hexdigest(),
        content_type="application/pdf",
        tipo="PDF",
        caricata_da=utente,
    )
    versione.file.save("v.pdf", ContentFile(contenuto), save=False)
    versione.save()


def _codice_fiscale(rng: random.Random) -> str:
    base = f"{rng.randrange(10**6, 10**7):07d}072"  # 072: a real provincial office (Bari)
    return base + luhn.calc_check_digit(base)


def _protocollato(*, month: int, day: int) -> date:
    """A day of this year, never after today: a protocol date is never in the future."""
    oggi = timezone.localdate()
    return min(oggi.replace(month=month, day=day), oggi)


def crea_dati_demo(regione: Regione, ambiti: list[Ambito], rng: random.Random, scale: str) -> None:
    responsabili = {
        m.ambito_id: m.user
        for m in Membership.objects.filter(ambito__in=ambiti, ruolo=Ruolo.RESPONSABILE)
        .select_related("user")
        .order_by("pk")
    }
    funzionario = (
        Membership.objects.filter(regione=regione, ruolo=Ruolo.FUNZIONARIO)
        .select_related("user")
        .first()
    )
    if funzionario is None:
        return
    anno = timezone.localdate().year
    if not Documento.objects.filter(regione=regione, ambito__isnull=True).exists():
        documento = Documento.objects.create(
            regione=regione,
            categoria=Documento.Categoria.REGOLAMENTO,
            anno=anno,
            titolo="Linee guida regionali per la redazione dei Piani sociali di zona",
            descrizione="Indicazioni della Regione sui contenuti e sulla procedura di approvazione.",
            numero_protocollo="AOO_146/0001234",
            data_protocollo=_protocollato(month=1, day=15),
            creato_da=funzionario.user,
        )
        _versione(documento, funzionario.user, pdf_minimo(documento.titolo), "linee-guida.pdf")

    aree = list(AreaInterventoFnps.objects.order_by("codice"))
    utenze = list(AreaUtenzaIstat.objects.order_by("codice"))
    for ambito in ambiti:
        responsabile = responsabili.get(ambito.pk)
        if responsabile is None:
            continue  # demo documents only where someone can log in and see them
        if not Documento.objects.filter(ambito=ambito).exists():
            piano = Piano.objects.filter(ambito=ambito, anno__isnull=True).order_by("-pk").first()
            for numero, (categoria, titolo) in enumerate(DOCUMENTI_AMBITO, start=1):
                documento = Documento.objects.create(
                    regione=regione,
                    ambito=ambito,
                    piano=piano if categoria != Documento.Categoria.MODULISTICA else None,
                    categoria=categoria,
                    anno=anno,
                    titolo=titolo,
                    numero_protocollo=f"{ambito.codice}/{anno}/{100 + numero}",
                    data_protocollo=_protocollato(month=3, day=numero),
                    creato_da=responsabile,
                )
                _versione(documento, responsabile, pdf_minimo(titolo), f"documento-{numero}.pdf")
        for nome, forma, stato in ENTI:
            codice = _codice_fiscale(rng)
            if Adesione.objects.filter(ambito=ambito, denominazione=nome).exists():
                continue
            modulo = pdf_minimo(f"Modulo di adesione - {nome}")
            adesione = Adesione(
                ambito=ambito,
                denominazione=nome,
                forma_giuridica=forma,
                codice_fiscale=codice,
                indirizzo=f"Via Roma {rng.randint(1, 200)}, {ambito.nome.removeprefix('Ambito di ')}",
                referente="Maria Rossi",
                email=f"adesioni+{codice}@ente.example",
                attivita="Servizi di prossimità, sostegno alle famiglie e attività di volontariato.",
                modulo_nome="modulo-adesione.pdf",
                modulo_sha256=hashlib.sha256(modulo).hexdigest(),
                modulo_content_type="application/pdf",
                stato=stato,
                decisa_da=responsabile if stato != Adesione.Stato.IN_ATTESA else None,
                # Decided before the demo plans were frozen, so their PDFs list the adherents.
                decisa_il=timezone.now() - timedelta(days=120)
                if stato != Adesione.Stato.IN_ATTESA
                else None,
                creata_il=timezone.now() - timedelta(days=130),
            )
            if stato == Adesione.Stato.REVOCATA:
                # Revoked after the demo plans were frozen: their PDFs still list it, drafts not.
                adesione.revocata_da = responsabile
                adesione.revocata_il = timezone.now() - timedelta(days=10)
                adesione.motivo_revoca = MOTIVO_REVOCA
            adesione.modulo.save("m.pdf", ContentFile(modulo), save=False)
            adesione.save()
            adesione.aree_intervento.set(rng.sample(aree, min(2, len(aree))))
            adesione.aree_utenza.set(rng.sample(utenze, min(1, len(utenze))))
