"""E-mails about a plan's journey: every transition and every review remark, in Italian, with a link.

Sent by the worker after the transaction commits (see tasks.py); each goes to the people who have
to act next, never to the person who acted.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse

from pianizona.models import Commento, Membership, Piano, Ruolo, Transizione, User

OGGETTO = "[Piani di Zona] {titolo} – {ambito}: {evento}"


def squadra_dell_ambito(piano: Piano) -> list[User]:
    """The district's Ufficio di Piano: operators and managers of the plan's ambito."""
    return _utenti(Membership.objects.filter(ambito_id=piano.ambito_id))


def funzionari_della_regione(piano: Piano) -> list[User]:
    return _utenti(
        Membership.objects.filter(regione_id=piano.ambito.regione_id, ruolo=Ruolo.FUNZIONARIO)
    )


def _utenti(memberships) -> list[User]:
    return list(
        User.objects.filter(pk__in=memberships.values("user_id"), is_active=True).order_by("email")
    )


def _invia(destinatari: list[User], escluso: User | None, oggetto: str, template: str, contesto):
    indirizzi = sorted({u.email for u in destinatari if u != escluso and u.email})
    if not indirizzi:
        return 0
    testo = render_to_string(template, {**contesto, "site_url": settings.SITE_URL})
    # One message per recipient: nobody sees the others' addresses.
    return send_mass_mail([(oggetto, testo, None, [indirizzo]) for indirizzo in indirizzi])


def url_assoluto(nome: str, *args) -> str:
    return f"{settings.SITE_URL}{reverse(nome, args=args)}"


def notifica_transizione_invia(transizione: Transizione) -> int:
    piano = transizione.piano
    if transizione.azione == Transizione.Azione.INVIO:
        destinatari = funzionari_della_regione(piano)
    else:
        destinatari = squadra_dell_ambito(piano)
    oggetto = OGGETTO.format(
        titolo=piano.titolo, ambito=piano.ambito.nome, evento=transizione.get_azione_display()
    )
    contesto = {
        "transizione": transizione,
        "piano": piano,
        "url": url_assoluto("piano_detail", piano.pk),
    }
    return _invia(
        destinatari, transizione.utente, oggetto, "pianizona/email/transizione.txt", contesto
    )


def notifica_commento_invia(commento: Commento) -> int:
    piano = commento.piano
    radice = commento.risposta_a or commento
    if Membership.objects.filter(user=commento.autore, ambito_id=piano.ambito_id).exists():
        # A district reply goes to the officers of the thread, or to all of them if none is left.
        destinatari = [radice.autore] + [r.autore for r in radice.risposte.all()]
        destinatari = [
            u
            for u in destinatari
            if u.is_active
            and u.memberships.filter(
                ruolo=Ruolo.FUNZIONARIO, regione_id=piano.ambito.regione_id
            ).exists()
        ] or funzionari_della_regione(piano)
    else:
        destinatari = squadra_dell_ambito(piano)
    evento = "nuova risposta" if commento.risposta_a_id else "nuova osservazione"
    oggetto = OGGETTO.format(titolo=piano.titolo, ambito=piano.ambito.nome, evento=evento)
    contesto = {
        "commento": commento,
        "piano": piano,
        "evento": evento,
        # The remarks page, at the thread: the plan page has no reply form.
        "url": f"{url_assoluto('piano_commenti', piano.pk)}#commento-{radice.pk}",
    }
    return _invia(destinatari, commento.autore, oggetto, "pianizona/email/commento.txt", contesto)
