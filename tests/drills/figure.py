"""The figures of `make bench` and of the drills: one JSON per drill in docs/prove/, one table in docs/PROVE.md."""

import json
import os
import platform
import shlex
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

BASE_DIR = Path(__file__).resolve().parents[2]
DOCS = BASE_DIR / "docs"
CARTELLA = DOCS / "prove"
TABELLA = DOCS / "PROVE.md"
# Inside the test suite drills run too, but only an explicit drill run rewrites docs/.
VARIABILE = "PIANIZONA_FIGURE"


@dataclass
class Riga:
    """One measured promise: what was measured, the figure, the limit it must respect, kept or not."""

    misura: str
    valore: str
    limite: str = ""
    rispettato: bool = True


@dataclass
class Esito:
    prova: str
    titolo: str
    comando: str
    righe: list[Riga] = field(default_factory=list)
    note: str = ""

    @property
    def superata(self) -> bool:
        return all(riga.rispettato for riga in self.righe)


def macchina() -> str:
    """CPU model and count, memory, OS and Python: enough to compare two runs."""
    modello = platform.processor() or platform.machine()
    try:
        for linea in Path("/proc/cpuinfo").read_text().splitlines():
            if linea.startswith("model name"):
                modello = linea.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memoria = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memoria = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    sistema = platform.freedesktop_os_release().get("PRETTY_NAME", platform.system())
    return (
        f"{os.cpu_count()} CPU ({modello}){memoria}, {sistema}, Python {platform.python_version()}"
    )


def comando_corrente() -> str:
    return os.environ.get("PIANIZONA_COMANDO") or shlex.join(["python", *sys.argv])


def registra(esito: Esito, *, forza: bool = False) -> Path | None:
    """Write the drill's JSON and rebuild docs/PROVE.md; a no-op unless asked (env or `forza`)."""
    if not (forza or os.environ.get(VARIABILE) == "1"):
        return None
    CARTELLA.mkdir(parents=True, exist_ok=True)
    dati = {
        **asdict(esito),
        "superata": esito.superata,
        "data": datetime.now(ZoneInfo("Europe/Rome")).isoformat(timespec="seconds"),
        "macchina": macchina(),
    }
    percorso = CARTELLA / f"{esito.prova}.json"
    percorso.write_text(json.dumps(dati, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    TABELLA.write_text(tabella(), encoding="utf-8")
    return percorso


def stampa(esito: Esito) -> None:
    """The drill's table on the terminal, then its verdict."""
    larghezza = max([len(r.misura) for r in esito.righe] + [6])
    print(f"\n{esito.titolo}")
    for riga in esito.righe:
        segno = "ok " if riga.rispettato else "NO "
        limite = f"  (limite: {riga.limite})" if riga.limite else ""
        print(f"  {segno} {riga.misura:<{larghezza}}  {riga.valore}{limite}")
    print("SUPERATA" if esito.superata else "NON SUPERATA")


def _cella(testo: str) -> str:
    return str(testo).replace("|", "\\|").replace("\n", " ")


def tabella() -> str:
    """docs/PROVE.md from every JSON in docs/prove/, drills in alphabetical order."""
    parti = [
        "# Figures of the bench and the drills\n",
        "Written by the commands below (`make bench`, `make drill-…`); do not edit by hand. "
        "Each section gives the date, the machine and the command of its last run.\n",
    ]
    for percorso in sorted(CARTELLA.glob("*.json")):
        dati = json.loads(percorso.read_text(encoding="utf-8"))
        verdetto = "superata" if dati["superata"] else "**NON superata**"
        parti.append(f"\n## {dati['titolo']}\n")
        parti.append(f"{dati['data']} · {dati['macchina']} · `{dati['comando']}` · {verdetto}\n")
        if dati.get("note"):
            parti.append(f"\n{dati['note']}\n")
        parti.append("\n| Misura | Valore | Limite | Esito |\n|---|---|---|---|\n")
        for riga in dati["righe"]:
            esito = "ok" if riga["rispettato"] else "**NO**"
            parti.append(
                f"| {_cella(riga['misura'])} | {_cella(riga['valore'])} | "
                f"{_cella(riga['limite'])} | {esito} |\n"
            )
    return "".join(parti)
