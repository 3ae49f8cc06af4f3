"""Back up and restore: PostgreSQL with pg_dump, MEDIA_ROOT as a tar archive, and a manifest.

A backup is a directory holding ``database.dump`` (pg_dump's custom format), ``media.tar.gz`` and
``manifesto.json``. The manifest is measured in the same snapshot pg_dump reads, so it describes
exactly what was saved; a restore goes into an empty database and is then measured and compared.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import django
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from .manifesto import (
    FORMATO,
    confronta,
    file_media,
    impronte_media,
    manifesto_database,
    sha256_file,
)

NOME_DUMP = "database.dump"
NOME_MEDIA = "media.tar.gz"
NOME_MANIFESTO = "manifesto.json"

__all__ = ["ErroreSalvataggio", "Ripristino", "confronta", "ripristina", "salva", "verifica"]


class ErroreSalvataggio(Exception):
    """A backup or restore that cannot go on; the message tells the operator why, in Italian."""


@dataclass
class Ripristino:
    manifesto: dict
    differenze: list[str]


def _richiede_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise ErroreSalvataggio(
            "Salvataggio e ripristino usano pg_dump e pg_restore: servono PostgreSQL e DATABASE_URL. "
            "Il database SQLite della demo si salva copiando il file var/pianizona.sqlite3."
        )
    try:
        connection.ensure_connection()
    except OperationalError as err:
        raise ErroreSalvataggio(
            f"Impossibile collegarsi al database «{connection.settings_dict['NAME']}» "
            f"(DATABASE_URL): {str(err).strip()}. Per un ripristino va creato vuoto prima "
            "(createdb)."
        ) from err


def ambiente_pg() -> dict[str, str]:
    """The libpq variables for pg_dump/pg_restore, from the same DATABASE_URL Django uses."""
    impostazioni = connection.settings_dict
    valori = {
        "PGHOST": impostazioni.get("HOST"),
        "PGPORT": impostazioni.get("PORT"),
        "PGUSER": impostazioni.get("USER"),
        "PGPASSWORD": impostazioni.get("PASSWORD"),
        "PGDATABASE": impostazioni.get("NAME"),
        "PGSSLMODE": (impostazioni.get("OPTIONS") or {}).get("sslmode"),
    }
    return {**os.environ, **{chiave: str(v) for chiave, v in valori.items() if v}}


def _esegui(comando: list[str]) -> None:
    try:
        esito = subprocess.run(comando, env=ambiente_pg(), capture_output=True, text=True)
    except FileNotFoundError as err:
        raise ErroreSalvataggio(
            f"Programma {comando[0]} non trovato: installare il client di PostgreSQL "
            "(pacchetto postgresql-client) della stessa versione del server, o più recente."
        ) from err
    if esito.returncode != 0:
        raise ErroreSalvataggio(f"{comando[0]} non riuscito: {esito.stderr.strip()}")


class _LettoreConImpronta:
    """Hash a file while tarfile reads it, so each media file is read once."""

    def __init__(self, file: BinaryIO):
        self.file = file
        self.impronta = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        blocco = self.file.read(n)
        self.impronta.update(blocco)
        return blocco


def _archivia_media(radice: Path, archivio: Path) -> dict[str, dict]:
    file: dict[str, dict] = {}
    with tarfile.open(archivio, "w:gz") as tar:
        for relativo, percorso in file_media(radice):
            info = tar.gettarinfo(percorso, arcname=relativo)
            with percorso.open("rb") as sorgente:
                lettore = _LettoreConImpronta(sorgente)
                tar.addfile(info, lettore)
            file[relativo] = {"byte": info.size, "sha256": lettore.impronta.hexdigest()}
    return file


def _versione_server() -> str:
    return ".".join(str(parte) for parte in connection.get_database_version())


def salva(cartella: Path, *, media_root: Path | None = None) -> Path:
    """Write a new backup directory under ``cartella`` and return it."""
    _richiede_postgresql()
    media = Path(media_root or settings.MEDIA_ROOT)
    creato_il = timezone.localtime()
    finale = cartella / f"pianizona-{creato_il:%Y%m%d-%H%M%S}"
    # Built under another name and renamed at the end: a directory with that name is complete.
    parziale = finale.with_name(f"{finale.name}.parziale")
    if finale.exists() or parziale.exists():
        raise ErroreSalvataggio(f"La cartella {finale} esiste già: riprovare tra un secondo.")
    parziale.mkdir(parents=True)
    try:
        # Already connected (above): SET TRANSACTION is the transaction's first statement.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                (istantanea,) = cursor.fetchone()
            # pg_dump reads the snapshot this transaction sees: the manifest and the dump agree.
            _esegui(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={istantanea}",
                    f"--file={parziale / NOME_DUMP}",
                ]
            )
            manifesto = manifesto_database()
        manifesto["file"] = _archivia_media(media, parziale / NOME_MEDIA)
        manifesto = {
            "formato": FORMATO,
            "creato_il": creato_il.isoformat(timespec="seconds"),
            "database": {
                "nome": connection.settings_dict["NAME"],
                "server": f"PostgreSQL {_versione_server()}",
            },
            "django": django.get_version(),
            "media_root": str(media),
            "archivi": {nome: sha256_file(parziale / nome) for nome in (NOME_DUMP, NOME_MEDIA)},
            **manifesto,
        }
        (parziale / NOME_MANIFESTO).write_text(
            json.dumps(manifesto, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        parziale.rename(finale)
    except BaseException:
        shutil.rmtree(parziale, ignore_errors=True)
        raise
    return finale


def leggi_manifesto(cartella: Path, *, controlla_archivi: bool = True) -> dict:
    percorso = cartella / NOME_MANIFESTO
    if not percorso.is_file():
        raise ErroreSalvataggio(
            f"{cartella} non è un salvataggio completo: manca {NOME_MANIFESTO}."
        )
    manifesto = json.loads(percorso.read_text(encoding="utf-8"))
    if manifesto.get("formato") != FORMATO:
        raise ErroreSalvataggio(
            f"Formato del salvataggio {manifesto.get('formato')} non riconosciuto (atteso {FORMATO})."
        )
    if controlla_archivi:
        for nome, atteso in manifesto["archivi"].items():
            if not (cartella / nome).is_file() or sha256_file(cartella / nome) != atteso:
                raise ErroreSalvataggio(
                    f"{nome} manca o non corrisponde al manifesto: salvataggio danneggiato, "
                    "nessun dato è stato ripristinato."
                )
    return manifesto


def tabelle_presenti() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        return cursor.fetchone()[0]


def _svuota(media: Path) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    if media.is_dir():
        for figlio in media.iterdir():
            shutil.rmtree(figlio) if figlio.is_dir() else figlio.unlink()


def verifica(manifesto: dict, *, media_root: Path | None = None) -> list[str]:
    """The current database and MEDIA_ROOT measured and compared with a backup's manifest."""
    _richiede_postgresql()
    with transaction.atomic():
        trovato = manifesto_database()
    trovato["file"] = impronte_media(Path(media_root or settings.MEDIA_ROOT))
    return confronta(manifesto, trovato)


def ripristina(
    cartella: Path, *, forza: bool = False, media_root: Path | None = None
) -> Ripristino:
    """Restore a backup into the (empty) database of DATABASE_URL and MEDIA_ROOT, then verify it."""
    _richiede_postgresql()
    media = Path(media_root or settings.MEDIA_ROOT)
    manifesto = leggi_manifesto(cartella)
    nome = connection.settings_dict["NAME"]
    if not forza:
        if n := tabelle_presenti():
            raise ErroreSalvataggio(
                f"Il database «{nome}» non è vuoto ({n} tabelle): il ripristino si fa in un "
                "database nuovo, per non mescolare i dati. Per cancellarne il contenuto e "
                "ripristinare comunque, usare --force."
            )
        if any(True for _ in file_media(media)):
            raise ErroreSalvataggio(
                f"La cartella dei file {media} non è vuota: il ripristino si fa in una cartella "
                "nuova. Per cancellarne il contenuto e ripristinare comunque, usare --force."
            )
    else:
        _svuota(media)
    connection.close()  # pg_restore works on its own connection; ours reopens on the restored data
    _esegui(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={nome}",
            str(cartella / NOME_DUMP),
        ]
    )
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(cartella / NOME_MEDIA, "r:gz") as tar:
        tar.extractall(media, filter="data")
    return Ripristino(manifesto=manifesto, differenze=verifica(manifesto, media_root=media))
