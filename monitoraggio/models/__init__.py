from .fondi import Dichiarazione, Rendicontazione, TransizioneRendicontazione
from .indicatori import Indicatore, StoricoValoreIndicatore, ValoreIndicatore

__all__ = [
    "Dichiarazione",
    "Indicatore",
    "Rendicontazione",
    "StoricoValoreIndicatore",
    "TransizioneRendicontazione",
    "ValoreIndicatore",
]
