"""E-mails about a yearly report's journey, in Italian, with a link to the monitoring page.

Sent by the worker after the transaction commits (see monitoraggio/fondi/tasks.py): a submission goes
to the Region's officers, an acceptance or a sending back to the district; never to who acted.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse

from pianizona.models import Membership, Ruolo, User

from ..models import TransizioneRendicontazione

OGGETTO = "[Piani di Zona] Rendicontazione {anno} – {ambito}: {evento}"


def _destinatari(transizione: TransizioneRendicontazione) -> list[User]:
    ambito = transizione.rendicontazione.ambito
    if transizione.azione == TransizioneRendicontazione.Azione.INVIO:
        memberships = Membership.objects.filter(
            regione_id=ambito.regione_id, ruolo=Ruolo.FUNZIONARIO
        )
    else:
        memberships = Membership.objects.filter(ambito_id=ambito.pk)
    return list(
        User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)
        .exclude(pk=transizione.utente_id)
        .order_by("email")
    )


def notifica_transizione_rendicontazione_invia(transizione: TransizioneRendicontazione) -> int:
    rendicontazione = transizione.rendicontazione
    indirizzi = sorted({u.email for u in _destinatari(transizione) if u.email})
    if not indirizzi:
        return 0
    url = reverse("monitoraggio:fondi_ambito", args=[rendicontazione.ambito_id])
    testo = render_to_string(
        "monitoraggio/email/transizione_rendicontazione.txt",
        {
            "transizione": transizione,
            "rendicontazione": rendicontazione,
            "url": f"{settings.SITE_URL}{url}?anno={rendicontazione.anno}",
        },
    )
    oggetto = OGGETTO.format(
        anno=rendicontazione.anno,
        ambito=rendicontazione.ambito.nome,
        evento=transizione.get_azione_display(),
    )
    # One message per recipient: nobody sees the others' addresses.
    return send_mass_mail([(oggetto, testo, None, [indirizzo]) for indirizzo in indirizzi])
