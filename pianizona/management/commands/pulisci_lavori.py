"""Delete the result files of long operations past their retention, and give up stuck jobs."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pianizona.lavori.services import lavori_pulisci


class Command(BaseCommand):
    help = (
        "Elimina i file prodotti dai lavori conclusi da più di N giorni (segnandoli come eliminati) "
        "e annulla i lavori che nessun worker porterà a termine."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--giorni",
            type=int,
            default=settings.PIANIZONA_JOB_CONSERVAZIONE_GIORNI,
            help="giorni di conservazione dei file (predefinito: PIANIZONA_JOB_CONSERVAZIONE_GIORNI)",
        )

    def handle(self, *args, giorni: int, **options) -> None:
        if giorni < 0:
            raise CommandError("--giorni deve essere zero o più.")
        esito = lavori_pulisci(giorni=giorni)
        self.stdout.write(
            f"File eliminati: {esito.file_eliminati}; lavori annullati: {esito.lavori_annullati}."
        )
