"""A cycle's approved plans, each in its approved version, as one ZIP of PDFs."""

import io
import zipfile
from collections.abc import Callable

from pianizona.models import Ciclo, Piano, Transizione, Versione
from pianizona.testo import plurale

from .piano import stampa_del_piano

Avanza = Callable[[int, str], None]  # (percentage 0–100, Italian message)


def versioni_approvate(ciclo: Ciclo) -> list[tuple[Piano, int | None]]:
    """Every approved plan of the cycle with the pk of the version to print.

    The version its last approval points at, else its latest version; None for an approved plan
    without versions (data older than the workflow): its current content is printed, as a draft.
    """
    piani = list(
        Piano.objects.filter(ciclo=ciclo, stato=Piano.Stato.APPROVATO)
        .select_related("ambito__regione", "ciclo")
        .order_by("ambito__codice", "tipo", "anno")
    )
    approvate: dict[int, int] = {}
    for piano_id, versione_id in (
        Transizione.objects.filter(
            piano__in=piani, azione=Transizione.Azione.APPROVAZIONE, versione__isnull=False
        )
        .order_by("eseguita_il", "pk")
        .values_list("piano_id", "versione_id")
    ):
        approvate[piano_id] = versione_id  # the last one wins
    ultime: dict[int, int] = dict(
        Versione.objects.filter(piano__in=piani).order_by("numero").values_list("piano_id", "pk")
    )
    return [(p, approvate.get(p.pk, ultime.get(p.pk))) for p in piani]


def zip_dei_piani_approvati(ciclo: Ciclo, avanza: Avanza) -> tuple[bytes, int]:
    """The ZIP and how many plans it holds; progress is reported before each plan."""
    elenco = versioni_approvate(ciclo)
    buffer = io.BytesIO()
    # PDF streams are compressed already: stored, not deflated again.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archivio:
        for i, (piano, versione_pk) in enumerate(elenco):
            avanza(i * 100 // len(elenco), f"Piano {i + 1} di {len(elenco)}: {piano.ambito.nome}")
            versione = Versione.objects.get(pk=versione_pk) if versione_pk else None
            stampa = stampa_del_piano(piano, versione)
            archivio.writestr(stampa.nome_file, stampa.contenuto)
    avanza(100, f"Archivio pronto: {plurale(len(elenco), 'piano approvato', 'piani approvati')}.")
    return buffer.getvalue(), len(elenco)


def nome_zip(ciclo: Ciclo) -> str:
    return f"piani-approvati-{ciclo.anno_inizio}-{ciclo.anno_fine}.zip"
