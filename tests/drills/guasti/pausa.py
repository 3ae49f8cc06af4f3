"""Imported by the drill's workers (``celery worker -I``): a pause inside the recalculation.

The real recalculation of a region takes well under a second, too short to kill a worker in its
middle on purpose. With ``PIANIZONA_GUASTI_PAUSA_RICALCOLO`` set, the worker stops for that many
seconds right after writing the values and before their transaction commits (the worst moment to
die), and first touches the file ``PIANIZONA_GUASTI_SEGNALE`` so the drill knows when to kill it.
"""

import os
import time
from pathlib import Path

from monitoraggio.indicatori import services

PAUSA = float(os.environ.get("PIANIZONA_GUASTI_PAUSA_RICALCOLO") or 0)

if PAUSA > 0:
    _salva_originale = services._salva

    def _salva_con_pausa(*args, **kwargs) -> None:
        _salva_originale(*args, **kwargs)
        Path(os.environ["PIANIZONA_GUASTI_SEGNALE"]).write_text("valori scritti, non confermati")
        time.sleep(PAUSA)

    services._salva = _salva_con_pausa
