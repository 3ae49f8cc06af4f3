from django import template

from pianizona import testo
from pianizona.lavori.tipi import titolo_tipo
from pianizona.money import format_differenza, format_euro
from pianizona.territorio import denominazioni

register = template.Library()


@register.filter
def euro(value) -> str:
    """``{{ importo|euro }}`` → ``1.234,56 €``."""
    return format_euro(value)


@register.filter
def euro_segno(value) -> str:
    """``{{ differenza|euro_segno }}`` → ``+1.234,56 €`` or ``−1.234,56 €``."""
    return format_differenza(value)


@register.filter
def intero(value) -> str:
    """Whole numbers with Italian thousands separators: ``4052566`` → ``4.052.566``."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".")


@register.filter
def denominazione(oggetto, articolo: str = "") -> str:
    """``{{ ambito|denominazione:"del" }}`` → «del distretto», «dell'ambito territoriale sociale».

    ``oggetto`` is a Regione, an Ambito, a Piano…; ``"plurale"``, ``"i"``, ``"dei"`` give the plural.
    """
    return denominazioni.denominazione_distretti(oggetto).forma(articolo)


@register.filter
def nome_ambito(ambito, articolo: str = "il") -> str:
    """``{{ ambito|nome_ambito:"del" }}`` → «del Distretto di Parma», «dell'Ambito di Bari»."""
    return denominazioni.nome_con_articolo(ambito, articolo)


@register.filter
def parole(modello: str, oggetto) -> str:
    """``{{ pagina.titolo|parole:ambito }}``: ``"Cruscotto {del}"`` → «Cruscotto del distretto»."""
    return denominazioni.con_denominazione(modello, oggetto)


@register.filter
def organo(oggetto, articolo: str = "") -> str:
    """``{{ regione|organo:"dal" }}`` → «dal Coordinamento istituzionale», «dall'Assemblea…»."""
    return denominazioni.organo_approvazione(oggetto).forma(articolo)


@register.filter
def plurale(numero, forme: str) -> str:
    """``{{ n|plurale:"comune,comuni" }}`` → «1 comune», «2 comuni», «1.234 comuni».

    ``{n}`` in the forms places the number: ``{{ n|plurale:"resta {n} riga,restano {n} righe" }}``.
    """
    singolare, _, plurale_ = forme.partition(",")
    return testo.plurale(numero, singolare, plurale_)


@register.filter
def articolo_plurale(parole: str, articolo: str = "i") -> str:
    """``{{ "interventi"|articolo_plurale:"tra i" }}`` → «tra gli interventi»; «tra i servizi»."""
    return testo.articolo_plurale(parole, articolo)


@register.filter
def titolo_lavoro(job) -> str:
    """``{{ job|titolo_lavoro }}`` → ``PDF del piano``: the title its kind was registered with."""
    return titolo_tipo(job.tipo)


_CLASSI_WIDGET = {"checkbox": "form-check-input", "select": "form-select"}


@register.inclusion_tag("pianizona/forms/campo.html")
def campo(field, etichetta_nascosta: bool = False) -> dict:
    """One form field in Bootstrap Italia markup, with errors and help tied to it for screen readers."""
    tipo = getattr(field.field.widget, "input_type", None) or (
        "select" if field.widget_type in ("select", "selectmultiple") else field.widget_type
    )
    descritto_da = []
    if field.help_text:
        descritto_da.append(f"{field.auto_id}_aiuto")
    if field.errors:
        descritto_da.append(f"{field.auto_id}_errori")
    classi = [_CLASSI_WIDGET.get(tipo, "form-control")]
    attrs = {}
    if field.errors:
        classi.append("is-invalid")
        attrs["aria-invalid"] = "true"
    if descritto_da:
        attrs["aria-describedby"] = " ".join(descritto_da)
    esistenti = field.field.widget.attrs.get("class", "").split()
    attrs["class"] = " ".join(dict.fromkeys([*esistenti, *classi]))  # keeps order, drops repeats
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "checkbox": tipo == "checkbox",
        "etichetta_nascosta": etichetta_nascosta,
    }


@register.filter
def markdown_sicuro(testo: str) -> str:
    """``{{ testo|markdown_sicuro }}``: the user's Markdown as sanitised HTML."""
    from django.utils.safestring import mark_safe

    from pianizona.testo import markdown_sicuro as converti

    return mark_safe(converti(testo))  # sanitised by nh3 with an allow-list


@register.inclusion_tag("pianizona/_voce_menu.html", takes_context=True)
def voce_menu(context, url: str, testo: str, attiva: bool = False) -> dict:
    """A side-navigation link, marked current (for eyes and screen readers) on its own page."""
    corrente = context["request"].path == url
    return {"url": url, "testo": testo, "corrente": corrente, "attiva": attiva or corrente}


@register.filter
def cella(riga: dict, colonna) -> str:
    """``{{ riga|cella:colonna }}``: a snapshot cell as the pages show it (money, long text…)."""
    from django.utils.html import linebreaks

    from pianizona.iter.istantanee import Tipo, euro

    valore = riga.get(colonna.nome)
    if valore in (None, ""):
        return ""
    if colonna.tipo == Tipo.EURO:
        return format_euro(euro(valore))
    if colonna.tipo == Tipo.TESTO_LUNGO:
        return markdown_sicuro(valore)
    return linebreaks(valore) if "\n" in str(valore) else str(valore)


@register.filter
def colonne_visibili(tabella) -> list:
    return [c for c in tabella.colonne if not c.interna]


@register.filter
def etichetta_riga(tabella, riga: dict) -> str:
    return tabella.etichetta_riga(riga)


@register.filter
def dict_get(dizionario: dict, chiave):
    return dizionario.get(chiave) if dizionario else None
