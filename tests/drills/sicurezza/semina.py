"""The demo region with a unique marker in every free-text field, name and file of ambito B's data.

A marker is ``zqb`` and eight hex digits: short, so a PDF never wraps it, and lower-case, so it
also fits an e-mail address. Each one names the row and field it was written to.
"""

import re
import uuid
from collections import deque
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from archivio.demo import pdf_minimo
from archivio.models import Adesione, Documento, VersioneDocumento
from pianizona.demo import DOMINIO, seed_demo
from pianizona.iter.istantanee import istantanea_del_piano
from pianizona.lavori.services import job_crea, job_esegui
from pianizona.models import Ambito, Commento, Modifica, Piano, User, Versione, VoceModifica
from programmazione.lavori import TIPO_PDF_PIANO
from risorse.models import Segnalazione

MARCATORE = re.compile(r"zqb[0-9a-f]{8}", re.IGNORECASE)
APP_DEL_PROGETTO = ("pianizona", "risorse", "programmazione", "monitoraggio", "archivio")
# Public reference data (the region's map) and regional rows: not one district's data.
NON_ATTRAVERSATI = {"pianizona.Comune", "pianizona.User", "pianizona.Regione"}

# Text fields of a district's rows that hold no user-written text, with the reason.
NON_MARCATI: dict[str, str] = {
    "pianizona.Job.tipo": "chiave del tipo di lavoro registrato",
    "pianizona.Job.messaggio": "scritto dal sistema",
    "pianizona.Job.errore": "scritto dal sistema",
    "pianizona.Job.nome_file": "derivato dal codice dell'ambito",
    "pianizona.Job.content_type": "tipo MIME",
    "pianizona.Job.esecuzione": "gettone interno",
    "pianizona.Job.file": "contenuto marcato a parte (il PDF del piano)",
    "pianizona.Job.parametri": "parametri interni",
    "pianizona.Versione.impronta": "impronta SHA-256",
    "pianizona.Versione.contenuto": "rifatto dall'istantanea dei dati marcati",
    "pianizona.Commento.sezione": "chiave di una sezione registrata",
    "pianizona.VoceModifica.tabella": "chiave di una tabella registrata",
    "pianizona.VoceModifica.campo": "chiave di un campo",
    "risorse.Recepimento.importi": "importi",
    "archivio.VersioneDocumento.file": "contenuto marcato a parte (un PDF con il marcatore)",
    "archivio.VersioneDocumento.sha256": "impronta",
    "archivio.VersioneDocumento.content_type": "tipo MIME",
    "archivio.VersioneDocumento.tipo": "formato riconosciuto",
    "archivio.Adesione.modulo": "contenuto marcato a parte (un PDF con il marcatore)",
    "archivio.Adesione.modulo_sha256": "impronta",
    "archivio.Adesione.modulo_content_type": "tipo MIME",
    "archivio.Adesione.ip_impronta": "impronta dell'indirizzo IP",
    "archivio.Adesione.codice_fiscale": "codice con formato verificato",
}


@dataclass
class Semina:
    ambito_a: Ambito
    ambito_b: Ambito
    utenti_a: dict[str, User]
    utenti_b: dict[str, User]
    # marker → "app.Modello.campo#pk" (or "file:…" for file contents)
    marcatori: dict[str, str] = field(default_factory=dict)
    lavoro_a: str = ""
    lavoro_b: str = ""

    def origine(self, marcatore: str) -> str:
        return self.marcatori.get(marcatore.lower(), "?")

    def campi(self) -> set[str]:
        return {o.split("#")[0] for o in self.marcatori.values()}


def _nuovo(semina: Semina, origine: str) -> str:
    marcatore = f"zqb{uuid.uuid4().hex[:8]}"
    semina.marcatori[marcatore] = origine
    return marcatore


def percorso_ambito(modello: type[models.Model]) -> str | None:
    """The shortest chain of foreign keys from a model to Ambito (``piano__ambito``), if any."""
    coda: deque[tuple[type[models.Model], str]] = deque([(modello, "")])
    visti = {modello}
    while coda:
        attuale, percorso = coda.popleft()
        for campo in attuale._meta.concrete_fields:
            if not campo.is_relation or campo.related_model in visti:
                continue
            passo = f"{percorso}__{campo.name}" if percorso else campo.name
            if campo.related_model is Ambito:
                return passo
            if campo.related_model._meta.label in NON_ATTRAVERSATI or passo.count("__") >= 3:
                continue
            visti.add(campo.related_model)
            coda.append((campo.related_model, passo))
    return None


def campi_di_testo(modello: type[models.Model]) -> list[models.Field]:
    tipi = (models.CharField, models.TextField, models.FileField, models.JSONField)
    return [
        c
        for c in modello._meta.concrete_fields
        if isinstance(c, tipi) and not c.choices and not c.unique
    ]


def modelli_del_distretto() -> list[tuple[type[models.Model], str]]:
    """Every model of ours whose rows belong to one ambito (not the ambito or its towns)."""
    trovati = []
    for modello in apps.get_models():
        if modello._meta.app_label not in APP_DEL_PROGETTO or modello is Ambito:
            continue
        if modello._meta.label in NON_ATTRAVERSATI:
            continue
        percorso = percorso_ambito(modello)
        if percorso is not None:
            trovati.append((modello, percorso))
    return trovati


def _testo_marcato(campo: models.Field, vecchio: str, marcatore: str) -> str:
    if isinstance(campo, models.EmailField):
        return f"{marcatore}@example.org"
    testo = f"{marcatore} {vecchio or ''}".strip()
    return testo[: campo.max_length] if campo.max_length else testo


def _righe_mancanti(ambito: Ambito, utenti: dict[str, User], funzionario: User) -> None:
    """Rows the demo leaves empty: a remark, a change in the history, a report to the Region."""
    piano = Piano.objects.filter(ambito=ambito, ciclo__anno_inizio=2025, anno=None).get()
    commento = Commento.objects.create(
        piano=piano, sezione="generale", autore=funzionario, testo="Osservazione del funzionario."
    )
    Commento.objects.create(
        piano=piano,
        sezione="generale",
        autore=utenti["responsabile"],
        risposta_a=commento,
        testo="Risposta dell'ambito.",
    )
    modifica = Modifica.objects.create(
        piano=piano, utente=utenti["operatore"], operazione="Modifica della scheda"
    )
    VoceModifica.objects.create(
        modifica=modifica,
        tabella="schede",
        riga="Scheda di prova",
        campo="titolo",
        tipo=VoceModifica.Tipo.MODIFICA,
        prima="Titolo precedente",
        dopo="Titolo nuovo",
    )
    Segnalazione.objects.create(
        piano=piano,
        nota="Importo da verificare.",
        creata_da=utenti["responsabile"],
        risposta="Importo corretto.",
        chiusa_da=funzionario,
        chiusa_il=timezone.now(),
    )
    # A document deleted with its reason, beside the ones the demo archives.
    documento = Documento.objects.filter(ambito=ambito).order_by("pk").last()
    Documento.objects.filter(pk=documento.pk).update(
        eliminato_il=timezone.now(),
        eliminato_da=utenti["responsabile"],
        motivo_eliminazione="Caricato per errore.",
    )


def _utenti(ambito: Ambito) -> dict[str, User]:
    codice = ambito.codice.lower()
    return {
        "operatore": User.objects.get(email=f"operatore.{codice}@{DOMINIO}"),
        "responsabile": User.objects.get(email=f"responsabile.{codice}@{DOMINIO}"),
    }


def _pdf_del_piano(ambito: Ambito, utente: User) -> str:
    """The PDF of the ambito's current plan, laid out now as the worker would: the job's id."""
    piano = Piano.objects.filter(ambito=ambito, ciclo__anno_inizio=2025, anno=None).get()
    job = job_crea(user=utente, tipo=TIPO_PDF_PIANO, piano=piano, parametri={"versione": None})
    job_esegui(job.pk)
    job.refresh_from_db()
    assert job.file, f"il PDF del piano di {ambito} non è stato generato: {job.errore}"
    return str(job.pk)


def semina_marcatori() -> Semina:
    """Seed the small demo and mark every district-owned text of BA02 (ambito B)."""
    seed_demo(scale="small")
    ambito_a = Ambito.objects.get(codice="BA01")
    ambito_b = Ambito.objects.get(codice="BA02")
    funzionario = User.objects.get(email=f"funzionario@{DOMINIO}")
    semina = Semina(ambito_a, ambito_b, _utenti(ambito_a), _utenti(ambito_b))
    for ambito, utenti in ((ambito_a, semina.utenti_a), (ambito_b, semina.utenti_b)):
        _righe_mancanti(ambito, utenti, funzionario)

    for modello, percorso in modelli_del_distretto():
        campi = [
            c
            for c in campi_di_testo(modello)
            if f"{modello._meta.label}.{c.name}" not in NON_MARCATI
        ]
        if not campi:
            continue
        for riga in modello.objects.filter(**{percorso: ambito_b}):
            for campo in campi:
                origine = f"{modello._meta.label}.{campo.name}#{riga.pk}"
                valore = _testo_marcato(campo, getattr(riga, campo.name), _nuovo(semina, origine))
                setattr(riga, campo.name, valore)
            modello.objects.filter(pk=riga.pk).update(
                **{c.name: getattr(riga, c.name) for c in campi}
            )
    # Names of the people who work only for B.
    solo_b = User.objects.filter(memberships__ambito=ambito_b).exclude(memberships__ambito=ambito_a)
    for utente in solo_b.distinct():
        utente.first_name = _nuovo(semina, f"pianizona.User.first_name#{utente.pk}")
        utente.last_name = _nuovo(semina, f"pianizona.User.last_name#{utente.pk}")
        utente.save(update_fields=["first_name", "last_name"])
    # File contents: every archived document and adhesion form of B is a PDF naming a marker.
    for versione in VersioneDocumento.objects.filter(documento__ambito=ambito_b):
        testo = f"Documento riservato {_nuovo(semina, f'file:VersioneDocumento#{versione.pk}')}"
        versione.file.save("v.pdf", ContentFile(pdf_minimo(testo)), save=True)
    for adesione in Adesione.objects.filter(ambito=ambito_b).exclude(modulo=""):
        testo = f"Modulo di adesione {_nuovo(semina, f'file:Adesione.modulo#{adesione.pk}')}"
        adesione.modulo.save("m.pdf", ContentFile(pdf_minimo(testo)), save=True)
    # Frozen versions read the marked data again, as if the plan had been submitted after editing.
    for versione in Versione.objects.filter(piano__ambito=ambito_b):
        istantanea = istantanea_del_piano(versione.piano)
        Versione.objects.filter(pk=versione.pk).update(
            contenuto=istantanea.as_dict(), impronta=istantanea.impronta()
        )
    semina.lavoro_a = _pdf_del_piano(ambito_a, semina.utenti_a["responsabile"])
    semina.lavoro_b = _pdf_del_piano(ambito_b, semina.utenti_b["responsabile"])
    return semina
