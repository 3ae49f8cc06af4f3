from .api import ChiamataApi, ChiaveApi
from .jobs import Job
from .piani import Ciclo, Piano
from .revisioni import RevisioneTabella
from .riferimento import (
    AreaInterventoFnps,
    AreaUtenzaIstat,
    FonteFinanziamento,
    MacroLivello,
    ObiettivoServizio,
    PrestazioneSiuss,
    UsoFonte,
)
from .territorio import Ambito, Comune, Regione
from .utenti import Membership, Ruolo, User
from .workflow import Commento, Modifica, Transizione, Versione, VersioneImmutabile, VoceModifica

__all__ = [
    "Ambito",
    "AreaInterventoFnps",
    "AreaUtenzaIstat",
    "ChiamataApi",
    "ChiaveApi",
    "Ciclo",
    "Commento",
    "Comune",
    "FonteFinanziamento",
    "Job",
    "MacroLivello",
    "Membership",
    "Modifica",
    "ObiettivoServizio",
    "Piano",
    "PrestazioneSiuss",
    "Regione",
    "RevisioneTabella",
    "Ruolo",
    "Transizione",
    "User",
    "UsoFonte",
    "Versione",
    "VersioneImmutabile",
    "VoceModifica",
]
