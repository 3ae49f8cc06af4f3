"""E-mails to organisations asking to join an Accordo di programma (they have no account)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Adesione

OGGETTO = "[Piani di Zona] Accordo di programma – {ambito}: {evento}"


def _invia(adesione: Adesione, evento: str, template: str) -> int:
    testo = render_to_string(
        template,
        {
            "adesione": adesione,
            "url_modulo": f"{settings.SITE_URL}{reverse('archivio:adesione', args=[adesione.ambito.codice])}",
        },
    )
    oggetto = OGGETTO.format(ambito=adesione.ambito.nome, evento=evento)
    return send_mail(oggetto, testo, None, [adesione.email])


def ricevuta_adesione_invia(adesione: Adesione) -> int:
    return _invia(adesione, "richiesta di adesione ricevuta", "archivio/email/ricevuta.txt")


def esito_adesione_invia(adesione: Adesione) -> int:
    evento = (
        "adesione accettata"
        if adesione.stato == Adesione.Stato.ACCETTATA
        else "adesione non accettata"
    )
    return _invia(adesione, evento, "archivio/email/esito.txt")
