"""Every URL pattern of the urlconf, filled in with the ids of two ambiti's objects (and mixed).

Each placeholder is known by the path segment before it and its name (``schede/<int:pk>`` is a
sheet); a pattern whose placeholder is not in ``VALORI`` makes the drill fail, so a new page is
never left out of the crawl unnoticed.
"""

import itertools
import re
from collections.abc import Callable, Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from archivio.models import Adesione, Documento, VersioneDocumento
from monitoraggio.models import Dichiarazione, Indicatore, Rendicontazione, ValoreIndicatore
from pianizona.models import Ambito, Ciclo, Commento, Job, Piano, Versione
from pianizona.registry import dataset_aperti
from programmazione.models import Narrativa, SchedaIntervento, Sezione, VoceCatalogo
from risorse.models import (
    CriterioRiparto,
    ResiduoEconomia,
    RisorsaAggiuntiva,
    Segnalazione,
    Vincolo,
)

PER_MODELLO = 2  # objects of each kind per ambito: enough to mix parents and children
SEGNAPOSTO = re.compile(r"<(?:(?P<tipo>\w+):)?(?P<nome>\w+)>")
# Regex patterns (no placeholders to fill) and allauth's tokens: nothing of an ambito behind them.
SALTATI = {
    "api/v1/^(?P<resto>[\\s\\S]+)$": "risposta JSON 404 per ogni percorso sconosciuto",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": "chiave firmata di allauth",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": "chiave firmata di allauth",
    "accounts/logout/": "la visita non esce mai dalla sessione",
}


def pattern_dell_urlconf() -> list[str]:
    """Every route of the site as written (``piani/<int:piano_pk>/schede/<int:pk>/``), admin aside."""

    def giro(risolutore: URLResolver, prefisso: str) -> Iterator[str]:
        for voce in risolutore.url_patterns:
            if isinstance(voce, URLResolver):
                yield from giro(voce, prefisso + str(voce.pattern))
            elif isinstance(voce, URLPattern):
                yield prefisso + str(voce.pattern)

    return [p for p in giro(get_resolver(), "") if not p.startswith("admin/")]


def _primi(queryset, n: int = PER_MODELLO) -> list:
    return list(queryset.order_by("pk")[:n])


def _piani(ambito: Ambito) -> list[Piano]:
    """The current plan and the latest approved one of the earlier cycle."""
    piani = Piano.objects.filter(ambito=ambito)
    return [
        piani.filter(ciclo__anno_inizio=2025, anno=None).get(),
        piani.filter(ciclo__anno_inizio=2022, anno=None).get(),
    ]


def _pk(queryset) -> list[int]:
    return [o.pk for o in _primi(queryset)]


def _valori(ambito: Ambito) -> dict[tuple[str, str], Callable[[], list]]:
    piani = Piano.objects.filter(ambito=ambito)
    return {
        ("ambiti", "pk"): lambda: [ambito.pk],
        ("ambiti", "ambito_pk"): lambda: [ambito.pk],
        ("piani", "pk"): lambda: [p.pk for p in _piani(ambito)],
        ("piani", "piano_pk"): lambda: [p.pk for p in _piani(ambito)],
        ("regioni", "pk"): lambda: [ambito.regione_id],
        ("regioni", "regione_pk"): lambda: [ambito.regione_id],
        ("cicli", "pk"): lambda: _pk(Ciclo.objects.filter(regione=ambito.regione_id)),
        ("cicli", "ciclo_pk"): lambda: _pk(Ciclo.objects.filter(regione=ambito.regione_id)),
        ("versioni", "numero"): lambda: sorted(
            set(Versione.objects.filter(piano__in=piani).values_list("numero", flat=True))
        ),
        ("osservazioni", "pk"): lambda: _pk(Commento.objects.filter(piano__in=piani)),
        ("residui", "pk"): lambda: _pk(ResiduoEconomia.objects.filter(piano__in=piani)),
        ("altre", "pk"): lambda: _pk(RisorsaAggiuntiva.objects.filter(piano__in=piani)),
        ("schede", "pk"): lambda: _pk(SchedaIntervento.objects.filter(piano__in=piani)),
        ("nuova", "sezione"): lambda: list(Sezione.values),
        ("narrativa", "capitolo"): lambda: list(Narrativa.Capitolo.values),
        ("catalogo", "pk"): lambda: _pk(VoceCatalogo.objects.all()),
        ("vincoli", "pk"): lambda: _pk(Vincolo.objects.all()),
        ("criteri", "pk"): lambda: _pk(CriterioRiparto.objects.all()),
        ("segnalazioni", "pk"): lambda: _pk(Segnalazione.objects.filter(piano__in=piani)),
        ("rendicontazioni", "pk"): lambda: _pk(Rendicontazione.objects.filter(ambito=ambito)),
        ("indicatori", "indicatore_pk"): lambda: _pk(Indicatore.objects.all()),
        ("sioss", "anno"): lambda: [2024, 2025],
        ("documenti", "pk"): lambda: _pk(Documento.objects.filter(ambito=ambito)),
        ("versioni", "pk"): lambda: _pk(VersioneDocumento.objects.filter(documento__ambito=ambito)),
        ("accordo", "regione"): lambda: [ambito.regione.codice_istat],
        ("accordo", "codice"): lambda: [ambito.codice],
        ("adesioni", "pk"): lambda: _pk(Adesione.objects.filter(ambito=ambito)),
        ("lavori", "pk"): lambda: [str(j.pk) for j in _primi(Job.objects.filter(piano__in=piani))],
        # The open datasets, per cycle and format.
        ("cicli", "codice"): lambda: [d.codice for d in dataset_aperti()],
        ("cicli", "formato"): lambda: ["csv", "json"],
        # The API's detail routes, by resource.
        ("api/v1/regioni", "pk"): lambda: [ambito.regione_id],
        ("api/v1/ambiti", "pk"): lambda: [ambito.pk],
        ("api/v1/cicli", "pk"): lambda: _pk(Ciclo.objects.filter(regione=ambito.regione_id)),
        ("api/v1/piani", "pk"): lambda: [p.pk for p in _piani(ambito)],
        ("api/v1/budget", "pk"): lambda: [p.pk for p in _piani(ambito)],
        ("api/v1/catalogo", "pk"): lambda: _pk(VoceCatalogo.objects.all()),
        ("api/v1/schede", "pk"): lambda: _pk(SchedaIntervento.objects.filter(piano__in=piani)),
        ("api/v1/dichiarazioni", "pk"): lambda: _pk(
            Dichiarazione.objects.filter(rendicontazione__ambito=ambito)
        ),
        ("api/v1/valori-indicatori", "pk"): lambda: _pk(
            ValoreIndicatore.objects.filter(ambito=ambito)
        ),
        ("api/v1/aderenti", "pk"): lambda: _pk(Adesione.objects.filter(ambito=ambito)),
    }


def _linee(ambito: Ambito) -> list[dict]:
    """A fund line of the monitoring pages: year, fund, service objective, FNPS area."""
    righe = Dichiarazione.objects.filter(rendicontazione__ambito=ambito).order_by("pk")
    return [
        {
            "anno": d.anno,
            "fonte": d.fonte_id,
            "obiettivo": d.obiettivo_servizio_id,
            "area": d.area_intervento_id,
        }
        for d in righe[:PER_MODELLO]
    ]


def _chiave(pattern: str, inizio: int, nome: str) -> tuple[str, str]:
    """The segment before a placeholder (the API's resource with its prefix)."""
    prima = [s for s in pattern[:inizio].split("/") if s and "<" not in s]
    segmento = prima[-1] if prima else ""
    if pattern.startswith("api/v1/") and len(prima) == 3:
        segmento = "/".join(prima)
    return segmento, nome


def istanze(pattern: str, ambiti: list[Ambito], estraneo: Ambito | None = None) -> list[str]:
    """The pattern filled in every way the objects of ``ambiti`` allow, parents and children mixed.

    With ``estraneo`` its current plan is also tried as the parent of the others' children
    (``piani/<A's plan>/schede/<B's sheet>/``). Raises KeyError for an unknown placeholder.
    """
    if pattern in SALTATI:
        return []
    segnaposti = list(SEGNAPOSTO.finditer(pattern))
    if not segnaposti:
        return ["/" + pattern]
    nomi = [m["nome"] for m in segnaposti]
    if nomi[-3:] == ["fonte", "obiettivo", "area"]:
        combinazioni = [{"pk": a.pk, **linea} for a in ambiti for linea in _linee(a)]
    else:
        scelte = []
        for m in segnaposti:
            chiave = _chiave(pattern, m.start(), m["nome"])
            valori: list = []
            for ambito in ambiti:
                valori += [v for v in _valori(ambito)[chiave]() if v not in valori]
            if estraneo is not None and chiave == ("piani", "piano_pk") and len(nomi) > 1:
                valori.append(_piani(estraneo)[0].pk)
            scelte.append(valori)
        combinazioni = [dict(zip(nomi, c, strict=True)) for c in itertools.product(*scelte)]
    return ["/" + SEGNAPOSTO.sub(lambda m, c=c: str(c[m["nome"]]), pattern) for c in combinazioni]


def tutte_le_istanze(ambiti: list[Ambito], estraneo: Ambito | None = None) -> tuple[list[str], int]:
    """Every pattern's URLs for these ambiti, and how many patterns were filled in."""
    urls: dict[str, None] = {}
    pattern = pattern_dell_urlconf()
    for p in pattern:
        urls.update(dict.fromkeys(istanze(p, ambiti, estraneo)))
    return list(urls), len(pattern) - len(SALTATI)
