"""`python -m tests.drills.carico [--durata 60] [--utenti 20]`: the load drill (make drill-load).

1. The --scale full dataset in PostgreSQL (``pianizona_carico``, built once, cached like the
   bench's), copied into a database of this run, so every run starts from the same data.
2. gunicorn (3 sync workers, as in production's command) and a real Celery worker (2 processes),
   on the drill's settings (tests/drills/carico/impostazioni.py), Redis under a prefix of the run.
3. locust headless: district users browsing, editing allocations, submitting, asking for PDFs;
   regional officers reviewing; one anonymous user on a bare view. Users log in during a warm-up;
   the statistics start once all are in, and the measured part lasts ``--durata`` seconds.
4. The bare view and the heaviest page, each alone at saturation for a few seconds.
5. Figures through tests/drills/figure.py; exit 1 when the promise breaks (rapporto.py), 2 when
   the stack could not be set up. Everything started is stopped, on failure and Ctrl+C too.
"""

import argparse
import json
import math
import os
import shutil
import signal
import sys
import uuid
from pathlib import Path

from tests.drills import figure
from tests.stack.processi import porta_libera

from . import rapporto
from .processi import (
    BIN,
    ErrorePila,
    Pila,
    con_database,
    controlla_redis,
    copia_database,
    crea_database_se_manca,
    elimina_database,
    pulisci_redis,
)
from .saturazione import Saturazione, accedi, satura

RADICE = figure.BASE_DIR
CARTELLA = RADICE / "var" / "carico"
DATABASE = "pianizona_carico"
WORKER_WEB = 3  # as GUNICORN_CMD in the Makefile (production's command)
WORKER_CELERY = 2  # as WORKER_CMD
VELOCITA_INGRESSO = 1.0  # users started per second: each login hashes a password (PBKDF2)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.drills.carico",
        description="Prova di carico su gunicorn + PostgreSQL + Redis + Celery (dataset --scale full).",
    )
    parser.add_argument(
        "--durata",
        type=int,
        default=int(os.environ.get("PIANIZONA_CARICO_DURATA", "60")),
        help="secondi di carico misurato, dopo l'ingresso degli utenti (predefinito 60)",
    )
    parser.add_argument(
        "--utenti",
        type=int,
        default=int(os.environ.get("PIANIZONA_CARICO_UTENTI", "20")),
        help="utenti simultanei in tutto (predefinito 20)",
    )
    parser.add_argument(
        "--funzionari", type=int, default=4, help="funzionari regionali tra gli utenti"
    )
    parser.add_argument(
        "--saturazione", type=int, default=10, help="secondi per ciascuna misura alla saturazione"
    )
    args = parser.parse_args(argv)
    if args.durata < 10 or args.utenti < args.funzionari + 2 or args.saturazione < 1:
        parser.error("servono almeno 10 s, un utente di ambito e la vista nuda oltre ai funzionari")
    return args


def _fermati(segnale: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM too goes through the finally that stops the stack


def _ambiente(database_url: str, redis_url: str, prefisso: str, porta: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "DEBUG")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "tests.drills.carico.impostazioni",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "PIANIZONA_CARICO_PREFISSO": prefisso,
        "MEDIA_ROOT": str(CARTELLA / "media"),
        "STATIC_ROOT": str(CARTELLA / "static"),
        "SITE_URL": f"http://127.0.0.1:{porta}",
        # Notifications are not what is measured, and no mail server runs here.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(RADICE),
    }


def _pagine_fisse(bersagli: dict) -> dict[str, tuple[str | None, str]]:
    """Page type → (who reads it, its address): the candidates for the heaviest page."""
    primo = bersagli["ambiti"][0]
    responsabile = primo["utenti"][0]
    funzionario = bersagli["funzionario"]
    pagine = {nome: (responsabile, url) for nome, url in primo["pagine"].items()}
    pagine["scheda"] = (responsabile, primo["schede"][0])
    pagine |= {nome: (funzionario["utente"], url) for nome, url in funzionario["pagine"].items()}
    pagine["piano (regione)"] = (funzionario["utente"], funzionario["piani"][0])
    pagine["login: pagina"] = (None, bersagli["login"])
    return pagine


def corsa(args: argparse.Namespace, pila: Pila, base_url: str, redis_url: str) -> int:
    CARTELLA.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(CARTELLA / "media", ignore_errors=True)  # the PDFs of an earlier run
    bersagli_json = CARTELLA / "bersagli.json"
    print(f"Dataset --scale full in {DATABASE} (costruito una volta sola)…", flush=True)
    crea_database_se_manca(base_url, DATABASE)
    pila.esegui(
        "dataset",
        [
            str(BIN / "python"),
            "-m",
            "tests.drills.carico.dataset",
            "--bersagli",
            str(bersagli_json),
        ],
    )
    bersagli = json.loads(bersagli_json.read_text(encoding="utf-8"))
    copia = f"{DATABASE}_corsa"
    copia_database(base_url, DATABASE, copia)
    pila.env["DATABASE_URL"] = con_database(base_url, copia)

    porta = int(pila.env["SITE_URL"].rsplit(":", 1)[1])
    host = f"http://127.0.0.1:{porta}"
    pila.esegui("collectstatic", [str(BIN / "python"), "manage.py", "collectstatic", "--noinput"])
    print(f"gunicorn ({WORKER_WEB} worker) su {host} e un worker Celery…", flush=True)
    pila.avvia(
        "gunicorn",
        [
            str(BIN / "gunicorn"),
            "pianizona.wsgi:application",
            f"--bind=127.0.0.1:{porta}",
            f"--workers={WORKER_WEB}",
            "--timeout=60",
            f"--access-logfile={CARTELLA / 'accessi.log'}",
        ],
    )
    pila.avvia(
        "celery",
        [
            str(BIN / "celery"),
            "-A",
            "pianizona",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={WORKER_CELERY}",
            "--without-gossip",
            "--without-mingle",
        ],
    )
    pila.attendi_http("gunicorn", f"{host}/healthz")
    pila.attendi_registro("celery", " ready.")

    ingresso = math.ceil(args.utenti / VELOCITA_INGRESSO) + 5
    esiti_json = CARTELLA / "esiti.json"
    esiti_json.unlink(missing_ok=True)
    for vecchio in CARTELLA.glob("locust_*.csv"):  # an earlier run's figures must never be read
        vecchio.unlink()
    prefisso_csv = CARTELLA / "locust"
    print(
        f"locust: {args.utenti} utenti, ingresso in ~{ingresso} s, poi {args.durata} s misurati…",
        flush=True,
    )
    pila.env |= {
        "PIANIZONA_CARICO_BERSAGLI": str(bersagli_json),
        "PIANIZONA_CARICO_ESITI": str(esiti_json),
        "PIANIZONA_CARICO_FUNZIONARI": str(args.funzionari),
        "PIANIZONA_CARICO_DURATA": str(args.durata),
    }
    pila.avvia(
        "locust",
        [
            str(BIN / "locust"),
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            f"--host={host}",
            f"--users={args.utenti}",
            f"--spawn-rate={VELOCITA_INGRESSO}",
            # The locustfile stops the run --durata s after the last login; this is a backstop.
            f"--run-time={4 * ingresso + args.durata + 120}s",
            "--stop-timeout=0",  # the window ends at --durata: requests under way are dropped
            f"--csv={prefisso_csv}",
            "--only-summary",
        ],
    )
    pila.processi["locust"].wait()
    pila.ferma("locust")
    conteggi = json.loads(esiti_json.read_text(encoding="utf-8")) if esiti_json.is_file() else {}
    errori_intera_corsa = conteggi.pop("errori (intera corsa)", 0)
    inizio, fine = conteggi.pop("misura: inizio", None), conteggi.pop("misura: fine", None)
    misurati = fine - inizio if inizio and fine else args.durata
    if not Path(f"{prefisso_csv}_stats.csv").is_file():
        coda = (CARTELLA / "locust.log").read_text(errors="replace")[-2000:]
        raise ErrorePila(f"locust non ha scritto le statistiche:\n{coda}")
    statistiche, totale = rapporto.leggi_statistiche(Path(f"{prefisso_csv}_stats.csv"))

    fisse = _pagine_fisse(bersagli)
    pesante = rapporto.piu_pesante(statistiche, set(fisse))
    client = 2 * WORKER_WEB
    print(f"Saturazione: vista nuda e «{pesante.nome}», {args.saturazione} s ciascuna…", flush=True)
    nudo = satura(host, bersagli["nudo"], "nudo", client=client, secondi=args.saturazione)
    email, url = fisse[pesante.nome]
    cookies = None
    if email:
        cookies = accedi(host, bersagli["login"], email, bersagli["password"]).cookies
    saturata: Saturazione = satura(
        host, url, pesante.nome, client=client, secondi=args.saturazione, cookies=cookies
    )

    for riga in rapporto.leggi_fallimenti(Path(f"{prefisso_csv}_failures.csv")):
        print(f"  fallita: {riga}")
    eccezioni = rapporto.leggi_eccezioni(Path(f"{prefisso_csv}_exceptions.csv"))
    for volte, messaggio in eccezioni:
        print(f"  eccezione: {volte}× {messaggio}")
    esito = rapporto.esito(
        statistiche=statistiche,
        totale=totale,
        errori_intera_corsa=errori_intera_corsa,
        eccezioni=sum(volte for volte, _ in eccezioni),
        pesante=pesante,
        nudo=nudo,
        saturata=saturata,
        conteggi=conteggi,
        durata=misurati,
        utenti=args.utenti,
        note=(
            f"{args.utenti} utenti ({args.funzionari} funzionari regionali, una vista nuda, "
            f"gli altri di {math.ceil((args.utenti - args.funzionari - 1) / 2)} ambiti, due per "
            f"ambito), pausa 2–6 s tra le pagine (una persona ne legge una in 20–30 s: ogni utente "
            f"simulato vale 5–10 persone al lavoro); gunicorn {WORKER_WEB} worker sync, Celery "
            f"{WORKER_CELERY} processi, PostgreSQL e Redis sulla stessa macchina a 2 core, "
            "condivisa con altro lavoro durante la misura: cifre prudenti. Accesso con password "
            "(MFA non obbligatoria nella prova), e-mail non inviate. Saturazione: "
            f"{client} client senza pausa sulla sola pagina, dopo il carico misto."
        ),
    )
    figure.stampa(esito)
    figure.registra(esito)
    return 0 if esito.superata else 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    base_url = os.environ.get(
        "PIANIZONA_CARICO_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    )
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    prefisso = f"pianizona-carico-{uuid.uuid4().hex[:10]}"
    porta = porta_libera()
    CARTELLA.mkdir(parents=True, exist_ok=True)
    pila = Pila(_ambiente(con_database(base_url, DATABASE), redis_url, prefisso, porta), CARTELLA)
    signal.signal(signal.SIGTERM, _fermati)
    try:
        controlla_redis(redis_url)
        return corsa(args, pila, base_url, redis_url)
    except ErrorePila as exc:
        print(f"ERRORE: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrotta: fermo tutto.", file=sys.stderr)
        return 130
    finally:
        pila.chiudi()
        elimina_database(base_url, f"{DATABASE}_corsa")
        pulisci_redis(redis_url, prefisso)


if __name__ == "__main__":
    sys.exit(main())
