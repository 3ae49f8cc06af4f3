"""Restore a backup into an empty database and MEDIA_ROOT, then check it against its manifest."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pianizona.salvataggio import ErroreSalvataggio, leggi_manifesto, ripristina, verifica


class Command(BaseCommand):
    help = (
        "Ripristina un salvataggio nel database di DATABASE_URL (vuoto) e in MEDIA_ROOT, poi "
        "confronta righe, importi per piano e impronte dei file con il manifesto."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("cartella", type=Path, help="la cartella creata da `salvataggio`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="cancella il contenuto del database e di MEDIA_ROOT prima di ripristinare",
        )
        parser.add_argument(
            "--verifica",
            action="store_true",
            dest="solo_verifica",
            help="non ripristina: confronta soltanto database e file attuali con il manifesto",
        )

    def handle(self, *args, cartella: Path, force: bool, solo_verifica: bool, **options) -> None:
        inizio = time.perf_counter()
        try:
            if solo_verifica:
                manifesto = leggi_manifesto(cartella, controlla_archivi=False)
                differenze = verifica(manifesto)
            else:
                esito = ripristina(cartella, forza=force)
                manifesto, differenze = esito.manifesto, esito.differenze
        except ErroreSalvataggio as err:
            raise CommandError(str(err)) from err
        azione = "Verifica" if solo_verifica else "Ripristino"
        completata = "Verifica completata" if solo_verifica else "Ripristino completato"
        if differenze:
            for differenza in differenze:
                self.stderr.write(f"  {differenza}")
            raise CommandError(
                f"{azione}: {len(differenze)} differenze rispetto al salvataggio del "
                f"{manifesto['creato_il']}."
            )
        righe = sum(t["righe"] for t in manifesto["tabelle"].values())
        self.stdout.write(
            f"{completata} in {time.perf_counter() - inizio:.1f} s: "
            f"{len(manifesto['tabelle'])} tabelle, {righe} righe, {len(manifesto['totali_piani'])} "
            f"piani e {len(manifesto['file'])} file identici al salvataggio del "
            f"{manifesto['creato_il']}."
        )
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                "Il codice ha migrazioni più recenti del salvataggio: eseguire "
                "`manage.py migrate` prima di avviare l'applicazione."
            )
