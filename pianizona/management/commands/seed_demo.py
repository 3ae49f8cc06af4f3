from django.core.management.base import BaseCommand

from pianizona.demo import DEMO_PASSWORD, demo_logins, demo_presente, seed_demo


class Command(BaseCommand):
    help = (
        "Crea la regione dimostrativa (Puglia: 257 comuni in 45 ambiti), gli utenti di ogni ruolo "
        "e piani in ogni stato. Deterministico e ripetibile senza duplicati."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "full"], default="small")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Non fa nulla se la regione dimostrativa esiste già (usato da `make run`).",
        )
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Non stampa le credenziali."
        )

    def handle(self, *args, scale, seed, if_empty, quiet_logins, **options):
        if if_empty and demo_presente():
            self.stdout.write("Dati dimostrativi già presenti: nessuna modifica.")
        else:
            seed_demo(scale=scale, seed=seed)
            self.stdout.write(
                self.style.SUCCESS(f"Dati dimostrativi creati (scala {scale}, seme {seed}).")
            )
        if quiet_logins:
            return
        self.stdout.write("")
        self.stdout.write(f"Accessi dimostrativi (password per tutti: {DEMO_PASSWORD})")
        for login in demo_logins():
            self.stdout.write(f"  {login.email:<40} {login.ruoli}")
