"""The API's documentation page: our own, server-rendered from the OpenAPI schema, no JavaScript.

The schema is static for a deploy, so it is generated and shaped for the template once per process:
the page then costs no query of its own. It replaces Swagger UI, which fails axe once drawn (contrast,
buttons holding links, unlabelled selects): interactive tools can load the raw schema instead.
"""

import functools
import re
from dataclasses import dataclass, field

import markdown
import nh3
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

from .paginazione import Paginazione

PROFONDITA_MASSIMA = (
    2  # nested objects shown in the fields' table; deeper ones are named, not expanded
)
METODI = ("get", "post", "put", "patch", "delete")
TIPI = {
    "integer": "intero",
    "number": "numero",
    "string": "stringa",
    "boolean": "booleano",
    "object": "oggetto",
    "array": "elenco",
}
FORMATI = {
    "date-time": "data e ora ISO 8601",
    "date": "data ISO 8601",
    "decimal": "importo decimale",
    "uri": "URL",
    "uuid": "UUID",
}
DOVE = {"query": "query", "path": "percorso", "header": "intestazione", "cookie": "cookie"}
PLURALI = {"intero": "interi", "numero": "numeri", "stringa": "stringhe", "booleano": "booleani"}
TAG_TESTO = {"p", "ul", "ol", "li", "code", "strong", "em", "br"}


@dataclass(frozen=True)
class Parametro:
    nome: str
    dove: str
    tipo: str
    obbligatorio: bool
    descrizione: SafeString


@dataclass(frozen=True)
class Campo:
    nome: str
    tipo: str
    obbligatorio: bool
    descrizione: SafeString


@dataclass(frozen=True)
class Risposta:
    codice: str
    descrizione: str
    schema: str


@dataclass
class Operazione:
    metodo: str
    percorso: str
    ancora: str
    titolo: str
    descrizione: SafeString
    parametri: list[Parametro]
    risposte: list[Risposta]
    forma: str  # what the successful response is, in words
    campi: list[Campo]
    esempio: str  # path and query of the curl example, relative to the API's root


@dataclass
class Gruppo:
    nome: str
    ancora: str
    operazioni: list[Operazione] = field(default_factory=list)


@dataclass
class Documento:
    titolo: str
    versione: str
    descrizione: SafeString
    gruppi: list[Gruppo]
    campi_errore: list[Campo]
    percorsi: list[str]


def markdown_html(testo: str | None) -> SafeString:
    """The schema's Markdown (from our docstrings and help texts) as a few sanitised tags."""
    html = markdown.markdown(testo or "", output_format="html")
    return mark_safe(nh3.clean(html, tags=TAG_TESTO, attributes={}))  # allow-list, no attributes


def _ancora(testo: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", testo.lower()).strip("-")


class _Schema:
    """Reads the generated schema: resolves component references, describes types in Italian."""

    def __init__(self, documento: dict) -> None:
        self.componenti = documento.get("components", {}).get("schemas", {})

    def risolvi(self, schema: dict) -> tuple[str | None, dict]:
        """A schema and the component name it refers to (a lone ``allOf`` included), if any."""
        if "$ref" in schema:
            nome = schema["$ref"].rsplit("/", 1)[-1]
            return nome, self.componenti.get(nome, {})
        if len(schema.get("allOf", [])) == 1 and "$ref" in schema["allOf"][0]:
            nome, risolto = self.risolvi(schema["allOf"][0])
            return nome, {**risolto, **{k: v for k, v in schema.items() if k != "allOf"}}
        return None, schema

    def tipo(self, schema: dict) -> str:
        nome, risolto = self.risolvi(schema)
        if "enum" in risolto:
            testo = f"{TIPI.get(risolto.get('type', 'string'), 'stringa')} tra valori fissi"
        elif risolto.get("type") == "array":
            elemento = self.tipo(risolto.get("items", {}))
            primo, _, resto = elemento.partition(" ")
            plurale = "oggetti" if primo == "oggetto" else PLURALI.get(primo, primo)
            testo = f"elenco di {' '.join(filter(None, [plurale, resto]))}"
        elif risolto.get("type") == "object" or "properties" in risolto:
            testo = f"oggetto {nome}" if nome else "oggetto"
        elif "type" in risolto:
            testo = TIPI.get(risolto["type"], risolto["type"])
            if risolto.get("format") in FORMATI:
                testo += f" ({FORMATI[risolto['format']]})"
        else:
            testo = "qualsiasi valore JSON"
        if risolto.get("nullable"):
            testo += " o null"
        return testo

    def descrizione(self, schema: dict, descrizione: str | None = None) -> SafeString:
        """Title and description; an enum's values when nothing lists them already."""
        _, risolto = self.risolvi(schema)
        testo = descrizione or schema.get("description") or risolto.get("description")
        if not testo and "enum" in risolto:
            testo = "Valori: " + ", ".join(f"`{v}`" for v in risolto["enum"] if v is not None)
        return markdown_html("\n\n".join(p for p in (risolto.get("title"), testo) if p))

    def _oggetto(self, schema: dict) -> tuple[str | None, dict] | None:
        """The object a field holds, directly or as the items of an array; None for a scalar."""
        nome, risolto = self.risolvi(schema)
        if risolto.get("type") == "array":
            return self._oggetto(risolto.get("items", {}))
        if "properties" in risolto:
            return nome, risolto
        return None

    def campi(self, schema: dict, prefisso: str = "", livello: int = 0) -> list[Campo]:
        """The object's fields, then the fields of the objects they hold, two levels at most."""
        _, risolto = self.risolvi(schema)
        obbligatori = set(risolto.get("required", []))
        righe = []
        for nome, figlio in risolto.get("properties", {}).items():
            righe.append(
                Campo(
                    nome=prefisso + nome,
                    tipo=self.tipo(figlio),
                    obbligatorio=nome in obbligatori,
                    descrizione=self.descrizione(figlio),
                )
            )
            oggetto = self._oggetto(figlio)
            if oggetto is not None and livello + 1 < PROFONDITA_MASSIMA:
                _, contenuto = oggetto
                _, diretto = self.risolvi(figlio)
                separatore = "[]." if diretto.get("type") == "array" else "."
                righe += self.campi(contenuto, f"{prefisso}{nome}{separatore}", livello + 1)
        return righe

    def forma(self, schema: dict) -> tuple[SafeString | str, list[Campo]]:
        """The successful response in words, and the fields of what it carries."""
        nome, risolto = self.risolvi(schema)
        proprieta = risolto.get("properties", {})
        if {"count", "results"} <= set(proprieta):
            elemento, _ = self.risolvi(proprieta["results"].get("items", {}))
            return (
                # JSON field names, shown as code: they stay in English whatever the page's language.
                format_html(
                    "Elenco paginato di oggetti {}: <code>count</code>, <code>next</code>, "
                    "<code>previous</code>, <code>results</code>.",
                    elemento,
                ),
                self.campi(proprieta["results"].get("items", {}), "results[].", 0),
            )
        if risolto.get("type") == "array":
            elemento, _ = self.risolvi(risolto.get("items", {}))
            return f"Elenco di oggetti {elemento}.", self.campi(risolto.get("items", {}), "[].")
        if nome:
            return f"Un oggetto {nome}.", self.campi(risolto)
        return f"{self.tipo(risolto).capitalize()}.", self.campi(risolto)


def _tipo_parametro(lettore: _Schema, parametro: dict) -> str:
    schema = parametro.get("schema", {})
    testo = lettore.tipo(schema)
    if "minimum" in schema and "maximum" in schema and schema["maximum"] < 10**6:
        testo += f" da {schema['minimum']} a {schema['maximum']}"
    return testo


def _descrizione_parametro(parametro: dict) -> str:
    if parametro.get("description"):
        return parametro["description"]
    if parametro["in"] == "path":
        return "L'identificativo dell'oggetto."
    return f"Filtra i risultati per `{parametro['name']}`."


def _titolo(metodo: str, operazione: dict) -> str:
    if operazione.get("summary"):
        return operazione["summary"]
    if operazione.get("operationId", "").endswith("_list"):
        return "Elenco"
    if operazione.get("operationId", "").endswith("_retrieve"):
        return "Dettaglio"
    return metodo.upper()


def _esempio(percorso: str, parametri: list[dict]) -> str:
    """The path with its placeholders filled and one filter, if it has any, as a query."""
    relativo = percorso.removeprefix(settings.SPECTACULAR_SETTINGS["SCHEMA_PATH_PREFIX"])
    for p in parametri:
        if p["in"] == "path":
            relativo = relativo.replace("{" + p["name"] + "}", "1")
    filtri = [p for p in parametri if p["in"] == "query" and p["name"] not in ("page", "page_size")]
    # A choice reads best in an example, then an id (any positive integer is a valid one).
    scelte = [
        (p["name"], p["schema"]["enum"][0]) for p in filtri if p.get("schema", {}).get("enum")
    ]
    identificativi = [
        (p["name"], 1)
        for p in filtri
        if p.get("schema", {}).get("type") == "integer"
        and p["schema"].get("maximum", 2**53) >= 2**31
    ]
    for nome, valore in (scelte + identificativi)[:1]:
        relativo += f"?{nome}={valore}"
    return relativo


def _operazione(lettore: _Schema, metodo: str, percorso: str, op: dict) -> Operazione:
    parametri = [
        Parametro(
            nome=p["name"],
            dove=DOVE.get(p["in"], p["in"]),
            tipo=_tipo_parametro(lettore, p),
            obbligatorio=bool(p.get("required")),
            descrizione=lettore.descrizione(p.get("schema", {}), _descrizione_parametro(p)),
        )
        for p in op.get("parameters", [])
    ]
    risposte, forma, campi = [], "", []
    for codice, risposta in sorted(op.get("responses", {}).items()):
        schema = risposta.get("content", {}).get("application/json", {}).get("schema", {})
        nome, _ = lettore.risolvi(schema)
        if codice.startswith("2"):
            forma, campi = lettore.forma(schema)
            descrizione = risposta.get("description") or "Richiesta riuscita."
        else:
            descrizione = risposta.get("description", "")
        risposte.append(Risposta(codice, descrizione, nome or lettore.tipo(schema)))
    return Operazione(
        metodo=metodo.upper(),
        percorso=percorso,
        ancora=_ancora(op.get("operationId") or f"{metodo}-{percorso}"),
        titolo=_titolo(metodo, op),
        descrizione=markdown_html(op.get("description")),
        parametri=parametri,
        risposte=risposte,
        forma=forma,
        campi=campi,
        esempio=_esempio(percorso, op.get("parameters", [])),
    )


def schema_openapi() -> dict:
    """The same document ``/api/v1/schema/`` serves (public, no request-dependent parts)."""
    return SchemaGenerator().get_schema(request=None, public=True)


def costruisci_documento(documento: dict) -> Documento:
    lettore = _Schema(documento)
    gruppi: dict[str, Gruppo] = {}
    for percorso, operazioni in documento.get("paths", {}).items():
        for metodo in METODI:
            if metodo not in operazioni:
                continue
            op = operazioni[metodo]
            tag = (op.get("tags") or ["altro"])[0]
            gruppo = gruppi.setdefault(tag, Gruppo(nome=tag, ancora=f"gruppo-{_ancora(tag)}"))
            gruppo.operazioni.append(_operazione(lettore, metodo, percorso, op))
    info = documento.get("info", {})
    return Documento(
        titolo=info.get("title", "API"),
        versione=info.get("version", ""),
        descrizione=markdown_html(info.get("description")),
        gruppi=sorted(gruppi.values(), key=lambda g: g.nome),
        campi_errore=lettore.campi({"$ref": "#/components/schemas/Errore"}),
        percorsi=list(documento.get("paths", {})),
    )


@functools.cache
def documento_api() -> Documento:
    """Generated once per process: the schema only changes with a deploy."""
    return costruisci_documento(schema_openapi())


@require_GET
def documentazione(request: HttpRequest) -> HttpResponse:
    radice = request.build_absolute_uri(reverse("api:api-root")).rstrip(
        "/"
    )  # the curl examples' base, as the caller reaches this server
    return render(
        request,
        "pianizona/api/documentazione.html",
        {
            "documento": documento_api(),
            "radice": radice,
            "limite_sessione": settings.PIANIZONA_API_LIMITE_SESSIONE,
            "pagina": Paginazione.page_size,
            "pagina_massima": Paginazione.max_page_size,
        },
    )
