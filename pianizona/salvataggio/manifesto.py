"""What a backup promises to bring back, measured the same way on the source and on the restore.

Per table: rows and a fingerprint of their content; per plan: the money each table holds and the
phases' own totals (``registry.totali_dei_piani``); per media file: size and SHA-256; the applied
migrations. Two manifests are compared field by field and every difference is named in Italian.
"""

import hashlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.db.models import DecimalField, ForeignKey, Model, Sum

from pianizona import registry
from pianizona.models import Ambito, Piano
from pianizona.money import format_euro
from pianizona.testo import plurale

FORMATO = 1
BLOCCO = 1024 * 1024


def sha256_file(percorso: Path) -> str:
    impronta = hashlib.sha256()
    with percorso.open("rb") as file:
        while blocco := file.read(BLOCCO):
            impronta.update(blocco)
    return impronta.hexdigest()


def file_media(radice: Path) -> Iterator[tuple[str, Path]]:
    """Every file under MEDIA_ROOT as (path relative to it, with '/', absolute path), sorted."""
    if not radice.is_dir():
        return
    for percorso in sorted(p for p in radice.rglob("*") if p.is_file()):
        yield percorso.relative_to(radice).as_posix(), percorso


def impronte_media(radice: Path) -> dict[str, dict]:
    return {
        relativo: {"byte": percorso.stat().st_size, "sha256": sha256_file(percorso)}
        for relativo, percorso in file_media(radice)
    }


def tabelle() -> dict[str, dict]:
    """Rows and an MD5 of the sorted rows of every table; byte order (C) so no collation matters."""
    risultato = {}
    with connection.cursor() as cursor:
        for nome in sorted(connection.introspection.table_names(cursor)):
            tabella = connection.ops.quote_name(nome)
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' "
                f"ORDER BY t::text COLLATE \"C\"), '')) FROM {tabella} t"
            )
            righe, impronta = cursor.fetchone()
            risultato[nome] = {"righe": righe, "impronta": impronta}
    return risultato


def migrazioni() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{nome}" for app, nome in cursor.fetchall()]


def _percorso_verso(modello: type[Model], destinazione: type[Model]) -> str | None:
    """The lookup from ``modello`` to ``destinazione`` through at most one other foreign key."""
    chiavi = [f for f in modello._meta.fields if isinstance(f, ForeignKey)]
    for campo in chiavi:
        if campo.related_model is destinazione:
            return campo.name
    for campo in chiavi:
        for altro in campo.related_model._meta.fields:
            if isinstance(altro, ForeignKey) and altro.related_model is destinazione:
                return f"{campo.name}__{altro.name}"
    return None


def somme() -> dict[str, dict[str, str]]:
    """Every amount column summed per plan, else per ambito (transfers, declarations), else whole."""
    risultato: dict[str, dict[str, str]] = {}
    for modello in apps.get_models():
        decimali = [f.name for f in modello._meta.fields if isinstance(f, DecimalField)]
        if not decimali:
            continue
        gruppo, etichetta = _percorso_verso(modello, Piano), "piano"
        if gruppo is None:
            gruppo, etichetta = _percorso_verso(modello, Ambito), "ambito"
        righe = modello._default_manager.order_by()
        aggregati = {f"s_{nome}": Sum(nome) for nome in decimali}
        if gruppo:
            valori = list(righe.values(gruppo).annotate(**aggregati))
        else:
            valori = [righe.aggregate(**aggregati)]
        for riga in valori:
            chiave = f"{etichetta} {riga[gruppo]}" if gruppo else "tutto"
            for nome in decimali:
                totale = riga[f"s_{nome}"]
                colonna = risultato.setdefault(f"{modello._meta.label}.{nome}", {})
                colonna[chiave] = str(totale if totale is not None else Decimal("0"))
    return {chiave: dict(sorted(gruppi.items())) for chiave, gruppi in sorted(risultato.items())}


def totali_piani() -> dict[str, dict[str, str]]:
    """The phases' own totals per plan (budget, allocated…), as the regional overview shows them."""
    piani = list(Piano.objects.order_by("pk"))
    return {
        f"piano {pk}": {nome: str(importo) for nome, importo in sorted(importi.items())}
        for pk, importi in sorted(registry.totali_dei_piani(piani).items())
    }


def manifesto_database() -> dict:
    """Everything measured in the database; call inside one transaction for a consistent picture."""
    return {
        "formato": FORMATO,
        "migrazioni": migrazioni(),
        "tabelle": tabelle(),
        "somme": somme(),
        "totali_piani": totali_piani(),
    }


def _euro(testo: str) -> str:
    return format_euro(Decimal(testo))


def confronta(atteso: dict, trovato: dict) -> list[str]:
    """Every difference between two manifests, one Italian sentence each; empty when they agree."""
    differenze: list[str] = []
    if atteso.get("migrazioni") != trovato.get("migrazioni"):
        mancanti = sorted(set(atteso.get("migrazioni", [])) - set(trovato.get("migrazioni", [])))
        in_piu = sorted(set(trovato.get("migrazioni", [])) - set(atteso.get("migrazioni", [])))
        differenze.append(
            f"Migrazioni diverse: mancano {', '.join(mancanti) or 'nessuna'}; "
            f"in più {', '.join(in_piu) or 'nessuna'}."
        )
    tab_attese, tab_trovate = atteso.get("tabelle", {}), trovato.get("tabelle", {})
    for nome in sorted(tab_attese.keys() | tab_trovate.keys()):
        a, t = tab_attese.get(nome), tab_trovate.get(nome)
        if t is None:
            differenze.append(f"Tabella {nome}: manca nel database ripristinato.")
        elif a is None:
            differenze.append(f"Tabella {nome}: non c'era nel salvataggio.")
        elif a["righe"] != t["righe"]:
            differenze.append(
                f"Tabella {nome}: {plurale(a['righe'], 'riga attesa', 'righe attese')}, "
                f"{t['righe']} trovate."
            )
        elif a["impronta"] != t["impronta"]:
            differenze.append(f"Tabella {nome}: stesse righe ({a['righe']}) ma contenuto diverso.")
    for sezione in ("somme", "totali_piani"):
        attese, trovate = atteso.get(sezione, {}), trovato.get(sezione, {})
        for chiave in sorted(attese.keys() | trovate.keys()):
            gruppi_a, gruppi_t = attese.get(chiave, {}), trovate.get(chiave, {})
            for gruppo in sorted(gruppi_a.keys() | gruppi_t.keys()):
                a, t = gruppi_a.get(gruppo, "0"), gruppi_t.get(gruppo, "0")
                if Decimal(a) == Decimal(t):
                    continue
                cosa = (
                    f"Importi {chiave}, {gruppo}"
                    if sezione == "somme"
                    else (f"Totale «{gruppo}» del {chiave}")
                )
                differenze.append(f"{cosa}: attesi {_euro(a)}, trovati {_euro(t)}.")
    file_attesi, file_trovati = atteso.get("file", {}), trovato.get("file", {})
    for nome in sorted(file_attesi.keys() | file_trovati.keys()):
        a, t = file_attesi.get(nome), file_trovati.get(nome)
        if t is None:
            differenze.append(f"File {nome}: manca.")
        elif a is None:
            differenze.append(f"File {nome}: non c'era nel salvataggio.")
        elif a["sha256"] != t["sha256"]:
            differenze.append(f"File {nome}: contenuto diverso (SHA-256).")
    return differenze
