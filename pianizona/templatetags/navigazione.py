"""The header's main menu: the user's work for the role they are working in now.

District users get their ambito, its current plan and the pages phase apps register for an
ambito (monitoring, archive); regional officers their Region's overview, its plans and the pages
registered for a region. Built without queries of its own: the memberships (read once per request
by tenancy) carry the current plan.
"""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from pianizona import registry
from pianizona.accessi.tenancy import piano_corrente
from pianizona.territorio import denominazioni

register = template.Library()


@dataclass(frozen=True)
class Voce:
    testo: str
    url: str
    sezione: bool = False  # also current on the pages below its URL (a plan's sections)

    def corrente(self, percorso: str) -> str:
        """The entry's aria-current: «page» on its own page, «true» below it, else empty."""
        if percorso == self.url:
            return "page"
        if self.sezione and percorso.startswith(self.url):
            return "true"
        return ""


def voci_menu(user, membership) -> list[Voce]:
    """The menu's entries, in order, for a signed-in user working in ``membership``."""
    voci = [Voce("Home", reverse("home"))]
    if membership is not None and membership.ambito_id:
        ambito = membership.ambito
        voci.append(
            Voce(
                denominazioni.denominazione_distretti(ambito).forma("Il mio"),
                reverse("ambito_detail", args=[ambito.pk]),
            )
        )
        piano = piano_corrente(membership)
        if piano is not None:
            voci.append(Voce(piano.titolo, reverse("piano_detail", args=[piano.pk]), True))
        voci += [
            Voce(
                denominazioni.con_denominazione(v.titolo, ambito),
                reverse(v.url_name, args=[ambito.pk]),
                True,
            )
            for v in registry.voci_menu_ambito()
        ]
    elif membership is not None and membership.regione_id:
        regione_id = membership.regione_id
        voci += [
            Voce("Panoramica regionale", reverse("regione_detail", args=[regione_id])),
            Voce("Piani della Regione", reverse("regione_piani", args=[regione_id]), True),
        ]
        voci += [
            Voce(
                denominazioni.con_denominazione(v.titolo, membership.regione),
                reverse(v.url_name, args=[regione_id]),
                True,
            )
            for v in registry.voci_menu_regione()
        ]
    if user.is_staff:
        voci.append(Voce("Amministrazione", reverse("admin:index")))
    # On a phone the header hides the user's name: the profile (and its security) stays here.
    voci.append(Voce("Il mio profilo", reverse("profilo")))
    return voci


@register.inclusion_tag("pianizona/_menu_principale.html", takes_context=True)
def menu_principale(context) -> dict:
    request = context["request"]
    percorso = request.path
    voci = voci_menu(request.user, context.get("membership_attiva"))
    return {"voci": [(voce, voce.corrente(percorso)) for voce in voci]}
