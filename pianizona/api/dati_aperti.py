"""Open data: per cycle, the datasets of its approved plans (CSV, JSON) with DCAT-AP_IT metadata.

Public pages, no login: every dataset is registered by a phase app (``registra_dataset_aperto``)
and aggregated per ambito at most, so no person's data is ever published.
"""

import io
import json
from datetime import date, datetime

from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from pianizona.esportazioni import scrittore_csv
from pianizona.models import Ciclo, Piano, Transizione
from pianizona.registry import DatasetAperto, dataset_aperti

LICENZA = {
    "nome": "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)",
    "sigla": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.it",
    "uri": "https://creativecommons.org/licenses/by/4.0/",
}
FORMATI = {
    "csv": ("text/csv; charset=utf-8", "CSV"),
    "json": ("application/json", "JSON"),
}
EU = "http://publications.europa.eu/resource/authority"


def _dataset(codice: str) -> DatasetAperto:
    for dataset in dataset_aperti():
        if dataset.codice == codice:
            return dataset
    raise Http404("Dataset non trovato.")


def ultima_approvazione(ciclo: Ciclo) -> datetime | None:
    """When the cycle's published plans last changed: its latest approval."""
    return Transizione.objects.filter(
        piano__ciclo=ciclo,
        piano__stato=Piano.Stato.APPROVATO,
        azione=Transizione.Azione.APPROVAZIONE,
    ).aggregate(ultima=Max("eseguita_il"))["ultima"]


def _modificato(dataset: DatasetAperto, ciclo: Ciclo, approvazione: datetime | None) -> date | None:
    istante = (dataset.modificato(ciclo) if dataset.modificato else None) or approvazione
    return timezone.localdate(istante) if istante else None


def _metadati(request: HttpRequest, ciclo: Ciclo) -> list[dict]:
    """Title, description, publisher, temporal coverage, modified date, licence, distributions."""
    approvazione = ultima_approvazione(ciclo)
    risultato = []
    for dataset in dataset_aperti():
        distribuzioni = []
        for formato, (media, etichetta) in FORMATI.items():
            url = request.build_absolute_uri(
                reverse("opendata_dataset", args=[ciclo.pk, dataset.codice, formato])
            )
            distribuzioni.append(
                {"formato": formato, "etichetta": etichetta, "media": media, "url": url}
            )
        risultato.append(
            {
                "codice": dataset.codice,
                "identificativo": f"pianizona:{ciclo.regione.codice_istat}:{ciclo.pk}:{dataset.codice}",
                "titolo": f"{dataset.titolo} – {ciclo.regione.nome}, {ciclo.nome}",
                "descrizione": dataset.descrizione,
                "colonne": [{"nome": n, "descrizione": d} for n, d in dataset.colonne],
                "modificato": _modificato(dataset, ciclo, approvazione),
                "distribuzioni": distribuzioni,
            }
        )
    return risultato


def _editore(ciclo: Ciclo) -> dict:
    return {
        "@type": ["foaf:Agent", "dcatapit:Agent"],
        "foaf:name": f"Regione {ciclo.regione.nome}",
        "dct:identifier": f"regione:{ciclo.regione.codice_istat}",
    }


def jsonld(request: HttpRequest, ciclo: Ciclo) -> dict:
    """The cycle's catalogue in DCAT-AP_IT terms, as JSON-LD."""
    licenza = {
        "@id": LICENZA["uri"],
        "@type": ["dct:LicenseDocument", "dcatapit:LicenseDocument"],
        "foaf:name": LICENZA["sigla"],
    }
    periodo = {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": {"@value": f"{ciclo.anno_inizio}-01-01", "@type": "xsd:date"},
        "dcat:endDate": {"@value": f"{ciclo.anno_fine}-12-31", "@type": "xsd:date"},
    }
    grafo = []
    for d in _metadati(request, ciclo):
        voce = {
            "@id": request.build_absolute_uri(reverse("opendata_ciclo", args=[ciclo.pk]))
            + f"#{d['codice']}",
            "@type": ["dcat:Dataset", "dcatapit:Dataset"],
            "dct:identifier": d["identificativo"],
            "dct:title": {"@value": d["titolo"], "@language": "it"},
            "dct:description": {"@value": d["descrizione"], "@language": "it"},
            "dct:publisher": _editore(ciclo),
            "dct:rightsHolder": _editore(ciclo),
            "dct:temporal": periodo,
            "dct:language": {"@id": f"{EU}/language/ITA"},
            "dcat:theme": {"@id": f"{EU}/data-theme/SOCI"},
            "dct:accrualPeriodicity": {"@id": f"{EU}/frequency/IRREG"},
            "dcat:keyword": ["piano di zona", "servizi sociali", "ambito territoriale"],
            "dcat:distribution": [
                {
                    "@type": ["dcat:Distribution", "dcatapit:Distribution"],
                    "dct:title": f"{d['titolo']} ({x['etichetta']})",
                    "dcat:accessURL": {"@id": x["url"]},
                    "dcat:downloadURL": {"@id": x["url"]},
                    "dct:format": {"@id": f"{EU}/file-type/{x['etichetta']}"},
                    "dcat:mediaType": x["media"].split(";")[0],
                    "dct:license": licenza,
                }
                for x in d["distribuzioni"]
            ],
        }
        if d["modificato"]:
            voce["dct:modified"] = {"@value": d["modificato"].isoformat(), "@type": "xsd:date"}
        grafo.append(voce)
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcatapit": "http://dati.gov.it/onto/dcatapit#",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@graph": grafo,
    }


@require_GET
def opendata_indice(request: HttpRequest) -> HttpResponse:
    cicli = Ciclo.objects.select_related("regione").order_by("regione__nome", "-anno_inizio")
    return render(request, "pianizona/opendata/indice.html", {"cicli": cicli})


@require_GET
def opendata_ciclo(request: HttpRequest, pk: int) -> HttpResponse:
    ciclo = get_object_or_404(Ciclo.objects.select_related("regione"), pk=pk)
    approvati = Piano.objects.filter(ciclo=ciclo, stato=Piano.Stato.APPROVATO).count()
    contesto = {
        "ciclo": ciclo,
        "datasets": _metadati(request, ciclo),
        "licenza": LICENZA,
        "piani_approvati": approvati,
        "editore": f"Regione {ciclo.regione.nome}",
    }
    return render(request, "pianizona/opendata/ciclo.html", contesto)


@require_GET
def opendata_metadati(request: HttpRequest, pk: int) -> JsonResponse:
    ciclo = get_object_or_404(Ciclo.objects.select_related("regione"), pk=pk)
    response = JsonResponse(jsonld(request, ciclo), json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    return response


def _testo(valore) -> str:
    return "" if valore is None else str(valore)


@require_GET
def opendata_dataset(request: HttpRequest, pk: int, codice: str, formato: str) -> HttpResponse:
    if formato not in FORMATI:
        raise Http404("Formato non disponibile.")
    ciclo = get_object_or_404(Ciclo.objects.select_related("regione"), pk=pk)
    dataset = _dataset(codice)
    righe = dataset.funzione(ciclo)
    nomi = [nome for nome, _ in dataset.colonne]
    nome_file = (
        f"{dataset.codice}-{ciclo.regione.codice_istat}-{ciclo.anno_inizio}-{ciclo.anno_fine}"
    )
    if formato == "csv":
        buffer = io.StringIO()
        scrittore = scrittore_csv(buffer, lineterminator="\r\n")
        scrittore.writerow(nomi)
        scrittore.writerows([_testo(riga.get(n)) for n in nomi] for riga in righe)
        contenuto = buffer.getvalue().encode("utf-8")
    else:
        corpo = {
            "dataset": dataset.codice,
            "titolo": dataset.titolo,
            "ciclo": {"id": ciclo.pk, "nome": ciclo.nome, "regione": ciclo.regione.nome},
            "licenza": LICENZA["uri"],
            "righe": [{n: riga.get(n) for n in nomi} for riga in righe],
        }
        contenuto = json.dumps(corpo, ensure_ascii=False, default=str, indent=1).encode("utf-8")
    response = HttpResponse(contenuto, content_type=FORMATI[formato][0])
    response["Content-Disposition"] = f'attachment; filename="{nome_file}.{formato}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response
