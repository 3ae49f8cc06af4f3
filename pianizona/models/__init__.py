from .piani import Ciclo, Piano
from .revisioni import RevisioneTabella
from .riferimento import (
    AreaInterventoFnps,
    AreaUtenzaIstat,
    FonteFinanziamento,
    MacroLivello,
    ObiettivoServizio,
    PrestazioneSiuss,
)
from .territorio import Ambito, Comune, Regione
from .utenti import Membership, Ruolo, User

__all__ = [
    "Ambito",
    "AreaInterventoFnps",
    "AreaUtenzaIstat",
    "Ciclo",
    "Comune",
    "FonteFinanziamento",
    "MacroLivello",
    "Membership",
    "ObiettivoServizio",
    "Piano",
    "PrestazioneSiuss",
    "Regione",
    "RevisioneTabella",
    "Ruolo",
    "User",
]
