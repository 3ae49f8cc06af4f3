"""PostgreSQL restarted under a burst of saves through gunicorn (the production web command).

Six users duplicate an intervention sheet over and over (one sheet, its professional figures,
areas, amounts and a history row, in one transaction) while the cluster stops (fast
shutdown: sessions cut) and starts again. Every answer is a success or the 503 page, never a
500 or a hang; after the restart every request succeeds; each success is in the database once,
and no sheet is half-written.
"""

import re
import secrets
import string
import threading
import time
from dataclasses import dataclass

import requests
from django.db import connections
from django.db.models import Count

from pianizona.models import Modifica
from programmazione.models import SchedaIntervento
from risorse.selectors import anni_del_piano

from .conftest import ambiente_processi, attendi, misura
from .servizi import Gunicorn

UTENTI = 6
FERMO = 2  # seconds the cluster stays down


@dataclass
class Risposta:
    inizio: float
    fine: float
    stato: int  # 0: no answer at all
    scheda: int | None  # the new sheet's id, from the redirect
    testo: str


def test_saves_during_a_postgresql_restart_are_done_once_or_refused_cleanly(demo, pila, tmp_path):
    piano = demo.piano
    origine = (
        SchedaIntervento.objects.filter(piano=piano)
        .annotate(n=Count("allocazioni"))
        .filter(n__gt=0)
        .order_by("pk")
        .first()
    )
    # What a copy brings along (services.scheda_duplica): the figures and the areas, and the
    # amounts of the plan's years if they fit its budget.
    figli = {
        "figure": origine.figure.count(),
        "aree": origine.aree_utenza.count(),
        "allocazioni": origine.allocazioni.filter(anno__in=anni_del_piano(piano)).count(),
    }
    esistenti = set(SchedaIntervento.objects.filter(piano=piano).values_list("pk", flat=True))
    modifiche_prima = Modifica.objects.filter(piano=piano).count()
    sessione = demo.client(demo.operatore).cookies["sessionid"].value
    gettone = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    web = Gunicorn(ambiente_processi(), tmp_path / "gunicorn.log")
    web.avvia()
    url = f"{web.url}/piani/{piano.pk}/schede/{origine.pk}/duplica/"
    risposte: list[Risposta] = []
    basta = threading.Event()

    def utente() -> None:
        client = requests.Session()
        client.cookies.update({"sessionid": sessione, "csrftoken": gettone})
        while not basta.is_set():
            inizio = time.monotonic()
            try:
                r = client.post(
                    url,
                    data={"csrfmiddlewaretoken": gettone},
                    headers={"Referer": url},
                    allow_redirects=False,
                    timeout=30,
                )
                stato, testo, dove = r.status_code, r.text, r.headers.get("Location", "")
            except requests.RequestException as err:
                stato, testo, dove = 0, repr(err), ""
            trovato = re.fullmatch(rf"/piani/{piano.pk}/schede/(\d+)/", dove)
            risposte.append(
                Risposta(
                    inizio,
                    time.monotonic(),
                    stato,
                    int(trovato.group(1)) if trovato else None,
                    testo,
                )
            )
            time.sleep(0.05)

    def riuscite_dopo(istante: float) -> int:
        return sum(1 for r in list(risposte) if r.stato == 302 and r.inizio > istante)

    fili = [threading.Thread(target=utente) for _ in range(UTENTI)]
    try:
        # Every gunicorn worker loads the application on its first request: warm them up.
        for _ in range(3):
            requests.get(f"{web.url}/piani/{piano.pk}/schede/", cookies={"sessionid": sessione})
        for filo in fili:
            filo.start()
        attendi(lambda: riuscite_dopo(0) >= UTENTI, 90, "il primo giro di salvataggi", web.log())
        fermata = time.monotonic()
        pila.postgres.ferma()
        spento = time.monotonic()
        time.sleep(FERMO)
        pila.postgres.avvia()
        riacceso = time.monotonic()
        attendi(lambda: riuscite_dopo(riacceso) >= UTENTI, 90, "i salvataggi dopo il riavvio")
    finally:
        basta.set()
        for filo in fili:
            filo.join(timeout=60)
        web.ferma()
    connections.close_all()  # this process's connection died with the cluster

    riuscite = [r for r in risposte if r.stato == 302 and r.scheda]
    rifiutate = [r for r in risposte if r.stato == 503]
    altre = [r for r in risposte if r not in riuscite and r not in rifiutate]
    assert not altre, [(r.stato, r.testo[:300]) for r in altre[:3]] + [web.log()]
    assert all("Servizio momentaneamente non disponibile" in r.testo for r in rifiutate)
    assert all("Traceback" not in r.testo for r in rifiutate)
    assert rifiutate, "nessuna richiesta è caduta nel fermo: il fermo è troppo breve"
    dopo = [r for r in risposte if r.inizio > riacceso]
    assert dopo and all(r in riuscite for r in dopo), "dopo il riavvio ogni richiesta riesce"
    prima_dopo = min(r.fine for r in riuscite if r.inizio > spento) - riacceso
    lenta = max(r.fine - r.inizio for r in risposte)

    nuove = set(SchedaIntervento.objects.filter(piano=piano).values_list("pk", flat=True))
    nuove -= esistenti
    confermate = [r.scheda for r in riuscite]
    assert len(set(confermate)) == len(confermate)  # each success its own sheet
    assert set(confermate) <= nuove  # every reported success is in the database
    # A save committed just before its connection was cut reports a 503 yet is complete: the
    # page tells the user to check before repeating. Never more of them than refusals.
    salvate_con_errore = len(nuove) - len(confermate)
    assert 0 <= salvate_con_errore <= len(rifiutate)
    incomplete = 0
    for scheda in SchedaIntervento.objects.filter(pk__in=nuove).annotate(
        nf=Count("figure", distinct=True),
        nu=Count("aree_utenza", distinct=True),
        na=Count("allocazioni", distinct=True),
    ):
        completa = (scheda.nf, scheda.nu) == (figli["figure"], figli["aree"]) and (
            scheda.na in (0, figli["allocazioni"])  # amounts come along only if they fit
        )
        incomplete += not completa
    assert incomplete == 0
    storia = Modifica.objects.filter(piano=piano).count() - modifiche_prima
    assert storia == len(nuove)  # one history row per sheet, none for the refused ones

    misura(
        "PostgreSQL riavviato sotto carico: richieste",
        f"{len(risposte)} ({len(riuscite)} riuscite, {len(rifiutate)} pagina 503, "
        f"{len(altre)} altro)",
        "solo 302 o 503",
        not altre,
    )
    interrotte = sum(1 for r in rifiutate if r.inizio < fermata)
    misura(
        "PostgreSQL: salvataggi in corso interrotti dal fermo",
        str(interrotte),
        "pagina 503, nulla scritto a metà",
    )
    misura(
        "PostgreSQL: prima risposta riuscita dopo il riavvio",
        f"{prima_dopo:.1f} s",
        "ogni richiesta dopo il riavvio riesce",
    )
    misura("PostgreSQL: richiesta più lenta", f"{lenta:.1f} s", "< 30 s", lenta < 30)
    misura(
        "PostgreSQL: salvataggi confermati presenti una volta",
        f"{len(set(confermate) & nuove)}/{len(confermate)}",
        "tutti",
        set(confermate) <= nuove,
    )
    misura(
        "PostgreSQL: salvataggi a metà / confermati ma rifiutati",
        f"{incomplete} / {salvate_con_errore}",
        "0 / ≤ rifiutate",
        incomplete == 0,
    )
