"""Back up the database and the uploaded files into one directory, with a manifest to verify it."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pianizona.salvataggio import ErroreSalvataggio, leggi_manifesto, salva


class Command(BaseCommand):
    help = (
        "Salva il database PostgreSQL (pg_dump) e i file caricati (MEDIA_ROOT) in una nuova "
        "cartella, con un manifesto di righe, importi per piano e impronte dei file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cartella",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "salvataggi",
            help="dove creare la cartella del salvataggio (predefinita: var/salvataggi)",
        )

    def handle(self, *args, cartella: Path, **options) -> None:
        inizio = time.perf_counter()
        try:
            destinazione = salva(cartella)
        except ErroreSalvataggio as err:
            raise CommandError(str(err)) from err
        manifesto = leggi_manifesto(destinazione, controlla_archivi=False)
        righe = sum(t["righe"] for t in manifesto["tabelle"].values())
        byte = sum(f["byte"] for f in manifesto["file"].values())
        self.stdout.write(
            f"Salvataggio completato in {time.perf_counter() - inizio:.1f} s: "
            f"{len(manifesto['tabelle'])} tabelle, {righe} righe, "
            f"{len(manifesto['file'])} file ({byte} byte)."
        )
        self.stdout.write(str(destinazione))
