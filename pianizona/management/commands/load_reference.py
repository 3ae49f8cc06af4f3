from django.core.management.base import BaseCommand

from pianizona.territorio.riferimento import load_reference


class Command(BaseCommand):
    help = "Carica (o aggiorna) comuni ISTAT, griglia FNPS, aree, prestazioni SIUSS e fonti di finanziamento."

    def handle(self, *args, **options):
        for nome, numero in load_reference().items():
            self.stdout.write(f"{nome}: {numero}")
        self.stdout.write(self.style.SUCCESS("Dati di riferimento caricati."))
