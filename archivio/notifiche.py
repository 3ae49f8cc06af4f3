"""E-mails about adhesions to an Accordo di programma: to the organisations (they have no
account) and, when a request arrives, to the ambito's Ufficio di Piano."""

from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse

from pianizona.models import Membership, Ruolo, User

from .models import Adesione

OGGETTO = "[Piani di Zona] Accordo di programma – {ambito}: {evento}"


def _invia(adesione: Adesione, evento: str, template: str) -> int:
    ambito = adesione.ambito
    modulo = reverse("archivio:adesione", args=[ambito.regione.codice_istat, ambito.codice])
    testo = render_to_string(
        template, {"adesione": adesione, "url_modulo": f"{settings.SITE_URL}{modulo}"}
    )
    oggetto = OGGETTO.format(ambito=adesione.ambito.nome, evento=evento)
    return send_mail(oggetto, testo, None, [adesione.email])


def ricevuta_adesione_invia(adesione: Adesione) -> int:
    # Nothing the sender typed goes out (the subject neither): the form is open to anyone.
    return _invia(
        adesione,
        f"richiesta di adesione ricevuta, n. {adesione.ricevuta}",
        "archivio/email/ricevuta.txt",
    )


def esito_adesione_invia(adesione: Adesione) -> int:
    evento = (
        "adesione accettata"
        if adesione.stato == Adesione.Stato.ACCETTATA
        else "adesione non accettata"
    )
    return _invia(adesione, evento, "archivio/email/esito.txt")


def revoca_adesione_invia(adesione: Adesione) -> int:
    return _invia(adesione, "adesione revocata", "archivio/email/revoca.txt")


def _responsabili(adesione: Adesione) -> list[User]:
    """The ambito's managers: they decide on requests (see ``adesioni.adesione_decidi``)."""
    memberships = Membership.objects.filter(ambito_id=adesione.ambito_id, ruolo=Ruolo.RESPONSABILE)
    return list(
        User.objects.filter(pk__in=memberships.values("user_id"), is_active=True).order_by("email")
    )


def avviso_ufficio_invia(adesione: Adesione) -> int:
    """Tell the Ufficio di Piano that a request waits for its decision, with the page's link."""
    indirizzi = sorted({u.email for u in _responsabili(adesione) if u.email})
    if not indirizzi:
        return 0
    url = reverse("archivio:adesione_dettaglio", args=[adesione.pk])
    testo = render_to_string(
        "archivio/email/avviso_ufficio.txt",
        {"adesione": adesione, "url": f"{settings.SITE_URL}{url}"},
    )
    oggetto = OGGETTO.format(
        ambito=adesione.ambito.nome,
        evento=f"nuova richiesta di adesione di {adesione.denominazione}",
    )
    # One message per recipient: nobody sees the others' addresses.
    return send_mass_mail([(oggetto, testo, None, [indirizzo]) for indirizzo in indirizzi])
