"""The backup drill in the suite: a restore equals its source, and the verification sees a change.

Runs the operator's commands (`manage.py salvataggio`, `manage.py ripristino`) on PostgreSQL in
databases of its own, next to the test database. Skipped without PostgreSQL, unless
PIANIZONA_REQUIRE_STACK=1 (CI), which turns the skip into a failure.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from . import salvataggio as drill

pytestmark = pytest.mark.stack


def _mancante() -> str | None:
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return "il database non è PostgreSQL"
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        return "mancano pg_dump e pg_restore"
    try:
        drill.connetti().close()
    except psycopg.OperationalError as err:
        return f"PostgreSQL non raggiungibile ({err})"
    return None


@pytest.fixture(scope="module")
def prova(tmp_path_factory) -> Iterator[tuple[drill.Misure, str, str]]:
    if mancante := _mancante():
        if os.environ.get("PIANIZONA_REQUIRE_STACK") == "1":
            pytest.fail(f"PIANIZONA_REQUIRE_STACK=1 ma {mancante}")
        pytest.skip(f"{mancante}: nessun salvataggio con pg_dump")
    # Names of our own: a drill run from the Makefile may be using the fixed ones.
    sorgente, destinazione = (
        f"{nome}_{os.getpid()}" for nome in (drill.SORGENTE, drill.DESTINAZIONE)
    )
    try:
        misure = drill.esegui(
            tmp_path_factory.mktemp("salvataggio"), sorgente=sorgente, destinazione=destinazione
        )
        yield misure, sorgente, destinazione
    finally:
        for nome in (sorgente, destinazione):
            drill.elimina_database(nome)


def test_a_restore_into_a_fresh_database_equals_its_source(prova):
    misure, _, _ = prova

    assert misure.differenze == [] and misure.differenze_sorgente == []
    # The comparison covered real data: demo plans with money, and the archive's files.
    assert misure.tabelle > 50 and misure.righe > 1000 and misure.piani > 10
    assert misure.file > 5 and misure.byte > 0
    assert "non è vuoto" in misure.rifiuto and "--force" in misure.rifiuto


def test_the_verification_names_a_changed_amount_a_deleted_row_and_a_changed_file(prova):
    misure, _, destinazione = prova
    with drill.connetti(destinazione) as conn:
        piano_id = conn.execute(
            "UPDATE risorse_cofinanziamento SET importo = importo + 1 "
            "WHERE id = (SELECT min(id) FROM risorse_cofinanziamento) RETURNING piano_id"
        ).fetchone()[0]
        conn.execute(
            "DELETE FROM archivio_versionedocumento "
            "WHERE id = (SELECT max(id) FROM archivio_versionedocumento)"
        )
    documento = sorted(p for p in misure.media_ripristino.rglob("*.pdf"))[0]
    documento.write_bytes(documento.read_bytes() + b"\n")

    esito = drill.manage(
        "ripristino",
        "--verifica",
        str(misure.cartella),
        database=destinazione,
        media=misure.media_ripristino,
    )

    differenze = drill.differenze_riportate(esito)
    assert esito.returncode != 0 and "differenze rispetto al salvataggio" in esito.stderr
    assert "Tabella risorse_cofinanziamento: stesse righe" in "\n".join(differenze)
    assert f"Importi risorse.Cofinanziamento.importo, piano {piano_id}: attesi" in "\n".join(
        differenze
    )
    assert f"Totale «budget» del piano {piano_id}" in "\n".join(differenze)
    assert any(d.startswith("Tabella archivio_versionedocumento: ") for d in differenze)
    relativo = documento.relative_to(misure.media_ripristino).as_posix()
    assert f"File {relativo}: contenuto diverso (SHA-256)." in differenze


def test_a_damaged_backup_is_refused_before_anything_is_written(prova, tmp_path):
    misure, _, _ = prova
    copia = tmp_path / "danneggiato"
    shutil.copytree(misure.cartella, copia)
    dump = copia / "database.dump"
    contenuto = bytearray(dump.read_bytes())
    contenuto[len(contenuto) // 2] ^= 0xFF
    dump.write_bytes(bytes(contenuto))
    nuovo = f"{drill.DESTINAZIONE}_{os.getpid()}_danneggiato"
    drill.crea_database(nuovo)
    try:
        esito = drill.manage("ripristino", str(copia), database=nuovo, media=tmp_path / "media")

        assert esito.returncode != 0
        assert "database.dump manca o non corrisponde al manifesto" in esito.stderr
        assert drill.righe_per_tabella(nuovo) == {}
        assert not Path(tmp_path / "media").exists()
    finally:
        drill.elimina_database(nuovo)
