"""The Region's pages of the preliminary phase, per cycle."""

from .assegnazioni import (
    assegnazioni,
    assegnazioni_esporta,
    assegnazioni_importa,
    assegnazioni_modello,
    riparto,
)
from .configurazione import (
    configurazione,
    criteri,
    criterio_importa,
    denominazioni,
    fonte_regionale_crea,
    vincolo_crea,
    vincolo_elimina,
)
from .segnalazioni import segnalazione_chiudi, segnalazioni

__all__ = [
    "assegnazioni",
    "assegnazioni_esporta",
    "assegnazioni_importa",
    "assegnazioni_modello",
    "configurazione",
    "criteri",
    "criterio_importa",
    "denominazioni",
    "fonte_regionale_crea",
    "riparto",
    "segnalazione_chiudi",
    "segnalazioni",
    "vincolo_crea",
    "vincolo_elimina",
]
