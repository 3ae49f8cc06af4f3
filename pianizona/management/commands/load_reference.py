from django.core.management.base import BaseCommand

from pianizona.territorio.riferimento import aggiorna_riferimenti


class Command(BaseCommand):
    help = (
        "Carica o aggiorna comuni ISTAT (con la popolazione), griglia FNPS, aree, prestazioni SIUSS "
        "e fonti di finanziamento, e riporta i comuni nuovi, soppressi, trasferiti e gli ambiti "
        "la cui composizione è cambiata."
    )

    def handle(self, *args, **options):
        conteggi, rapporto = aggiorna_riferimenti()
        for nome, numero in conteggi.items():
            self.stdout.write(f"{nome}: {numero}")
        for riga in rapporto.righe():
            self.stdout.write(riga)
        self.stdout.write(self.style.SUCCESS("Dati di riferimento caricati."))
